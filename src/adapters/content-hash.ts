import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';

const BLOCK = 4 * 1024 * 1024;

/**
 * Dropbox's content_hash, computed while streaming: SHA-256 of each 4 MiB block, then SHA-256 of
 * the concatenated block digests, in lower-case hex. Folder sources use it too, so that "already
 * published" means the same everywhere.
 */
export class ContentHasher {
  private readonly digests: Buffer[] = [];
  private block: Hash = createHash('sha256');
  private inBlock = 0;

  update(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(BLOCK - this.inBlock, chunk.length - offset);
      this.block.update(chunk.subarray(offset, offset + take));
      this.inBlock += take;
      offset += take;
      if (this.inBlock === BLOCK) {
        this.digests.push(this.block.digest());
        this.block = createHash('sha256');
        this.inBlock = 0;
      }
    }
  }

  /** Call once, after the last update. */
  digest(): string {
    if (this.inBlock > 0) this.digests.push(this.block.digest());
    this.inBlock = 0;
    return createHash('sha256').update(Buffer.concat(this.digests)).digest('hex');
  }
}

export async function contentHashOfFile(path: string): Promise<string> {
  const h = new ContentHasher();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest();
}

/** A pass-through stage that hashes and counts what flows into a file, reporting progress. result() ends the hash. */
export type HashingCounter = ReturnType<typeof hashingCounter>;

export function hashingCounter(total: number, onProgress?: (done: number, total: number) => void) {
  const hasher = new ContentHasher();
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hasher.update(chunk);
      bytes += chunk.length;
      onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
  return { stream, bytes: () => bytes, result: () => ({ bytes, contentHash: hasher.digest() }) };
}
