import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { CHAT_PICTURE, findPicture, toChatJpeg } from '../../../src/adapters/image/chat-jpeg.ts';
import { decodeBmp } from '../../../src/adapters/image/bmp.ts';
import { colourAt, delphiPicture, halfTransparentPng, near, noiseWithJpegMarkers, QUADRANTS, quadrantBmp, quadrantJpeg, quadrantPixels, sidewaysJpeg } from '../../fixtures/item-pictures.ts';

/** The picture's format, size and the colour at the middle of each quadrant. */
async function looks(jpeg: Buffer) {
  const m = await sharp(jpeg).metadata();
  const [w, h] = [m.width, m.height];
  const at = (fx: number, fy: number) => colourAt(jpeg, Math.floor(w * fx), Math.floor(h * fy));
  return { format: m.format, width: w, height: h, corners: [await at(0.25, 0.25), await at(0.75, 0.25), await at(0.25, 0.75), await at(0.75, 0.75)] };
}

function assertQuadrants(corners: (readonly number[])[], what: string) {
  const want = [QUADRANTS.topLeft, QUADRANTS.topRight, QUADRANTS.bottomLeft, QUADRANTS.bottomRight];
  corners.forEach((c, i) => assert.ok(near(c as [number, number, number], want[i]!), `${what}: quadrant ${i} is ${c.join(',')}, not ${want[i]!.join(',')}`));
}

test('a JPEG stays a JPEG of the same size and picture', async () => {
  const out = await looks(await toChatJpeg(await quadrantJpeg(320, 240)));
  assert.deepEqual([out.format, out.width, out.height], ['jpeg', 320, 240]);
  assertQuadrants(out.corners, 'jpeg');
});

test('a sideways camera JPEG is turned upright by its EXIF orientation', async () => {
  const stored = await sidewaysJpeg(300, 200);
  const m = await sharp(stored).metadata();
  assert.deepEqual([m.width, m.height, m.orientation], [200, 300, 6], 'the fixture is stored sideways');
  const out = await looks(await toChatJpeg(stored));
  assert.deepEqual([out.width, out.height], [300, 200]);
  assertQuadrants(out.corners, 'sideways');
});

test('a large picture is made at most 1280 px a side, a small one is never enlarged', async () => {
  const big = await looks(await toChatJpeg(await quadrantJpeg(4000, 3000)));
  assert.deepEqual([big.width, big.height], [CHAT_PICTURE.maxSide, 960]);
  assertQuadrants(big.corners, 'big');
  const tall = await looks(await toChatJpeg(await quadrantJpeg(600, 3000)));
  assert.deepEqual([tall.width, tall.height], [256, CHAT_PICTURE.maxSide]);
  const small = await looks(await toChatJpeg(await quadrantJpeg(40, 30)));
  assert.deepEqual([small.width, small.height], [40, 30]);
});

test('transparency is flattened on white', async () => {
  const jpeg = await toChatJpeg(await halfTransparentPng(200, 100));
  assert.equal((await sharp(jpeg).metadata()).format, 'jpeg');
  assert.ok(near(await colourAt(jpeg, 50, 50), [255, 255, 255], 8), 'the transparent half is white, not the red under it nor black');
  assert.ok(near(await colourAt(jpeg, 150, 50), [0, 0, 255]));
});

test('a picture too long and thin for Telegram is padded with white to 20:1', async () => {
  const out = await looks(await toChatJpeg(await quadrantJpeg(3000, 40)));
  assert.equal(out.width, CHAT_PICTURE.maxSide);
  assert.equal(out.height, Math.ceil(CHAT_PICTURE.maxSide / 20));
  assert.ok(near(await colourAt(await toChatJpeg(await quadrantJpeg(3000, 40)), 640, 0), [255, 255, 255], 30), 'white band above');
});

test('BMP: 24-bit bottom-up with padded rows, 32-bit top-down and 8-bit with a palette are decoded exactly', () => {
  for (const [bits, topDown] of [[24, false], [24, true], [32, false], [32, true], [8, false]] as const) {
    const raw = decodeBmp(quadrantBmp(30, 21, { bits, topDown }));
    assert.deepEqual([raw.width, raw.height, raw.channels], [30, 21, 3]);
    assert.ok(raw.data.equals(quadrantPixels(30, 21)), `${bits} bits${topDown ? ' top-down' : ''}: every pixel`);
  }
});

test('a BMP becomes a JPEG of the same picture', async () => {
  const out = await looks(await toChatJpeg(quadrantBmp(150, 100, { bits: 24 })));
  assert.deepEqual([out.format, out.width, out.height], ['jpeg', 150, 100]);
  assertQuadrants(out.corners, 'bmp');
});

test('BMPs this does not read are refused with the reason, never read past their end', () => {
  const rle = quadrantBmp(10, 10, { bits: 8 });
  rle.writeUInt32LE(1, 30);
  assert.throws(() => decodeBmp(rle), /compressed BMP \(compression 1\)/);
  const sixteen = quadrantBmp(10, 10, { bits: 24 });
  sixteen.writeUInt16LE(16, 28);
  assert.throws(() => decodeBmp(sixteen), /16 bits per pixel/);
  assert.throws(() => decodeBmp(quadrantBmp(10, 10, { bits: 24 }).subarray(0, 200)), /cut short/);
  const huge = quadrantBmp(10, 10, { bits: 24 });
  huge.writeInt32LE(1_000_000, 18);
  assert.throws(() => decodeBmp(huge), /BMP of 1000000×10 pixels/);
  assert.throws(() => decodeBmp(Buffer.from('BM')), /not a BMP/);
});

test('a Delphi TPicture (class name, size, file) is unwrapped', async () => {
  const jpeg = await quadrantJpeg(64, 48);
  assert.deepEqual(findPicture(delphiPicture('TJPEGImage', jpeg)), { format: 'jpeg', bytes: jpeg });
  const bmp = quadrantBmp(20, 10, { bits: 24 });
  assert.equal(findPicture(delphiPicture('TBitmap', bmp))?.format, 'bmp');
  assertQuadrants((await looks(await toChatJpeg(delphiPicture('TBitmap', quadrantBmp(40, 20, { bits: 24 }))))).corners, 'delphi bmp');
});

test('bytes that are no picture are refused: unknown magic, noise behind JPEG markers, an SVG', async () => {
  await assert.rejects(toChatJpeg(Buffer.from('just some text, not a picture')), /not a picture format/);
  await assert.rejects(toChatJpeg(Buffer.alloc(0)), /not a picture format/);
  await assert.rejects(toChatJpeg(noiseWithJpegMarkers(800)));
  await assert.rejects(toChatJpeg(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')), /not a picture format/);
});

/** A PNG of a few hundred bytes claiming `width`×`height` pixels: its header and one row of them. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const frame = Buffer.alloc(12 + data.length);
    frame.writeUInt32BE(data.length, 0);
    body.copy(frame, 4);
    frame.writeUInt32BE(crc32(body), 8 + data.length);
    return frame;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))), chunk('IEND', Buffer.alloc(0))]);
}

test('a small file claiming a huge picture is refused before it is decoded', async () => {
  await assert.rejects(toChatJpeg(pngHeaderOnly(8_000, 8_000)), /pixel limit/i);
  // Under the limit the same header is read further and fails for want of pixels, not for its size.
  await assert.rejects(toChatJpeg(pngHeaderOnly(4_000, 4_000)), (err: Error) => !/pixel limit/i.test(err.message));
});
