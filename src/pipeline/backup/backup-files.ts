import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../errors.ts';
import { stamp } from '../sync/work-files.ts';
import { decryptStream, encryptStream } from './encryption.ts';

export function backupName(jobId: string, extension: string, at: Date): string {
  return `${jobId}_${stamp(at)}${extension}`;
}

/** Where a job's files are made before they are delivered: DATA_DIR/backups/<job>, 0700. */
export async function jobWorkDir(root: string, jobId: string): Promise<string> {
  const dir = path.join(root, jobId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Everything a run leaves in its work folder is unfinished by definition; it goes at the next run. */
export async function clearWorkDir(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) await rm(path.join(dir, name), { force: true, recursive: true });
}

/** Counts and hashes (SHA-256) what passes through. */
export class HashCounter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly onBytes?: (bytes: number) => void) {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    const before = this.bytes;
    this.bytes += chunk.length;
    if (this.onBytes && Math.floor(before / (1 << 20)) !== Math.floor(this.bytes / (1 << 20))) this.onBytes(this.bytes);
    done(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export function diskFailure(err: unknown, file: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('refused', 'disk', `The disk holding ${path.dirname(file)} is full, so the backup could not be written: free some space (or point DATA_DIR at a larger disk) and run it again.`, { cause: err });
  }
  return err;
}

/**
 * A new 0600 file that `fill` writes into (without ending it); resolves with its size and
 * SHA-256. When writing fails (disk full) `fill` is told to stop through its signal.
 */
export async function writeHashed(file: string, fill: (into: Writable, signal: AbortSignal) => Promise<unknown>,
  options: { onBytes?: (n: number) => void; signal?: AbortSignal } = {}): Promise<{ bytes: number; sha256: string }> {
  const counter = new HashCounter(options.onBytes);
  const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const piped = pipeline(counter, out);
  try {
    await Promise.all([fill(counter, signal).then(() => counter.end()), piped.catch((err) => { stop.abort(diskFailure(err, file)); throw err; })]);
  } catch (err) {
    counter.destroy();
    await piped.catch(() => undefined);
    throw diskFailure(err, file);
  }
  return { bytes: counter.bytes, sha256: counter.digest() };
}

/** Encrypts `plain` into `sealed` and reads it back through decryption, so a file that cannot be opened again is never delivered. */
export async function encryptAndCheck(plain: string, sealed: string, passphrase: string, plainSha: string, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  const written = await writeHashed(sealed, (into, stop) => pipeline(createReadStream(plain), encryptStream(passphrase), into, { end: false, signal: stop }), { signal });
  const check = new HashCounter();
  await pipeline(createReadStream(sealed), decryptStream(passphrase), check, async function* (source) { for await (const _ of source) { /* drain */ } }, { signal });
  if (check.digest() !== plainSha) throw new AppError('corrupt', 'backup-file', 'The encrypted file does not decrypt to the backup it was made from; nothing was delivered. Run the backup again.');
  return written;
}

/** The SQL text of a MySQL backup file (.sql.gz, decrypted first when a passphrase is given); a failure of any step ends the stream with it. */
export function openSqlDump(file: string, passphrase?: string): Readable {
  const steps: Transform[] = [...(passphrase ? [decryptStream(passphrase)] : []), createGunzip()];
  let out: Readable = createReadStream(file);
  for (const step of steps) {
    out.on('error', (err) => step.destroy(err));
    out = out.pipe(step);
  }
  return out;
}
