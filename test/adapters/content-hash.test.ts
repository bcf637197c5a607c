import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ContentHasher } from '../../src/adapters/content-hash.ts';

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
