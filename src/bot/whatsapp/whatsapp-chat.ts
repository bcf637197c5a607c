import type { CommandCore } from '../core.ts';
import { renderWhatsApp } from './render-whatsapp.ts';

/**
 * A WhatsApp message to the shop's linked number. Only the allowed numbers are answered (prices,
 * /status and the other staff commands), through the same command core as Telegram; anyone else
 * — customers write to shop numbers — gets no reply at all. WhatsApp users are kept apart from
 * Telegram ids by a negative user id.
 */
export async function answerWhatsApp(core: CommandCore, allowed: string[], from: string, text: string): Promise<string | null> {
  if (!allowed.includes(from)) return null;
  const reply = await core.message({ userId: -Number(from), name: `+${from}`, text, access: 'staff' });
  return reply ? renderWhatsApp(reply) : null;
}
