import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../errors.ts';
import type { BackupFile, BackupSource, DownloadResult, ProgressFn } from '../../pipeline/ports.ts';
import { hashingCounter } from '../content-hash.ts';

const BACKUP = /\.(i5bu|zip)$/i;

/** Backups in a local folder: one the Dropbox desktop client keeps in sync, or a demo folder. */
export class FolderSource implements BackupSource {
  readonly description: string;

  constructor(private readonly dir: string) {
    this.description = `the folder ${dir}`;
  }

  async list(): Promise<BackupFile[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      throw new AppError('source-not-found',
        `The backup folder ${this.dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): check SOURCE_DIR (or the store's "dir") and its permissions.`, { cause: err });
    }
    const files: BackupFile[] = [];
    for (const name of names.filter((n) => BACKUP.test(n))) {
      const full = path.join(this.dir, name);
      const s = await stat(full).catch(() => null);
      if (s?.isFile()) files.push({ id: full, name, size: s.size, modifiedAt: s.mtime });
    }
    return files;
  }

  async download(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    const counter = hashingCounter(file.size, onProgress);
    await pipeline(createReadStream(file.id, { highWaterMark: 1 << 20 }), counter.stream, createWriteStream(destPath, { mode: 0o600 }));
    return counter.result();
  }
}
