import { InlineKeyboard } from 'grammy';
import type { Reply } from '../reply.ts';

const LIMIT = 4000; // Telegram refuses texts over 4096 characters
const ICON: Record<Reply['severity'], string> = { info: '', warning: '⚠️ ', error: '❗ ' };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The longest start of `plain` whose escaped form fits in `limit` (cut before escaping, so no entity is split), with … when cut. */
function fitted(plain: string, limit: number): string {
  if (escapeHtml(plain).length <= limit) return plain;
  let used = 1; // the ellipsis
  let end = 0;
  for (const ch of plain) {
    const width = escapeHtml(ch).length;
    if (used + width > limit) break;
    used += width;
    end += ch.length;
  }
  return `${plain.slice(0, end)}…`;
}

/** A reply as Telegram HTML with its inline keyboard. */
export function renderHtml(reply: Reply): { text: string; reply_markup?: InlineKeyboard } {
  const head = reply.title ? `${ICON[reply.severity]}<b>${escapeHtml(reply.title)}</b>\n` : ICON[reply.severity];
  const text = head + escapeHtml(fitted(reply.lines.join('\n'), LIMIT - head.length));
  if (!reply.buttons?.length) return { text };
  const keyboard = new InlineKeyboard();
  reply.buttons.forEach((row, i) => {
    if (i > 0) keyboard.row(); // a trailing row() would send an empty row
    for (const b of row) keyboard.text(b.text, b.data);
  });
  return { text, reply_markup: keyboard };
}
