import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import bwipjs from 'bwip-js';
import sharp from 'sharp';
import { ZXING_WASM_SHA256 } from 'zxing-wasm/reader';
import { MAX_IMAGE_BYTES, MAX_SIDE, ZxingBarcodeReader } from '../../src/adapters/barcode/barcode-reader.ts';
import { photoPixels } from '../../src/adapters/barcode/photo-pixels.ts';
import { ZXING_WASM_PATH } from '../../src/adapters/barcode/zxing-module.ts';
import { AppError, errorDetail } from '../../src/errors.ts';
import { ownerMessage } from '../../src/owner-messages.ts';
import { barcodePhoto, barcodePhotoSet, gs1CheckDigit, photoWithoutBarcode } from '../helpers/barcode-photos.ts';

// Left to itself zxing-wasm fetches its WebAssembly from a CDN at first use. Every fetch of this
// process is recorded (and fails) from before the decoder's first use: none may happen.
const fetched: string[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: string | URL | Request) => {
  fetched.push(String(input instanceof Request ? input.url : input));
  throw new TypeError('fetch failed: no network in this test');
}) as typeof fetch;
after(() => { globalThis.fetch = realFetch; });

const reader = new ZxingBarcodeReader();

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  return err;
}

test('the decoder is the package\'s own WebAssembly file, loaded from disk', async () => {
  assert.ok(ZXING_WASM_PATH.endsWith(path.join('node_modules', 'zxing-wasm', 'dist', 'reader', 'zxing_reader.wasm')), ZXING_WASM_PATH);
  assert.equal(createHash('sha256').update(readFileSync(ZXING_WASM_PATH)).digest('hex'), ZXING_WASM_SHA256);
  const photo = await barcodePhoto('plain', { labels: [{ symbology: 'ean13', data: '899100000001' }], angle: 0, blur: 0, modulePx: 4, noise: 4, light: 1, seed: 1 });
  assert.deepEqual(await reader.read(photo.image), [{ text: photo.codes[0], format: 'EAN-13' }]);
  assert.deepEqual(fetched, [], 'nothing fetched');
});

test('48 phone-like photos (EAN-13, EAN-8, UPC-A, Code 128; turned, blurred, dim, noisy, two codes, EXIF-turned): ≥ 95 % read, none misread', async () => {
  const photos = await barcodePhotoSet();
  assert.ok(photos.length >= 40);
  assert.ok(photos.some((p) => p.codes.length === 2));
  const misses: string[] = [];
  for (const photo of photos) {
    const read = await reader.read(photo.image);
    // Never a code that is not on the photo: a wrong price is worse than none.
    for (const code of read) assert.ok(photo.codes.includes(code.text), `${photo.name}: read ${code.text}, shows ${photo.codes.join(', ')}`);
    if (read.length !== photo.codes.length) misses.push(`${photo.name}: read ${read.map((c) => c.text).join(', ') || 'nothing'}`);
  }
  const share = (photos.length - misses.length) / photos.length;
  assert.ok(share >= 0.95, `${(share * 100).toFixed(1)} % read; missed:\n${misses.join('\n')}`);
  assert.deepEqual(fetched, []);
});

test('what each code is: UPC-A as its 12 printed digits, Code 128 as its text; two codes top to bottom', async () => {
  const photo = await barcodePhoto('two', {
    labels: [{ symbology: 'code128', data: 'TK-000123' }, { symbology: 'upca', data: '01234567890' }], angle: 0, blur: 0.5, modulePx: 4, noise: 4, light: 1, seed: 3,
  });
  assert.deepEqual(await reader.read(photo.image), [{ text: 'TK-000123', format: 'Code 128' },
    { text: '012345678905', format: 'UPC-A', alsoWritten: ['0012345678905'] }]);
});

