import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError } from '../../src/errors.ts';
import { nameOfPartial, partialName, type BackupDestination, type ByteProgress, type StoredBackupFile } from '../../src/pipeline/backup/ports.ts';

/**
 * A backup destination in memory, for unit tests. `files` holds every file by name, temporary ones
 * included (a name with '/' is in a subfolder); `folders` holds names taken by a folder. `state`
 * makes it refuse writes or be out of reach; `damageNext` flips a byte of the next put on its way.
 */
export class MemoryBackupDestination implements BackupDestination {
  readonly description = 'the memory backup destination';
  readonly files = new Map<string, { bytes: Buffer; modifiedAt: Date }>();
  readonly folders = new Set<string>();
  state: 'ok' | 'read-only' | 'unreachable' = 'ok';
  damageNext = false;

  private reach(): void {
    if (this.state === 'unreachable') {
      throw new AppError('unreachable', 'folder', `Cannot reach ${this.description}; the next backup will try again.`, { retryable: true });
    }
  }

  private stopIfAborted(name: string, signal?: AbortSignal): void {
    if (!signal?.aborted) return;
    this.files.delete(partialName(name));
    throw new AppError('interrupted', 'folder', `Storing ${name} in ${this.description} was stopped before it finished; nothing was kept there.`);
  }

  async put(localPath: string, name: string, options: { onProgress?: ByteProgress; signal?: AbortSignal } = {}): Promise<{ location: string }> {
    this.reach();
    this.stopIfAborted(name, options.signal);
    const bytes = await readFile(localPath).catch((err: NodeJS.ErrnoException) => {
      throw new AppError('refused', 'disk', `Cannot read ${localPath} to store it (${err.code ?? 'error'}).`, { cause: err });
    });
    if (this.state === 'read-only') throw new AppError('refused', 'folder', `${this.description} is read-only: ${name} could not be stored there.`);
    const arrived = Buffer.from(bytes);
    if (this.damageNext && arrived.length > 0) arrived[0] = (arrived[0] ?? 0) ^ 0xff;
    this.damageNext = false;
    const partial = partialName(name);
    this.files.set(partial, { bytes: arrived, modifiedAt: new Date() });
    options.onProgress?.(bytes.length, bytes.length);
    if (!arrived.equals(bytes)) {
      this.files.delete(partial);
      throw new AppError('corrupt', 'folder', `${name} arrived damaged in ${this.description}, so it was deleted there; the next backup will try again.`,
        { retryable: true });
    }
    if (this.folders.has(name)) {
      this.files.delete(partial);
      throw new AppError('refused', 'folder', `A folder named ${name} is in ${this.description}; tokobot does not replace it: move or rename it.`);
    }
    this.stopIfAborted(name, options.signal);
    this.files.delete(partial);
    this.files.set(name, { bytes: arrived, modifiedAt: new Date() });
    return { location: `${this.description}: ${name}` };
  }

  async list(): Promise<StoredBackupFile[]> {
    this.reach();
    return [...this.files].filter(([name]) => !name.includes('/') && nameOfPartial(name) === null)
      .map(([name, f]) => ({ name, size: f.bytes.length, modifiedAt: f.modifiedAt }));
  }

  async read(name: string): Promise<Readable> {
    this.reach();
    const file = nameOfPartial(name) === null ? this.files.get(name) : undefined;
    if (!file) throw new AppError('refused', 'folder', `${name} is not in ${this.description}.`);
    return Readable.from([file.bytes]);
  }

  async remove(name: string): Promise<void> {
    this.reach();
    this.files.delete(name);
  }

  async removeLeftovers(isOurs: (name: string) => boolean): Promise<string[]> {
    this.reach();
    const removed: string[] = [];
    for (const file of [...this.files.keys()]) {
      const name = nameOfPartial(file);
      if (name === null || file.includes('/') || !isOurs(name)) continue;
      this.files.delete(file);
      removed.push(name);
    }
    return removed;
  }
}
