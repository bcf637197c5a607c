import type { Reply } from '../reply.ts';

const LIMIT = 4000; // WhatsApp takes far more, but a phone screen does not
const ICON: Record<Reply['severity'], string> = { info: '', warning: '⚠️ ', error: '❗ ' };

/**
 * A reply as WhatsApp text: *bold* title, lines as they are (data with * _ ~ stays untouched:
 * WhatsApp has nothing to escape them with). WhatsApp Web has no buttons for a linked device, so
 * their texts become a last line; a document becomes its caption.
 */
export function renderWhatsApp(reply: Reply): string {
  const lines = reply.document ? [...reply.lines, reply.document.caption] : reply.lines;
  const head = reply.title ? [`${ICON[reply.severity]}*${reply.title}*`] : [];
  let text = head.concat(lines).join('\n');
  if (!reply.title) text = ICON[reply.severity] + text;
  const choices = reply.buttons?.flat().map((b) => b.text) ?? [];
  const tail = choices.length ? `\nPilihan: ${choices.join(' · ')}` : '';
  // The choices survive a cut: they are what the reader can answer with.
  return cut(text, LIMIT - tail.length) + tail;
}

function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // do not split an emoji's surrogate pair
  return `${text.slice(0, end)}…`;
}
