import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import { imageTooBig, MAX_IMAGE_BYTES } from '../../adapters/barcode/barcode-reader.ts';
import { downloadTelegramFile, type TelegramFileOptions } from '../../adapters/telegram/telegram-file.ts';

/** Pictures sent as a file (uncompressed) that are read like photos. */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * The file to read of a message: of a photo, the largest size Telegram made within
 * MAX_IMAGE_BYTES (it sends several, from a 90 px thumbnail up); of a document, one that is a
 * JPEG, PNG or WebP picture. null for anything else.
 */
export function imageFileOf(msg: Pick<Message, 'photo' | 'document'>): { fileId: string; bytes?: number } | null {
  if (msg.photo?.length) {
    const sizes = [...msg.photo].sort((a, b) => b.width * b.height - a.width * a.height);
    const best = sizes.find((s) => (s.file_size ?? 0) <= MAX_IMAGE_BYTES) ?? (sizes[0] as NonNullable<typeof sizes[0]>);
    return { fileId: best.file_id, bytes: best.file_size };
  }
  if (msg.document && IMAGE_TYPES.has(msg.document.mime_type ?? '')) return { fileId: msg.document.file_id, bytes: msg.document.file_size };
  return null;
}

/**
 * What downloads the picture of a message, for the command core to call once the person may ask
 * (a stranger's photo is never downloaded); null when the message has none. A file announced over
 * MAX_IMAGE_BYTES is refused without downloading it.
 */
export function telegramImage(msg: Pick<Message, 'photo' | 'document'>, api: Pick<Api, 'getFile'>,
  o: Pick<TelegramFileOptions, 'token' | 'apiRoot' | 'proxy'>): (() => Promise<Buffer>) | null {
  const file = imageFileOf(msg);
  if (!file) return null;
  return async () => {
    if ((file.bytes ?? 0) > MAX_IMAGE_BYTES) throw imageTooBig(file.bytes ?? 0);
    return downloadTelegramFile(api, file.fileId, { ...o, maxBytes: MAX_IMAGE_BYTES, tooBig: imageTooBig });
  };
}
