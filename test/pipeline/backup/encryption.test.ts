import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptStream, encryptStream } from '../../../src/pipeline/backup/encryption.ts';
import { isAppError } from '../../../src/errors.ts';

async function through(t: NodeJS.ReadWriteStream, input: Buffer, pieces = 7): Promise<Buffer> {
  const out: Buffer[] = [];
  const step = Math.max(1, Math.ceil(input.length / pieces));
  const parts = Array.from({ length: Math.ceil(input.length / step) || 1 }, (_, i) => input.subarray(i * step, (i + 1) * step));
  await pipeline(Readable.from(parts), t, new Writable({ write(c, _e, cb) { out.push(c); cb(); } }));
  return Buffer.concat(out);
}

const refused = (p: Promise<unknown>, why: RegExp) => assert.rejects(p, (err) => isAppError(err) && why.test(err.message));

test('round trip: several chunks, one chunk, and an empty file', async () => {
  for (const size of [3 * 1024 * 1024 + 17, 1000, 0]) {
    const plain = randomBytes(size);
    const sealed = await through(encryptStream('kata sandi toko'), plain);
    assert.ok(!sealed.includes(plain.subarray(0, Math.min(64, size))) || size === 0);
    assert.deepEqual(await through(decryptStream('kata sandi toko'), sealed, 5), plain);
  }
});

test('a wrong passphrase, a changed byte, a dropped or moved chunk, a cut file and appended data are all refused', async () => {
  const plain = randomBytes(2 * 1024 * 1024 + 500);
  const sealed = await through(encryptStream('benar'), plain);
  await refused(through(decryptStream('salah'), sealed), /passphrase is wrong/);
  const flipped = Buffer.from(sealed);
  flipped[sealed.length - 100]! ^= 1;
  await refused(through(decryptStream('benar'), flipped), /changed, damaged/);
  const chunk = 4 + 1024 * 1024 + 16;
  const header = 13 + 16 + 3 + 8 + 4;
  const withoutLast = sealed.subarray(0, header + 2 * chunk);
  await refused(through(decryptStream('benar'), withoutLast), /changed|ends early/);
  const swapped = Buffer.concat([sealed.subarray(0, header), sealed.subarray(header + chunk, header + 2 * chunk),
    sealed.subarray(header, header + chunk), sealed.subarray(header + 2 * chunk)]);
  await refused(through(decryptStream('benar'), swapped), /cannot be opened/);
  await refused(through(decryptStream('benar'), sealed.subarray(0, sealed.length - 10)), /ends early|damaged/);
  await refused(through(decryptStream('benar'), Buffer.concat([sealed, sealed.subarray(header, header + chunk)])), /changed|after its last/);
  await refused(through(decryptStream('benar'), Buffer.from('PGDMP not encrypted at all, just some bytes here')), /not a tokobot encrypted file/);
});
