import bwipjs from 'bwip-js';
import { mulberry32 } from '../fixtures/prng.ts';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';

/**
 * Photos of barcodes as a cashier's phone takes them, made here (bwip-js draws the codes, sharp
 * makes the photo): a label on a busy, textured pack, turned a little or a lot, out of focus, in
 * poor light, with sensor noise, saved as a phone's JPEG. Every photo is the same each run (a
 * seeded random source), and says which codes it shows, so a test can tell read from misread.
 */
export type Symbology = 'ean13' | 'ean8' | 'upca' | 'code128';

export interface Label {
  symbology: Symbology;
  /** What is encoded, without the check digit for EAN and UPC (bwip-js adds it). */
  data: string;
}

export interface PhotoSpec {
  labels: Label[];
  /** Degrees, clockwise. */
  angle: number;
  /** Gaussian blur sigma (out of focus, shaken); 0 for none. */
  blur: number;
  /** Width of the narrowest bar in the photo, in pixels (how close the phone was); a second label is a tenth smaller. */
  modulePx: number;
  /** Sensor noise: standard deviation in grey levels. */
  noise: number;
  /** 1 is daylight; below dims the photo and lowers its contrast. */
  light: number;
  /** Stored turned, with an EXIF orientation saying how to show it (as phones save). */
  exif?: boolean;
  format?: 'jpeg' | 'png';
  seed: number;
}

export interface BarcodePhoto {
  name: string;
  image: Buffer;
  /** The codes as a reader should give them: EAN and UPC with their check digit. */
  codes: string[];
}

const WIDTH = 1200;
const HEIGHT = 1600;

/** The GS1 check digit of EAN-13, EAN-8 and UPC-A data (weights 3 and 1 from the right). */
export function gs1CheckDigit(data: string): string {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += Number(data[data.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

/** The text a reader gives for a label. */
export const codeOf = (label: Label) => (label.symbology === 'code128' ? label.data : label.data + gs1CheckDigit(label.data));

const DIGITS: Record<Exclude<Symbology, 'code128'>, number> = { ean13: 12, ean8: 7, upca: 11 };

/** Random data for a label of `symbology` (Indonesian EAN-13s start 899). */
export function randomLabel(symbology: Symbology, random: () => number): Label {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  if (symbology === 'code128') return { symbology, data: `TK-${digits(6)}` };
  return { symbology, data: symbology === 'ean13' ? `899${digits(9)}` : digits(DIGITS[symbology]) };
}

/** bwip-js draws `scale` pixels per module (the narrowest bar). */
const LABEL_SCALE = 3;

/** A label as printed: bars with the digits under them, on white with its quiet zone. */
export async function labelPng(label: Label, scale = LABEL_SCALE): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: label.symbology, text: label.data, scale, height: { ean13: 25, upca: 25, ean8: 21, code128: 15 }[label.symbology],
    includetext: true, backgroundcolor: 'ffffff', paddingwidth: 10, paddingheight: 6 });
}

/** A pack's busy print: coloured shapes and stripes (an SVG, drawn by sharp). */
function packSvg(random: () => number): string {
  const colour = () => `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const [x, y, s] = [random() * WIDTH, random() * HEIGHT, 40 + random() * 300];
    shapes.push(random() < 0.5
      ? `<rect x="${x}" y="${y}" width="${s}" height="${s * (0.3 + random())}" fill="${colour()}" transform="rotate(${random() * 90} ${x} ${y})"/>`
      : `<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${colour()}" fill-opacity="0.7"/>`);
  }
  for (let i = 0; i < 12; i++) shapes.push(`<rect x="0" y="${random() * HEIGHT}" width="${WIDTH}" height="${2 + random() * 6}" fill="${colour()}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="${colour()}"/>${shapes.join('')}</svg>`;
}

/** A label scaled to bars of `modulePx` and turned by `angle`, its corners transparent. */
async function placedLabel(label: Label, modulePx: number, angle: number): Promise<{ png: Buffer; width: number; height: number }> {
  const drawn = await labelPng(label);
  const width = Math.round(((await sharp(drawn).metadata()).width as number) * modulePx / LABEL_SCALE);
  const png = await sharp(drawn).resize({ width }).ensureAlpha()
    .rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer({ resolveWithObject: true });
  return { png: png.data, width: png.info.width, height: png.info.height };
}

/** 256 samples of a bell-shaped noise of standard deviation 1 (the sum of three uniforms), to pick from quickly. */
function noiseTable(random: () => number): Float32Array {
  // The sum of three uniforms on [-0.5, 0.5] has variance 1/4: doubled, 1.
  return Float32Array.from({ length: 256 }, () => (random() + random() + random() - 1.5) * 2);
}