test('a UPC-E is its 8 printed digits, also written as the UPC-A and EAN-13 it stands for; Code 39 is read too', async () => {
  // UPC-E 0 123456: its last digit 6 says the UPC-A is 0 12345 0000 6, plus that number's check digit.
  const upcA = `0123450000${6}${gs1CheckDigit('01234500006')}`;
  const labels = await Promise.all([bwipjs.toBuffer({ bcid: 'upce', text: '0123456', scale: 4, height: 15, includetext: true, backgroundcolor: 'ffffff', paddingwidth: 10 }),
    bwipjs.toBuffer({ bcid: 'code39', text: 'TK123456', scale: 3, height: 12, includetext: true, backgroundcolor: 'ffffff', paddingwidth: 10 })]);
  const photo = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#aa7744' } })
    .composite([{ input: labels[0] as Buffer, left: 300, top: 300 }, { input: labels[1] as Buffer, left: 200, top: 900 }]).jpeg({ quality: 80 }).toBuffer();
  assert.deepEqual(await reader.read(photo), [
    { text: `0123456${upcA.at(-1)}`, format: 'UPC-E', alsoWritten: [upcA, `0${upcA}`] },
    { text: 'TK123456', format: 'Code 39' },
  ]);
});

test('a photo with no barcode reads as none (the chat answers with a hint), not as an error', async () => {
  assert.deepEqual(await reader.read(await photoWithoutBarcode()), []);
});

test('a 20 MB picture is refused before it is decoded, naming the 10 MB limit, in both languages', async () => {
  // A real picture: random pixels do not compress, so the PNG is as big as its pixels.
  const side = 2660;
  const pixels = Buffer.alloc(side * side * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.imul(i, 2654435761) >>> 24;
  const png = await sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  assert.ok(png.length >= 20 * 1024 * 1024, `${png.length} bytes`);
  const err = await refusal(reader.read(png));
  assert.deepEqual([err.kind, err.system], ['refused', 'barcode']);
  assert.match(err.message, /^The photo is 20\.\d MB; tokobot reads photos up to 10\.0 MB\./);
  assert.match(errorDetail(err, 'id'), /^Fotonya 20,\d MB; tokobot membaca foto sampai 10,0 MB\./);
  assert.equal(ownerMessage(err, 'id'), 'tokobot tidak membaca foto ini. Rincian di bawah menyebut sebabnya.');
});

test('a picture of more pixels than any phone camera (a small file that would decode huge) is refused', async () => {
  const png = await sharp({ create: { width: 9000, height: 9000, channels: 3, background: '#ffffff' } }).png().toBuffer();
  assert.ok(png.length < MAX_IMAGE_BYTES);
  const err = await refusal(reader.read(png));
  assert.deepEqual([err.kind, err.system], ['refused', 'barcode']);
  assert.match(err.message, /81 megapixels; tokobot reads photos up to 50 megapixels/);
});

test('what is not a picture is refused as such; a picture cut short as damaged', async () => {
  for (const notPicture of [Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(0), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')]) {
    const err = await refusal(reader.read(notPicture));
    assert.deepEqual([err.kind, err.system], ['usage', 'barcode']);
    assert.equal(errorDetail(err, 'en'), 'The file is not a JPEG, PNG or WebP picture.');
  }
  const photo = await barcodePhoto('cut', { labels: [{ symbology: 'ean8', data: '1234567' }], angle: 0, blur: 0, modulePx: 4, noise: 4, light: 1, seed: 4 });
  const err = await refusal(reader.read(photo.image.subarray(0, Math.floor(photo.image.length / 2))));
  assert.deepEqual([err.kind, err.system], ['corrupt', 'barcode']);
  assert.equal(ownerMessage(err, 'en'), 'This photo is damaged or cut short. Send it again.');
  // The reader goes on reading after a refusal.
  assert.deepEqual((await reader.read(photo.image)).map((c) => c.text), photo.codes);
});

test('a photo is turned upright as its EXIF orientation says and scaled down to 1600 px, one grey byte a pixel', async () => {
  // Stored 3000 wide and 4000 tall, EXIF orientation 6: shown turned a quarter, 4000 × 3000.
  const stored = await sharp({ create: { width: 3000, height: 4000, channels: 3, background: '#808080' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const pixels = await photoPixels(stored);
  assert.deepEqual([pixels.width, pixels.height, pixels.data.length], [MAX_SIDE, 1200, MAX_SIDE * 1200]);
  const small = await photoPixels(await sharp({ create: { width: 640, height: 480, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer());
  assert.deepEqual([small.width, small.height, small.data[0]], [640, 480, 255], 'not enlarged; transparency is white');
});
