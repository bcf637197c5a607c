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
