import { InlineKeyboard } from 'grammy';
import type { Reply } from '../reply.ts';

const LIMIT = 4000; // Telegram refuses texts over 4096 characters
const ICON: Record<Reply['severity'], string> = { info: '', warning: '⚠️ ', error: '❗ ' };

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A reply as Telegram HTML with its inline keyboard. */
export function renderHtml(reply: Reply): { text: string; reply_markup?: InlineKeyboard } {
  const head = reply.title ? `${ICON[reply.severity]}<b>${escapeHtml(reply.title)}</b>\n` : ICON[reply.severity];
  let text = head + reply.lines.map(escapeHtml).join('\n');
  if (text.length > LIMIT) text = `${text.slice(0, LIMIT)}…`;
  if (!reply.buttons?.length) return { text };
  const keyboard = new InlineKeyboard();
  reply.buttons.forEach((row, i) => {
    if (i > 0) keyboard.row(); // a trailing row() would send an empty row
    for (const b of row) keyboard.text(b.text, b.data);
  });
  return { text, reply_markup: keyboard };
}
