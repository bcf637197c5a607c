import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../errors.ts';
import type { BackupFile, BackupSource, DownloadResult, ProgressFn } from '../../pipeline/ports.ts';
import { hashingCounter } from '../content-hash.ts';
import { BACKUP_FILE } from '../backup-files.ts';


/**
 * Backups in a local folder: one the Dropbox desktop client keeps in sync, or a demo folder.
 * The client may still be writing a file while it is copied, so a copy whose size or modification
 * time differs from the listing is reported as damaged rather than passed on.
 */
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
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new AppError('refused', 'folder', {
        en: `The backup folder ${this.dir} cannot be read (${code}): check SOURCE_DIR (or the store's "dir") and that tokobot may read it.`,
        id: `Folder backup ${this.dir} tidak bisa dibaca (${code}): periksa SOURCE_DIR (atau "dir" toko itu) dan bahwa tokobot boleh membacanya.`,
      }, { cause: err });
    }
    const files: BackupFile[] = [];
    for (const name of names.filter((n) => BACKUP_FILE.test(n))) {
      const full = path.join(this.dir, name);
      const s = await stat(full).catch(() => null);
      if (s?.isFile()) files.push({ id: full, name, size: s.size, modifiedAt: s.mtime });
    }
    return files;
  }

  async download(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    const counter = hashingCounter(file.size, onProgress);
    try {
      await pipeline(createReadStream(file.id, { highWaterMark: 1 << 20 }), counter.stream, createWriteStream(destPath, { mode: 0o600 }));
    } catch (err) {
      throw copyError(err, file, destPath);
    }
    const result = counter.result();
    const changed = await changeSinceListing(file, result.bytes);
    if (changed || (file.contentHash && file.contentHash !== result.contentHash)) {
      throw new AppError('corrupt', 'backup-file', {
        en: `The copy of ${file.name} was damaged: it changed while being copied (${changed ?? 'other content'}; it may still be syncing). The sync will try again.`,
        id: `Salinan ${file.name} rusak: file berubah saat disalin (${changed ?? 'isinya lain'}; mungkin masih disinkronkan). Sync akan mencoba lagi.`,
      }, { retryable: true });
    }
    return result;
  }
}

/**
 * How the file differs from its listing, or undefined. The time counts as well as the size: a
 * backup rewritten with the same size (the next one, or one still being written) has new bytes
 * the size cannot show. A file gone once it was read whole was read as listed.
 */
async function changeSinceListing(file: BackupFile, copied: number): Promise<string | undefined> {
  if (copied !== file.size) return `${copied} bytes, ${file.size} when listed`;
  const now = await stat(file.id).catch(() => null);
  if (now && now.mtime.getTime() !== file.modifiedAt.getTime()) {
    return `modified ${now.mtime.toISOString()}, ${file.modifiedAt.toISOString()} when listed`;
  }
  return undefined;
}

function copyError(err: unknown, file: BackupFile, destPath: string): AppError {
  const e = err as NodeJS.ErrnoException;
  if (e.path === file.id && e.code === 'ENOENT') {
    return new AppError('refused', 'folder', {
      en: `${file.name} disappeared from ${path.dirname(file.id)} after it was listed; the next sync will pick the newest backup again.`,
      id: `${file.name} hilang dari ${path.dirname(file.id)} setelah didaftar; sync berikutnya akan memilih backup terbaru lagi.`,
    }, { retryable: true, cause: err });
  }
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new AppError('refused', 'disk', {
      en: `No space left for ${file.name} (${file.size} bytes) at ${destPath}: free some disk space.`,
      id: `Tidak ada ruang untuk ${file.name} (${file.size} byte) di ${destPath}: kosongkan ruang disk.`,
    }, { cause: err });
  }
  const reading = e.path === file.id;
  return new AppError('config', 'folder', {
    en: `Cannot ${reading ? `read ${file.id}` : `write ${destPath}`} (${e.code ?? 'error'}): check that the folder exists and tokobot may use it.`,
    id: `Tidak bisa ${reading ? `membaca ${file.id}` : `menulis ${destPath}`} (${e.code ?? 'error'}): periksa bahwa foldernya ada dan tokobot boleh memakainya.`,
  }, { cause: err });
}