/**
 * Light, blur and sensor noise over the composed photo's pixels. The noise of each byte is a
 * table entry picked by 8 bits of a xorshift: a call of `random` per byte took most of the time.
 */
async function camera(composed: { data: Buffer; width: number; height: number }, spec: PhotoSpec, random: () => number): Promise<Sharp> {
  const raw = sharp(composed.data, { raw: { width: composed.width, height: composed.height, channels: 4 } });
  const { data, info } = await (spec.blur > 0 ? raw.blur(spec.blur) : raw).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const table = noiseTable(random);
  const lift = 64 * (1 - spec.light);
  let x = (random() * 0xffffffff) | 1;
  for (let i = 0; i < data.length; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    for (let k = 0; k < 4 && i + k < data.length; k++) {
      const n = (table[(x >>> (8 * k)) & 0xff] as number) * spec.noise;
      data[i + k] = Math.max(0, Math.min(255, Math.round((data[i + k] as number) * spec.light + lift + n)));
    }
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/** The photo of `spec`: 1200 × 1600, as a phone in portrait takes it. */
export async function barcodePhoto(name: string, spec: PhotoSpec): Promise<BarcodePhoto> {
  const random = mulberry32(spec.seed);
  const labels = await Promise.all(spec.labels.map((l, i) => placedLabel(l, spec.modulePx * (i === 0 ? 1 : 0.9), spec.angle)));
  let y = Math.round(HEIGHT * 0.08 + random() * HEIGHT * 0.1);
  const layers: OverlayOptions[] = [];
  for (const l of labels) {
    if (l.width > WIDTH || y + l.height > HEIGHT) throw new Error(`${name}: label does not fit the photo`);
    layers.push({ input: l.png, left: Math.round(random() * (WIDTH - l.width)), top: y });
    y += l.height + Math.round(40 + random() * 80);
  }
  const composed = await sharp(Buffer.from(packSvg(random))).composite(layers).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let photo = await camera({ data: composed.data, width: composed.info.width, height: composed.info.height }, spec, random);
  if (spec.exif) photo = sharp(await photo.rotate(270).png().toBuffer()).withMetadata({ orientation: 6 });
  const image = spec.format === 'png' ? await photo.png().toBuffer() : await photo.jpeg({ quality: 80 }).toBuffer();
  return { name, image, codes: spec.labels.map(codeOf) };
}

/**
 * The set the tests and the bench read: every symbology in `perSymbology` variations of angle
 * (0–30°, 90°, 180°), blur (sigma up to 2), size, light and noise; some photos show two codes,
 * some are stored turned with an EXIF orientation, some are PNG.
 */
export async function barcodePhotoSet(perSymbology = 12): Promise<BarcodePhoto[]> {
  const symbologies: Symbology[] = ['ean13', 'ean8', 'upca', 'code128'];
  const angles = [0, 7, -12, 18, -25, 30, 90, 180, 4, -8, 15, 270];
  const specs: [string, PhotoSpec][] = [];
  for (const [s, symbology] of symbologies.entries()) {
    for (let i = 0; i < perSymbology; i++) {
      const seed = 1000 * (s + 1) + i;
      const random = mulberry32(seed);
      const labels = [randomLabel(symbology, random)];
      if (i % 5 === 3) labels.push(randomLabel(symbologies[(s + 1) % symbologies.length] as Symbology, random));
      const angle = angles[i % angles.length] as number;
      const spec: PhotoSpec = {
        labels, angle, seed,
        blur: [0, 1, 1.5, 2][i % 4] as number,
        // 3.2–5 px bars: a pack's EAN-13 fills a third to a half of the photo's width.
        modulePx: 3.2 + random() * 1.8,
        noise: 4 + random() * 10,
        light: i % 3 === 2 ? 0.6 : 1,
        exif: i % 6 === 5,
        format: i % 7 === 6 ? 'png' : 'jpeg',
      };
      specs.push([`${symbology} #${i} ${angle}° blur ${spec.blur}${labels.length > 1 ? ' two codes' : ''}`, spec]);
    }
  }
  // A few at a time: each photo holds several 8 MB copies of its pixels while it is made.
  const photos: BarcodePhoto[] = [];
  for (let i = 0; i < specs.length; i += 4) photos.push(...await Promise.all(specs.slice(i, i + 4).map(([name, spec]) => barcodePhoto(name, spec))));
  return photos;
}

/** A photo of a pack with no barcode on it. */
export async function photoWithoutBarcode(seed = 7): Promise<Buffer> {
  const random = mulberry32(seed);
  const pack = await sharp(Buffer.from(packSvg(random))).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const photo = await camera({ data: pack.data, width: pack.info.width, height: pack.info.height }, { labels: [], angle: 0, blur: 1, modulePx: 0, noise: 8, light: 1, seed }, random);
  return photo.jpeg({ quality: 80 }).toBuffer();
}
