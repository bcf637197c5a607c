/**
 * Windows bitmaps, which sharp (libvips) does not read: iPOS is a Delphi program, and a picture
 * pasted into it may be stored as a BMP. Decoded by hand into raw RGB pixels for sharp, for
 * the kinds Windows writes unless asked otherwise: uncompressed 24 and 32 bits, 32 bits with the
 * standard BI_BITFIELDS masks, and 8 bits with a palette. Anything else (RLE, 1/4/16 bits,
 * embedded JPEG/PNG, OS/2 headers) is refused with the reason. Layout:
 * https://learn.microsoft.com/en-us/windows/win32/gdi/bitmap-storage
 */
export interface RawPixels {
  width: number;
  height: number;
  channels: 3;
  data: Buffer;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
/** Windows' BI_BITFIELDS masks for 32-bit BGRA (the only masks Windows itself writes). */
const STANDARD_MASKS = [0x00ff0000, 0x0000ff00, 0x000000ff];
/** Larger than any picture worth showing in a chat; a header claiming more is damaged or hostile. */
const MAX_SIDE = 20_000;

export const isBmp = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"

/** The pixels of a BMP, top row first; throws an Error saying why when it is not one this reads. */
export function decodeBmp(bytes: Buffer): RawPixels {
  if (!isBmp(bytes) || bytes.length < 54) throw new Error('not a BMP');
  const dataOffset = bytes.readUInt32LE(10);
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize < 40) throw new Error(`BMP header of ${headerSize} bytes (OS/2) is not read`);
  const width = bytes.readInt32LE(18);
  const rawHeight = bytes.readInt32LE(22);
  const bits = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  // A negative height is a top-down bitmap; positive (usual) stores the bottom row first.
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE) throw new Error(`BMP of ${width}×${rawHeight} pixels`);
  if (compression === BI_BITFIELDS && bits === 32) checkMasks(bytes, headerSize);
  else if (compression !== BI_RGB) throw new Error(`compressed BMP (compression ${compression}) is not read`);
  if (bits !== 24 && bits !== 32 && bits !== 8) throw new Error(`BMP of ${bits} bits per pixel is not read`);
  const stride = Math.ceil((width * bits) / 32) * 4; // rows are padded to 4 bytes
  if (dataOffset + stride * height > bytes.length) throw new Error('BMP cut short');
  const palette = bits === 8 ? readPalette(bytes, headerSize) : null;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + stride * (rawHeight > 0 ? height - 1 - y : y);
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * 3;
      if (palette) {
        const i = bytes[row + x]! * 3;
        data[out] = palette[i]!; data[out + 1] = palette[i + 1]!; data[out + 2] = palette[i + 2]!;
      } else {
        // Stored blue, green, red; a 32-bit pixel's fourth byte is mostly unused (0), so it is not read as alpha.
        const at = row + x * (bits / 8);
        data[out] = bytes[at + 2]!; data[out + 1] = bytes[at + 1]!; data[out + 2] = bytes[at]!;
      }
    }
  }
  return { width, height, channels: 3, data };
}

function checkMasks(bytes: Buffer, headerSize: number): void {
  // Masks follow a 40-byte header; V4/V5 headers hold them at the same place.
  const at = 14 + 40;
  if (bytes.length < at + 12 || (headerSize === 40 && bytes.readUInt32LE(10) < at + 12)) throw new Error('BMP bit fields missing');
  const masks = [0, 1, 2].map((i) => bytes.readUInt32LE(at + i * 4));
  if (masks.some((m, i) => m !== STANDARD_MASKS[i])) throw new Error('BMP with unusual bit fields is not read');
}

/** The palette as RGB triples (stored blue, green, red, unused), 256 entries, missing ones black. */
function readPalette(bytes: Buffer, headerSize: number): Buffer {
  const count = bytes.readUInt32LE(46) || 256;
  const start = 14 + headerSize;
  const palette = Buffer.alloc(256 * 3);
  for (let i = 0; i < Math.min(count, 256); i++) {
    const at = start + i * 4;
    if (at + 3 > bytes.length) throw new Error('BMP palette cut short');
    palette[i * 3] = bytes[at + 2]!; palette[i * 3 + 1] = bytes[at + 1]!; palette[i * 3 + 2] = bytes[at]!;
  }
  return palette;
}
