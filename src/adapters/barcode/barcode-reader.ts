import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader';
import { photoPixels, turned } from './photo-pixels.ts';
import { zxingRead, type GreyImage } from './zxing-module.ts';

export { imageTooBig, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_SIDE } from './photo-pixels.ts';

/** A barcode read from a photo: its digits (or Code 128/39 text) as a person would type them, and its kind. */
export interface FoundBarcode {
  text: string;
  /** EAN-13, EAN-8, UPC-A, UPC-E, Code 128 or Code 39. */
  format: string;
  /**
   * The same code as other scanners type it, when it has other forms: a UPC-A also as its EAN-13
   * (a leading 0); a UPC-E also as the UPC-A and EAN-13 it stands for.
   */
  alsoWritten?: string[];
}

/**
 * Reads the barcodes in a photo of a product (a phone's JPEG, a PNG or WebP).
 *
 * Contract: resolves with each distinct code found, top to bottom, none when the
 * photo shows no readable barcode (that is not an error). Rejects with AppError of system
 * 'barcode': 'refused' for a photo over MAX_IMAGE_BYTES or MAX_IMAGE_PIXELS, 'usage' for what is
 * not a JPEG, PNG or WebP picture, 'corrupt' for a picture that cannot be decoded; 'config' when the
 * decoder's WebAssembly file is not the package's. A read is bounded: the photo is scaled down to
 * MAX_SIDE first, and reads run one at a time, so many photos at once queue instead of each taking
 * its share of memory.
 */
export interface BarcodeReader {
  read(image: Buffer): Promise<FoundBarcode[]>;
}

/**
 * What shops scan: the product codes on packs (EAN-13, EAN-8, UPC-A, UPC-E) and the labels a shop
 * prints itself (Code 128, Code 39). Fewer formats read faster and can mistake less.
 */
const READER_OPTIONS: ReaderOptions = {
  formats: ['EAN13', 'EAN8', 'UPCA', 'UPCE', 'Code128', 'Code39'],
  tryHarder: true,
  tryRotate: true,
  // Light bars on a dark ground are rare on packs; skipping the inverted pass saves a third of a read.
  tryInvert: false,
  // Bars read as well at any width along a row; zxing's extra downscaled passes found nothing more
  // on the generated photos and cost a third of the time (bench/barcode-bench.ts).
  tryDownscale: false,
  maxNumberOfSymbols: 8,
};

/**
 * The passes over a photo, until one finds a code. A fixed threshold first: a white label on a
 * busy, coloured pack defeats zxing's local averages (the pack's print shifts them) far more often
 * than the light defeats a fixed threshold; then the local averages (uneven light); then the photo
 * turned both ways, for a label held askew.
 */
const PASSES: { binarizer: ReaderOptions['binarizer']; angle: number }[] = [
  { binarizer: 'FixedThreshold', angle: 0 },
  { binarizer: 'LocalAverage', angle: 0 },
  { binarizer: 'FixedThreshold', angle: 35 },
  { binarizer: 'FixedThreshold', angle: -35 },
];

/**
 * No further pass starts after this long. Each pass is bounded by MAX_SIDE (about 40 ms of CPU on
 * a 1200 × 1600 photo), so all four take well under this; it only matters on a machine so busy
 * that a person would rather hear the hint than wait.
 */
export const READ_BUDGET_MS = 1500;

/** zxing's names as people know them. */
const FORMAT_NAMES: Record<string, string> = { EAN13: 'EAN-13', EAN8: 'EAN-8', UPCA: 'UPC-A', UPCE: 'UPC-E', Code128: 'Code 128', Code39: 'Code 39' };

/**
 * A code as printed under its bars. zxing reports a UPC-A as the EAN-13 it also is (a leading 0),
 * and a UPC-E expanded to that EAN-13, its 8 printed digits in `extra`; the printed digits are what
 * the pack shows and what a scanner types by default.
 */
function printed(r: ReadResult): FoundBarcode {
  const text = r.text.trim();
  if (r.format === 'UPCE' && /^0\d{12}$/.test(text)) {
    const upce = /"UPCE":"(\d{8})"/.exec(r.extra)?.[1];
    if (upce) return { text: upce, format: 'UPC-E', alsoWritten: [text.slice(1), text] };
  }
  if (r.format === 'EAN13' && /^0\d{12}$/.test(text)) return { text: text.slice(1), format: 'UPC-A', alsoWritten: [text] };
  return { text, format: FORMAT_NAMES[r.format] ?? r.format };
}

function found(results: ReadResult[]): FoundBarcode[] {
  const sorted = [...results].sort((a, b) => a.position.topLeft.y - b.position.topLeft.y || a.position.topLeft.x - b.position.topLeft.x);
  const codes = new Map<string, FoundBarcode>();
  for (const r of sorted) {
    const code = printed(r);
    if (r.isValid && code.text && !codes.has(code.text)) codes.set(code.text, code);
  }
  return [...codes.values()];
}

async function readPasses(image: GreyImage): Promise<FoundBarcode[]> {
  const started = performance.now();
  for (const pass of PASSES) {
    if (performance.now() - started > READ_BUDGET_MS) break;
    const pixels = pass.angle ? await turned(image, pass.angle) : image;
    const codes = found(await zxingRead(pixels, { ...READER_OPTIONS, binarizer: pass.binarizer }));
    if (codes.length) return codes;
  }
  return [];
}

/** The BarcodeReader of zxing-cpp (zxing-wasm, its WebAssembly loaded from the package) over sharp's decoding. */
export class ZxingBarcodeReader implements BarcodeReader {
  private queue: Promise<unknown> = Promise.resolve();

  read(image: Buffer): Promise<FoundBarcode[]> {
    const run = this.queue.then(async () => readPasses(await photoPixels(image)));
    this.queue = run.catch(() => undefined);
    return run;
  }
}
