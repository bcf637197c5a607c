import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContentHasher, hashingCounter } from '../../src/adapters/content-hash.ts';
import { AppError } from '../../src/errors.ts';
import type { BackupFile, BackupSource, DownloadResult, ProgressFn } from '../../src/pipeline/ports.ts';

const BACKUP = /\.(i5bu|zip)$/i;
/** Bytes per chunk a download writes, so that progress comes in steps as it does from a disk or the network. */
const CHUNK = 64 * 1024;

const hashOf = (bytes: Buffer) => { const h = new ContentHasher(); h.update(bytes); return h.digest(); };

/**
 * A backup source in memory, for unit tests: files by name (a name with '/' is in a subfolder and
 * never listed), listed with their content hash as Dropbox does, written to disk on download.
 * `state` makes the whole place missing (a wrong setting) or unreachable (a network down).
 */
export class MemoryBackupSource implements BackupSource {
  readonly description = 'the memory backup source';
  state: 'ok' | 'missing' | 'unreachable' = 'ok';
  private readonly files = new Map<string, { bytes: Buffer; modifiedAt: Date }>();

  /** Adds or replaces a file, as the shop's backup client would. */
  add(name: string, bytes: Buffer, modifiedAt = new Date()): void {
    this.files.set(name, { bytes: Buffer.from(bytes), modifiedAt });
  }

  remove(name: string): void {
    this.files.delete(name);
  }

  private reach(): void {
    if (this.state === 'missing') {
      throw new AppError('refused', 'folder', `${this.description} does not exist: check the store's MEMORY_SOURCE setting.`);
    }
    if (this.state === 'unreachable') {
      throw new AppError('unreachable', 'folder', `Cannot reach ${this.description}; the next sync will try again.`, { retryable: true });
    }
  }

  async list(): Promise<BackupFile[]> {
    this.reach();
    return [...this.files].filter(([name]) => !name.includes('/') && BACKUP.test(name))
      .map(([name, f]) => ({ id: name, name, size: f.bytes.length, modifiedAt: f.modifiedAt, contentHash: hashOf(f.bytes) }));
  }

  async download(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    this.reach();
    const f = this.files.get(file.id);
    if (!f) {
      throw new AppError('refused', 'folder', `${file.name} is no longer in ${this.description}; the next sync will pick the newest backup again.`,
        { retryable: true });
    }
    if (f.bytes.length !== file.size || hashOf(f.bytes) !== file.contentHash) {
      throw new AppError('corrupt', 'backup-file', `The download of ${file.name} was damaged: the file changed after it was listed. The sync will try again.`,
        { retryable: true });
    }
    const counter = hashingCounter(file.size, onProgress);
    const chunks = Array.from({ length: Math.ceil(f.bytes.length / CHUNK) }, (_, i) => f.bytes.subarray(i * CHUNK, (i + 1) * CHUNK));
    await pipeline(Readable.from(chunks), counter.stream, createWriteStream(destPath, { mode: 0o600 }));
    return counter.result();
  }
}
