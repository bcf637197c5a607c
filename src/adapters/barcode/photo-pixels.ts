import sharp from 'sharp';
import { AppError } from '../../errors.ts';
import type { GreyImage } from './zxing-module.ts';

/**
 * The largest photo read, in bytes. Telegram sends a photo compressed to at most 2560 px (a few
 * hundred kB) and WhatsApp to about 1600 px; a phone photo sent as a file is 2–8 MB. Anything
 * bigger is not a snapshot of a pack, and refusing it before decoding keeps memory small.
 */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** The most pixels decoded: the largest phone cameras take 48–50 MP; beyond that is not a photo. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * Photos are scaled down to this long side before zxing reads them: that bounds a read's time
 * (about 100 ms) and memory, and the bars of a pack that fills a fifth of the frame still keep
 * 2 px or more each.
 */
export const MAX_SIDE = 1600;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** A photo over MAX_IMAGE_BYTES: refused before it is read (channels call it before downloading when they know the size). */
export function imageTooBig(bytes: number): AppError {
  return new AppError('refused', 'barcode', {
    en: `The photo is ${mb(bytes)} MB; tokobot reads photos up to ${mb(MAX_IMAGE_BYTES)} MB. Send it as a photo (not as a file), or take a closer one.`,
    id: `Fotonya ${mb(bytes).replace('.', ',')} MB; tokobot membaca foto sampai ${mb(MAX_IMAGE_BYTES).replace('.', ',')} MB. Kirim sebagai foto (bukan file), atau foto lebih dekat.`,
  });
}

const notAnImage = () => new AppError('usage', 'barcode', {
  en: 'The file is not a JPEG, PNG or WebP picture.',
  id: 'File ini bukan gambar JPEG, PNG atau WebP.',
});

/** The image formats read: what phones and chat apps send. */
const FORMATS = new Set(['jpeg', 'png', 'webp']);

/**
 * A photo as grey pixels for zxing: turned upright as its EXIF orientation says, scaled down to
 * MAX_SIDE, one byte a pixel. Rejects with AppError (system 'barcode'): 'refused' over the size
 * or pixel limit, 'usage' for what is not a JPEG, PNG or WebP picture, 'corrupt' for a picture
 * that cannot be decoded (cut short, damaged).
 */
export async function photoPixels(image: Buffer): Promise<GreyImage> {
  if (image.length > MAX_IMAGE_BYTES) throw imageTooBig(image.length);
  // sharp refuses an empty buffer at once (a throw, not a rejection).
  const meta = image.length ? await sharp(image).metadata().catch(() => null) : null;
  if (!meta?.format || !FORMATS.has(meta.format) || !meta.width || !meta.height) throw notAnImage();
  const pixels = meta.width * meta.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new AppError('refused', 'barcode', {
      en: `The picture is ${(pixels / 1e6).toFixed(0)} megapixels; tokobot reads photos up to ${MAX_IMAGE_PIXELS / 1e6} megapixels.`,
      id: `Gambarnya ${(pixels / 1e6).toFixed(0)} megapiksel; tokobot membaca foto sampai ${MAX_IMAGE_PIXELS / 1e6} megapiksel.`,
    });
  }
  try {
    const { data, info } = await sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', autoOrient: true })
      .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      // A transparent PNG becomes a label on white; 16-bit pictures become 8-bit, one channel.
      .flatten({ background: '#ffffff' }).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`${info.channels} channels after greyscale`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (err) {
    throw new AppError('corrupt', 'barcode', { en: 'The picture is damaged or cut short and cannot be decoded.', id: 'Gambarnya rusak atau terpotong sehingga tidak bisa dibuka.' }, { cause: err });
  }
}

/**
 * `image` turned by `angle` degrees, the corners white. zxing reads bars along rows and columns;
 * a label turned further than its bars are tall (a short Code 128 at 30°) is read once turned back.
 */
export async function turned(image: GreyImage, angle: number): Promise<GreyImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .rotate(angle, { background: '#ffffff' }).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}
