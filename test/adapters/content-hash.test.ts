import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contentHashOfFile, ContentHasher } from '../../src/adapters/content-hash.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest();

test('content_hash of a multi-block file, fed in odd-sized chunks, matches the published algorithm', () => {
  const data = randomBytes(9 * 1024 * 1024 + 123);
  const blocks = [data.subarray(0, 4194304), data.subarray(4194304, 8388608), data.subarray(8388608)];
  const want = createHash('sha256').update(Buffer.concat(blocks.map(sha))).digest('hex');
  const h = new ContentHasher();
  for (let i = 0; i < data.length; i += 1_000_003) h.update(data.subarray(i, i + 1_000_003));
  assert.equal(h.digest(), want);
});

test('an empty file hashes to the SHA-256 of nothing', () => {
  assert.equal(new ContentHasher().digest(), createHash('sha256').update(Buffer.alloc(0)).digest('hex'));
});

test('a file of exactly one block has one block digest, and contentHashOfFile agrees with the streaming hasher', async () => {
  const data = randomBytes(4194304);
  const want = createHash('sha256').update(sha(data)).digest('hex');
  const h = new ContentHasher();
  h.update(data);
  assert.equal(h.digest(), want);
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-hash-'));
  try {
    writeFileSync(path.join(dir, 'one-block.bin'), data);
    assert.equal(await contentHashOfFile(path.join(dir, 'one-block.bin')), want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
