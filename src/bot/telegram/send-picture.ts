import { GrammyError, InputFile, type Context } from 'grammy';
import type { Logger } from 'pino';
import type { ItemPicture } from '../../pipeline/item-picture.ts';
import type { PictureFileIds } from '../../store/picture-file-ids.ts';

/**
 * Sends an item's picture as a photo after its card. The card itself stays a text message:
 * a caption holds at most 1024 characters and would move the card's buttons onto the photo, so
 * the card is sent as ever and the photo follows it. A picture Telegram already has goes by its
 * file id (no upload); the first time, the JPEG is uploaded and the file id Telegram answers is
 * kept. Never throws: a picture that cannot be sent is logged, the card has been answered.
 */
export async function sendPicture(ctx: Pick<Context, 'replyWithPhoto'>, picture: ItemPicture, ids: PictureFileIds | undefined,
  logger: Pick<Logger, 'warn'>): Promise<void> {
  const at = { store: picture.store, kodeitem: picture.kodeitem };
  try {
    const kept = await ids?.get(picture).catch((err: Error) => { logger.warn({ ...at, reason: err.message }, 'picture file ids unavailable; uploading'); return null; });
    if (kept) {
      try {
        await ctx.replyWithPhoto(kept);
        return;
      } catch (err) {
        // A file id of another bot token (or one Telegram forgot) is refused with 400: upload again.
        if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
        logger.warn({ ...at, reason: err.description }, 'Telegram refused a kept picture file id; uploading again');
      }
    }
    const jpeg = await picture.jpeg();
    if (!jpeg) return;
    const sent = await ctx.replyWithPhoto(new InputFile(jpeg, `${picture.kodeitem.replace(/[^\w.-]/g, '_')}.jpg`));
    // Telegram answers the sizes it made, smallest first: the largest is the one to send again.
    const fileId = sent.photo.at(-1)?.file_id;
    if (fileId) await ids?.set(picture, fileId).catch((err: Error) => logger.warn({ ...at, reason: err.message }, 'could not keep a picture file id'));
  } catch (err) {
    logger.warn({ ...at, err }, 'could not send an item picture');
  }
}
