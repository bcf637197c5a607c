import { arrivedDamaged, localFileSha256, localFileSize, putStopped } from '../remote-put.ts';
import { PassThrough, type Readable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import { AppError, isAppError } from '../../errors.ts';
import { killPoint } from '../../kill-point.ts';
import { nameOfPartial, partialName, type BackupDestination, type ByteProgress, type DestinationPlace, type StoredBackupFile } from '../../pipeline/backup/ports.ts';

export interface FtpDestinationOptions {
  host: string;
  port: number;
  user: string;
  /** Secret: never in a message or a log line. */
  password: string;
  /** Folder on the server ('/' for the login folder's root); created on the first put. */
  dir: string;
  /** FTPS: true = explicit (AUTH TLS on the usual port), 'implicit' = TLS from the first byte (port 990). */
  secure: boolean | 'implicit';
  /** False only when the job says so (a self-signed certificate): the connection is then encrypted but not authenticated. */
  checkCertificate: boolean;
  /** For every network step (connect, each command, a stalled transfer). */
  timeoutMs?: number;
}

/** A stalled server fails a step after this long; a backup on a slow line still moves bytes within it. */
const DEFAULT_TIMEOUT_MS = 30_000;
const TLS_CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/;

/**
 * The server's SHA-256 of a file (hex), where it offers one: the HASH command of
 * draft-bryan-ftpext-hash (FileZilla Server, ProFTPD's mod_digest, Serv-U), listed by FEAT with
 * SHA-256 among its algorithms. Null where it does not, or refuses it for this file: the size
 * was checked, and that is all the server allows.
 */
async function serverSha256(client: Client, file: string): Promise<string | null> {
  const algorithms = (await client.features().catch(() => new Map<string, string>())).get('HASH');
  if (!algorithms || !/SHA-256/i.test(algorithms)) return null;
  await client.sendIgnoringError('OPTS HASH SHA-256');
  const answer = await client.sendIgnoringError(`HASH ${file}`);
  if (answer.code !== 213) return null;
  return /\bSHA-256\s+\S+\s+([0-9a-f]{64})\b/i.exec(answer.message)?.[1]?.toLowerCase() ?? null;
}

/**
 * Backups kept on an FTP or FTPS server (basic-ftp). Each call opens its own connection and closes
 * it on every path. put() uploads under the temporary name, compares the size the server reports
 * (SIZE) with the local file, and, where the server offers a SHA-256 (HASH), that too; only then
 * renames it. The copy's location says which was checked. A cut connection fails the put and the
 * temporary file stays until removeLeftovers(), or the next put of the same name replaces it.
 */
export class FtpDestination implements BackupDestination {
  readonly description: string;
  readonly place: DestinationPlace;
  private readonly dir: string;
  private readonly scheme: string;

  constructor(private readonly o: FtpDestinationOptions) {
    this.dir = `/${o.dir.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
    this.scheme = o.secure ? 'ftps' : 'ftp';
    const where = `${this.scheme}://${o.user}@${o.host}:${o.port}${this.dir || '/'}`;
    this.description = `the ${o.secure ? 'FTPS' : 'FTP'} folder ${where}`;
    this.place = { kind: o.secure ? 'ftps' : 'ftp', location: where };
  }

  private path(name: string): string {
    return `${this.dir}/${name}`;
  }

  /** What went wrong, said for the owner; the password is never part of it. */
  private failure(err: unknown, what: string): AppError {
    if (isAppError(err)) return err;
    const server = `${this.o.host}:${this.o.port}`;
    if (err instanceof FTPError) {
      const said = `${err.code} ${err.message.replace(/^\d{3}\s*/, '')}`.slice(0, 200);
      if (err.code === 530) {
        return new AppError('refused', 'ftp', {
          en: `The FTP server ${server} refused the login of ${this.o.user} (${said}): check the user and the password in the job's passwordEnv.`,
          id: `Server FTP ${server} menolak login ${this.o.user} (${said}): periksa user dan password di passwordEnv job.`,
        }, { cause: err });
      }
      if (err.code === 552 || err.code === 452) {
        return new AppError('refused', 'ftp', {
          en: `The FTP server ${server} has no room for ${what} (${said}): free space there or lower the job's retention.`,
          id: `Server FTP ${server} tidak punya ruang untuk ${what} (${said}): kosongkan ruang di sana atau kurangi retensi job.`,
        }, { cause: err });
      }
      return new AppError('refused', 'ftp', { en: `The FTP server ${server} refused ${what}: ${said}`, id: `Server FTP ${server} menolak ${what}: ${said}` },
        { cause: err, retryable: err.code >= 400 && err.code < 500 });
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (TLS_CERT_CODES.test(code)) {
      return new AppError('refused', 'ftp', {
        en: `The FTPS server ${server} showed a certificate this computer does not trust (${code}): give it a trusted certificate, or set checkCertificate: false in the job if you accept an unauthenticated connection.`,
        id: `Server FTPS ${server} memakai sertifikat yang tidak dipercaya komputer ini (${code}): pasang sertifikat yang dipercaya, atau isi checkCertificate: false di job bila koneksi tanpa autentikasi diterima.`,
      }, { cause: err });
    }
    const detail = code || (err as Error).message;
    return new AppError('unreachable', 'ftp', {
      en: `The FTP server ${server} could not be reached or stopped answering during ${what} (${detail}); tokobot tries again on the next run.`,
      id: `Server FTP ${server} tidak bisa dihubungi atau berhenti menjawab saat ${what} (${detail}); tokobot mencoba lagi pada jalan berikutnya.`,
    }, { cause: err, retryable: true });
  }

  /** One connection for `fn`, closed whatever happens. */
  private async session<T>(what: string, fn: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client(this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      await client.access({ host: this.o.host, port: this.o.port, user: this.o.user, password: this.o.password, secure: this.o.secure,
        secureOptions: { rejectUnauthorized: this.o.checkCertificate, servername: this.o.host } });
      return await fn(client);
    } catch (err) {
      throw this.failure(err, what);
    } finally {
      client.close();
    }
  }

  async put(localPath: string, name: string, options: { onProgress?: ByteProgress; signal?: AbortSignal } = {}): Promise<{ location: string }> {
    const stopIfAborted = () => {
      if (options.signal?.aborted) throw putStopped('ftp', name, this.description);
    };
    stopIfAborted();
    const size = await localFileSize(localPath, name);
    const temporary = this.path(partialName(name));
    const final = this.path(name);
    let checked = '';
    await this.session(name, async (client) => {
      if (this.dir) await client.ensureDir(this.dir);
      client.trackProgress((info) => options.onProgress?.(Math.min(info.bytesOverall, size), size));
      const abort = () => client.close();
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        await client.uploadFrom(localPath, temporary);
        client.trackProgress();
        killPoint('mid-upload');
        stopIfAborted();
        const arrived = await client.size(temporary);
        if (arrived !== size) {
          await client.remove(temporary, true);
          throw arrivedDamaged('ftp', name, this.description, { arrived, size });
        }
        const checksum = await serverSha256(client, temporary);
        if (checksum !== null && checksum !== await localFileSha256(localPath)) {
          await client.remove(temporary, true);
          throw arrivedDamaged('ftp', name, this.description, 'checksum');
        }
        checked = checksum === null ? 'size checked; the server gives no checksum' : 'size and SHA-256 checked';
        options.onProgress?.(size, size);
        killPoint('before-rename');
        await client.remove(final, true);
        await client.rename(temporary, final);
      } catch (err) {
        if (!client.closed) await client.remove(temporary, true).catch(() => undefined);
        stopIfAborted();
        throw err;
      } finally {
        options.signal?.removeEventListener('abort', abort);
      }
    });
    return { location: `${this.scheme}://${this.o.host}:${this.o.port}${final} (${checked})` };
  }

  private async entries(client: Client) {
    try {
      return await client.list(this.dir || '/');
    } catch (err) {
      // A folder that does not exist yet (before the first put) holds nothing; servers say so with 550 or 450/451.
      if (err instanceof FTPError && (err.code === 550 || /no such file|not found|ENOENT/i.test(err.message))) return [];
      throw err;
    }
  }

  async list(): Promise<StoredBackupFile[]> {
    return this.session('the list', async (client) => {
      const files: StoredBackupFile[] = [];
      for (const e of await this.entries(client)) {
        if (!e.isFile || e.name.startsWith('.')) continue;
        // LIST dates have no year and no zone; MDTM is exact (RFC 3659), MLSD's modifiedAt too.
        const modifiedAt = e.modifiedAt ?? await client.lastMod(this.path(e.name)).catch(() => new Date(0));
        files.push({ name: e.name, size: e.size, modifiedAt });
      }
      return files;
    });
  }

  async remove(name: string): Promise<void> {
    await this.session(name, async (client) => { await client.remove(this.path(name), true); });
  }

  /**
   * The file streamed over its own connection, closed when the stream ends or fails; opened first
   * with SIZE, so that a missing file rejects here rather than mid-stream.
   */
  async read(name: string): Promise<Readable> {
    const client = new Client(this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      await client.access({ host: this.o.host, port: this.o.port, user: this.o.user, password: this.o.password, secure: this.o.secure,
        secureOptions: { rejectUnauthorized: this.o.checkCertificate, servername: this.o.host } });
      await client.size(this.path(name));
    } catch (err) {
      client.close();
      throw this.failure(err, name);
    }
    const out = new PassThrough();
    client.downloadTo(out, this.path(name)).then(() => out.end(), (err) => out.destroy(this.failure(err, name))).finally(() => client.close());
    return out;
  }

  async removeLeftovers(isOurs: (name: string) => boolean): Promise<string[]> {
    return this.session('the removal of unfinished copies', async (client) => {
      const removed: string[] = [];
      for (const e of await this.entries(client)) {
        const name = nameOfPartial(e.name);
        if (!e.isFile || name === null || !isOurs(name)) continue;
        await client.remove(this.path(e.name), true);
        removed.push(name);
      }
      return removed;
    });
  }
}
