import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, isAppError } from '../../errors.ts';
import { killPoint } from '../../kill-point.ts';
import { fsyncPath } from '../atomic-file.ts';
import { nameOfPartial, partialName, type BackupDestination, type ByteProgress, type DestinationPlace, type StoredBackupFile } from '../../pipeline/backup/ports.ts';

/**
 * Backups kept in a local folder (a second disk, a NAS mount). Files are 0600 in a 0700 folder,
 * arrive under a dot-name (partialName) and are renamed once complete and synced, so a crash never
 * leaves a partial file under a final name; the next run removes the dot-name (removeLeftovers).
 * On the same file system the work file is hard-linked instead of copied, so progress is reported
 * once, when the copy is complete; an abort is heeded before the copy and before the rename.
 */
export class FolderDestination implements BackupDestination {
  readonly description: string;
  readonly place: DestinationPlace;

  constructor(private readonly dir: string) {
    this.description = `the folder ${dir}`;
    this.place = { kind: 'folder', location: dir };
  }

  private failure(err: unknown, name: string): AppError {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new AppError('refused', 'disk', `The disk holding ${this.dir} is full, so ${name} could not be stored there: free some space or lower the job's retention.`, { cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return new AppError('refused', 'folder', `tokobot may not write to ${this.dir} (${code}): fix the folder's owner or permissions.`, { cause: err });
    }
    return new AppError('refused', 'folder', `Could not store ${name} in ${this.dir}: ${(err as Error).message}`, { cause: err });
  }

  async put(localPath: string, name: string, options: { onProgress?: ByteProgress; signal?: AbortSignal } = {}): Promise<{ location: string }> {
    const partial = path.join(this.dir, partialName(name));
    const final = path.join(this.dir, name);
    const stopIfAborted = () => {
      if (options.signal?.aborted) throw new AppError('interrupted', 'folder', `The copy of ${name} to ${this.description} was stopped before it finished; nothing was kept there.`);
    };
    try {
      stopIfAborted();
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700);
      await unlink(partial).catch(() => undefined);
      try {
        await link(localPath, partial);
      } catch (err) {
        if (!['EXDEV', 'EPERM', 'ENOTSUP'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
        await copyFile(localPath, partial, constants.COPYFILE_FICLONE);
      }
      killPoint('mid-upload');
      await chmod(partial, 0o600);
      const [want, got] = await Promise.all([stat(localPath), stat(partial)]);
      if (want.size !== got.size) throw new Error(`the copy has ${got.size} bytes instead of ${want.size}`);
      options.onProgress?.(got.size, want.size);
      await fsyncPath(partial);
      stopIfAborted();
      killPoint('before-rename');
      await rename(partial, final);
      await fsyncPath(this.dir);
    } catch (err) {
      await unlink(partial).catch(() => undefined);
      throw isAppError(err) ? err : this.failure(err, name);
    }
    return { location: final };
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw this.failure(err, 'the list');
    }
  }

  async list(): Promise<StoredBackupFile[]> {
    const names = await this.names();
    const files: StoredBackupFile[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const s = await stat(path.join(this.dir, name)).catch(() => null);
      if (s?.isFile()) files.push({ name, size: s.size, modifiedAt: s.mtime });
    }
    return files;
  }

  /** Opened before it resolves, so a missing file rejects here rather than mid-stream. */
  async read(name: string): Promise<Readable> {
    const handle = await open(path.join(this.dir, name), 'r').catch((err) => { throw this.failure(err, name); });
    return handle.createReadStream();
  }

  async remove(name: string): Promise<void> {
    await unlink(path.join(this.dir, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw this.failure(err, name);
    });
  }

  async removeLeftovers(isOurs: (name: string) => boolean): Promise<string[]> {
    const removed: string[] = [];
    for (const file of await this.names()) {
      const name = nameOfPartial(file);
      if (name === null || !isOurs(name)) continue;
      await this.remove(file);
      removed.push(name);
    }
    return removed;
  }

}
