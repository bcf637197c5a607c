import type { CommandCore } from '../core.ts';
import { imageTooBig, MAX_IMAGE_BYTES } from '../../adapters/barcode/barcode-reader.ts';
import type { WhatsAppIncoming } from '../../adapters/whatsapp/whatsapp-client.ts';
import { AppError } from '../../errors.ts';
import { renderWhatsApp } from './render-whatsapp.ts';
import type { MessageFile } from '../../message.ts';
import type { Reply } from '../reply.ts';

/**
 * A WhatsApp message to the shop's linked number, in a person's own chat (the messenger passes
 * no group message on). Only the allowed numbers are answered (prices, /status and the other
 * staff commands: never cost prices), through the same command core as Telegram; anyone else
 * — customers write to shop numbers — gets no reply at all. A photo is read for barcodes, its
 * caption left aside. WhatsApp users are kept apart from Telegram ids by a negative user id.
 */
export async function answerWhatsApp(core: CommandCore, allowed: string[], from: string, text: string,
  message?: Pick<WhatsAppIncoming, 'hasMedia' | 'type' | 'downloadMedia'>): Promise<string | { text: string; files: MessageFile[] } | null> {
  if (!allowed.includes(from)) return null;
  const userId = whatsAppUserId(from);
  const person = { userId, name: `+${from}`, access: 'staff' as const, chat: { id: userId, kind: 'private' as const } };
  const image = whatsAppImage(message);
  if (!image && !text) return null; // a sticker, a voice note, a video: nothing to answer
  const reply = image ? await core.photo({ ...person, image }) : await core.message({ ...person, text });
  if (!reply) return null;
  // A reply's files (a report's chart and PDF, an item's picture) follow its text.
  const files = [...(reply.files ?? []), ...await pictureFile(reply)];
  return files.length ? { text: renderWhatsApp(reply), files } : renderWhatsApp(reply);
}

/** An item card's picture as a JPEG file (whatsapp-web.js sends media as its bytes: converted each time). */
async function pictureFile(reply: Reply): Promise<MessageFile[]> {
  const jpeg = await reply.picture?.jpeg().catch(() => null);
  return jpeg ? [{ name: `${reply.picture!.kodeitem}.jpg`, type: 'image/jpeg', base64: jpeg.toString('base64') }] : [];
}

/** What downloads a photo message's picture (whatsapp-web.js's downloadMedia); null for any other message. */
function whatsAppImage(message: Pick<WhatsAppIncoming, 'hasMedia' | 'type' | 'downloadMedia'> | undefined): (() => Promise<Buffer>) | null {
  const download = message?.downloadMedia;
  if (!message?.hasMedia || message.type !== 'image' || !download) return null;
  return async () => {
    const media = await download();
    if (!media) {
      throw new AppError('unreachable', 'barcode', { en: 'WhatsApp no longer has this photo; send it again.', id: 'Foto ini sudah tidak ada di WhatsApp; kirim lagi.' }, { retryable: true });
    }
    if ((media.filesize ?? 0) > MAX_IMAGE_BYTES) throw imageTooBig(media.filesize ?? 0);
    return Buffer.from(media.data, 'base64');
  };
}

/**
 * WhatsApp has no numeric user id: a person is their phone number. Its digits, negated, are the
 * user id (never a Telegram user id, which are positive); the number is read back as `-id`.
 */
export const whatsAppUserId = (number: string) => -Number(number);
