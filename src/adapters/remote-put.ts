import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { AppError, type ErrorSystem } from '../errors.ts';

/** What a put to a server (FTP, SFTP) stopped by its signal says: nothing kept under the file's name. */
export function putStopped(system: ErrorSystem, name: string, where: string): AppError {
  return new AppError('interrupted', system, {
    en: `The copy of ${name} to ${where} was stopped before it finished; nothing was kept under its name.`,
    id: `Penyalinan ${name} ke ${where} dihentikan sebelum selesai; tidak ada yang disimpan dengan namanya.`,
  });
}

/**
 * A copy that arrived on a server other than it was sent (`arrived` bytes for `size`, or the right
 * size with a SHA-256 of other bytes), deleted there by the caller: the next run sends it again.
 */
export function arrivedDamaged(system: ErrorSystem, name: string, where: string, got: { arrived: number; size: number } | 'checksum'): AppError {
  const what = got === 'checksum'
    ? { en: 'with the right size but other bytes (its SHA-256 differs)', id: 'dengan ukuran yang benar tetapi isi yang lain (SHA-256 berbeda)' }
    : { en: `with ${got.arrived} bytes instead of ${got.size}`, id: `dengan ${got.arrived} byte, bukan ${got.size}` };
  return new AppError('corrupt', system, {
    en: `${name} arrived on ${where} ${what.en}; it was deleted there, and the next try sends it again.`,
    id: `${name} tiba di ${where} ${what.id}; salinannya dihapus, dan percobaan berikutnya mengirim ulang.`,
  }, { retryable: true });
}

/** The size of the local file a put sends; a file that cannot be read is this machine's disk refusing. */
export function localFileSize(localPath: string, name: string): Promise<number> {
  return stat(localPath).then((s) => s.size, (err: NodeJS.ErrnoException) => {
    throw new AppError('refused', 'disk', `Could not store ${name}: cannot read ${localPath} (${err.code ?? 'error'}).`, { cause: err });
  });
}

/** The SHA-256 of the local file a put sent (hex), read as a stream: what a server's own checksum is compared with. */
export async function localFileSha256(localPath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(localPath), hash);
  return hash.digest('hex');
}
