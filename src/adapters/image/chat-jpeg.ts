import sharp from 'sharp';
import { decodeBmp, isBmp } from './bmp.ts';

/** The picture formats read, by their first bytes (never by what anyone says they are). */
export type PictureFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'bmp';

/**
 * What a chat shows well and quickly: 1280 px a side is Telegram's usual largest photo size, so
 * more only costs upload time; quality 80 keeps an item photo clear at a fraction of the bytes.
 */
export const CHAT_PICTURE = { maxSide: 1280, quality: 80 } as const;
/**
 * Pixels decoded at most (about 7000×7000): a small file may claim a huge picture, and sharp's
 * own limit (268 million pixels, ~1 GB of memory) is too much for a shop's server.
 */
const MAX_INPUT_PIXELS = 50_000_000;
/** Telegram refuses a photo whose sides differ more than 20 times (PHOTO_INVALID_DIMENSIONS). */
const MAX_RATIO = 20;

const MAGIC: [PictureFormat, (b: Buffer) => boolean][] = [
  ['jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
  ['tiff', (b) => ['II*\0', 'MM\0*'].includes(b.subarray(0, 4).toString('latin1'))],
  ['bmp', isBmp],
];

/**
 * The picture inside stored bytes, and its format; null when it is none of PictureFormat.
 * Delphi programs may store a TPicture as written by TPicture.WriteData: the graphic's class
 * name as a short string (e.g. "TJPEGImage"), its size as a 32-bit integer, then the file.
 */
export function findPicture(bytes: Buffer): { format: PictureFormat; bytes: Buffer } | null {
  let body = bytes;
  const nameLength = bytes[0] ?? 0;
  if (nameLength > 0 && nameLength < 64 && /^T[A-Za-z0-9]+$/.test(bytes.subarray(1, 1 + nameLength).toString('latin1'))) {
    body = bytes.subarray(1 + nameLength);
    if (body.length >= 4 && body.readUInt32LE(0) === body.length - 4) body = body.subarray(4);
  }
  const found = MAGIC.find(([, test]) => test(body));
  return found ? { format: found[0], bytes: body } : null;
}

/**
 * Stored picture bytes as a JPEG a chat accepts: turned upright by its EXIF orientation, at most
 * CHAT_PICTURE.maxSide a side (never enlarged), transparency flattened on white, padded with
 * white when too long and thin for Telegram. Rejects (with libvips's reason) when the bytes are
 * no picture it reads.
 */
export async function toChatJpeg(stored: Buffer): Promise<Buffer> {
  const found = findPicture(stored);
  if (!found) throw new Error('not a picture format tokobot reads (JPEG, PNG, GIF, WebP, TIFF, BMP)');
  const input = found.format === 'bmp' ? fromBmp(found.bytes) : sharp(found.bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
  const { data, info } = await input.autoOrient()
    .resize({ width: CHAT_PICTURE.maxSide, height: CHAT_PICTURE.maxSide, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: CHAT_PICTURE.quality })
    .toBuffer({ resolveWithObject: true });
  return padToRatio(data, info.width, info.height);
}

function fromBmp(bytes: Buffer) {
  const raw = decodeBmp(bytes);
  if (raw.width * raw.height > MAX_INPUT_PIXELS) throw new Error(`BMP of ${raw.width}×${raw.height} pixels is too large`);
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
}

async function padToRatio(jpeg: Buffer, width: number, height: number): Promise<Buffer> {
  const [long, short] = width >= height ? [width, height] : [height, width];
  if (long <= short * MAX_RATIO) return jpeg;
  const add = Math.ceil(long / MAX_RATIO) - short;
  const [before, after] = [Math.floor(add / 2), add - Math.floor(add / 2)];
  const sides = width >= height ? { top: before, bottom: after } : { left: before, right: after };
  return sharp(jpeg).extend({ ...sides, background: '#ffffff' }).jpeg({ quality: CHAT_PICTURE.quality }).toBuffer();
}
