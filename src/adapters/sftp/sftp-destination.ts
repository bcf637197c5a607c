import { createHash } from 'node:crypto';
import { arrivedDamaged, localFileSize, putStopped } from '../remote-put.ts';
import { createReadStream } from 'node:fs';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SftpClient from 'ssh2-sftp-client';
import { AppError, isAppError } from '../../errors.ts';
import { killPoint } from '../../kill-point.ts';
import { nameOfPartial, partialName, type BackupDestination, type ByteProgress, type DestinationPlace, type StoredBackupFile } from '../../pipeline/backup/ports.ts';

export interface SftpDestinationOptions {
  host: string;
  port: number;
  user: string;
  /** Secrets: never in a message or a log line. One of the two. */
  password?: string;
  privateKey?: Buffer | string;
  /** The private key's passphrase, when the key file is encrypted. */
  passphrase?: string;
  /** Folder on the server (relative to the login folder unless it starts with '/'); created on the first put. */
  dir: string;
  /** The server's host key as `SHA256:<base64>` (ssh-keygen -lf); without it every call is refused, naming the key the server showed. */
  hostKey?: string;
  /** For connecting and for every step after it (a stalled transfer included). */
  timeoutMs?: number;
}

/** A stalled server fails a step after this long; a backup on a slow line still moves bytes within it. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** SFTP status codes (draft-ietf-secsh-filexfer-02): the server's answer to a request it could not do. */
const NO_SUCH_FILE = 2;
const FAILURE = 4;

/** A host key as OpenSSH prints it (ssh-keygen -lf, the first-connection prompt): SHA256: and unpadded base64. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** A connection under way: alive() after each step that moved, stop(err) to fail the call and drop it. */
type Session = { sftp: SftpClient; alive: () => void; stop: (err: unknown) => void };

/**
 * Backups kept on an SSH server over SFTP (ssh2-sftp-client). The server must show the host key
 * pinned in the job (hostKey), else nothing is sent: with no key configured the error prints the
 * server's fingerprint to copy into the config (and `tokobot doctor` shows it too). Each call opens
 * its own connection, closed on every path; a watchdog ends it when a step stalls. put() uploads
 * under the temporary name, compares the size the server reports (stat) with the local file, and
 * only then renames it: SFTP has no standard checksum, so the copy's location says that only the
 * size was checked. A cut connection fails the put; the temporary file stays until
 * removeLeftovers(), or the next put of the same name replaces it.
 */
export class SftpDestination implements BackupDestination {
  readonly description: string;
  readonly place: DestinationPlace;
  private readonly dir: string;
  private readonly server: string;

  constructor(private readonly o: SftpDestinationOptions) {
    this.dir = o.dir.replace(/\/+$/, '') || (o.dir.startsWith('/') ? '/' : '.');
    this.server = `${o.host}:${o.port}`;
    const where = `sftp://${o.user}@${this.server}/${this.dir.replace(/^\//, '')}`;
    this.description = `the SFTP folder ${where}`;
    this.place = { kind: 'sftp', location: where };
  }

  private path(name: string): string {
    return this.dir === '/' ? `/${name}` : `${this.dir}/${name}`;
  }

  private hostKeyFailure(shown: string): AppError {
    if (!this.o.hostKey) {
      return new AppError('refused', 'sftp', {
        en: `The SFTP server ${this.server} is not trusted yet: its host key is ${shown}. Check it with the server's owner (ssh-keygen -lf on the server), then set hostKey: '${shown}' in the job's destination.`,
        id: `Server SFTP ${this.server} belum dipercaya: kunci host-nya ${shown}. Cocokkan dengan pemilik server (ssh-keygen -lf di server), lalu isi hostKey: '${shown}' di tujuan job.`,
      });
    }
    return new AppError('refused', 'sftp', {
      en: `The SFTP server ${this.server} showed the host key ${shown}, not the ${this.o.hostKey} the job expects: nothing was sent. If the server was reinstalled, confirm the new key with its owner and update hostKey; otherwise someone may be in between.`,
      id: `Server SFTP ${this.server} menunjukkan kunci host ${shown}, bukan ${this.o.hostKey} yang diharapkan job: tidak ada yang dikirim. Bila servernya dipasang ulang, pastikan kunci baru dengan pemiliknya dan perbarui hostKey; bila tidak, mungkin ada pihak lain di tengah.`,
    });
  }

  /** What went wrong, said for the owner; the password and key are never part of it. */
  private failure(err: unknown, what: string, shownKey: string | undefined): AppError {
    if (isAppError(err)) return err;
    const message = (err as Error).message ?? String(err);
    const code = (err as { code?: unknown }).code;
    if (shownKey && (!this.o.hostKey || shownKey !== this.o.hostKey)) return this.hostKeyFailure(shownKey);
    if (/Cannot parse privateKey/i.test(message)) {
      // ssh2's reason names no secret: "… but no passphrase given", "… bad passphrase?", an unknown key format.
      const why = message.replace(/^.*Cannot parse privateKey:\s*/i, '').slice(0, 200);
      return new AppError('config', 'sftp', {
        en: `The SFTP key file (privateKeyPath) of ${this.server} cannot be used: ${why}. An encrypted key needs its passphrase in the variable named by passphraseEnv.`,
        id: `File kunci SFTP (privateKeyPath) untuk ${this.server} tidak bisa dipakai: ${why}. Kunci yang terenkripsi butuh passphrase-nya di variabel yang disebut passphraseEnv.`,
      }, { cause: err });
    }
    if (/authentication methods failed/i.test(message)) {
      return new AppError('refused', 'sftp', {
        en: `The SFTP server ${this.server} refused the login of ${this.o.user}: check the user and the password (passwordEnv) or key (privateKeyPath) in the job.`,
        id: `Server SFTP ${this.server} menolak login ${this.o.user}: periksa user dan password (passwordEnv) atau kunci (privateKeyPath) di job.`,
      }, { cause: err });
    }
    // Numbers are the server's SFTP status; ssh2-sftp-client's own path checks use these codes.
    if (typeof code === 'number' || ['ERR_BAD_PATH', 'EACCES', 'ENOENT', 'ENOTDIR'].includes(String(code))) {
      const said = message.replace(/^[\w.>-]+:\s*/, '').slice(0, 200);
      const full = code === FAILURE && /space|quota|full/i.test(message);
      return new AppError('refused', 'sftp', full ? {
        en: `The SFTP server ${this.server} has no room for ${what} (${said}): free space there or lower the job's retention.`,
        id: `Server SFTP ${this.server} tidak punya ruang untuk ${what} (${said}): kosongkan ruang di sana atau kurangi retensi job.`,
      } : { en: `The SFTP server ${this.server} refused ${what}: ${said}`, id: `Server SFTP ${this.server} menolak ${what}: ${said}` }, { cause: err });
    }
    return new AppError('unreachable', 'sftp', {
      en: `The SFTP server ${this.server} could not be reached or stopped answering during ${what} (${message.slice(0, 200)}); tokobot tries again on the next run.`,
      id: `Server SFTP ${this.server} tidak bisa dihubungi atau berhenti menjawab saat ${what} (${message.slice(0, 200)}); tokobot mencoba lagi pada jalan berikutnya.`,
    }, { cause: err, retryable: true });
  }

  /** Connects, checking the host key before any secret is sent. `shown` receives the key the server showed. */
  private async connect(sftp: SftpClient, shown: (fingerprint: string) => void): Promise<void> {
    await sftp.connect({
      host: this.o.host, port: this.o.port, username: this.o.user, password: this.o.password, privateKey: this.o.privateKey, passphrase: this.o.passphrase,
      readyTimeout: this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Keepalives notice a cut connection that sends no reset: 3 unanswered, 5 s apart.
      keepaliveInterval: 5_000, keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const fingerprint = hostKeyFingerprint(key);
        if (this.o.hostKey === fingerprint) return true;
        shown(fingerprint);
        return false;
      },
    });
  }

  /**
   * One connection for `fn`, ended whatever happens. A step that moves nothing for timeoutMs, or
   * stop(), fails the call at once and drops the connection: a request on a dead connection may
   * never answer (ssh2's streams neither end nor fail then).
   */
  private async session<T>(what: string, fn: (s: Session) => Promise<T>): Promise<T> {
    const sftp = new SftpClient('tokobot');
    let shownKey: string | undefined;
    const limit = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let fail!: (err: unknown) => void;
    const failed = new Promise<never>((_, reject) => { fail = reject; });
    failed.catch(() => undefined);
    const drop = () => (sftp as unknown as { client?: { destroy(): void } }).client?.destroy();
    const stop = (err: unknown) => { fail(err); drop(); };
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stop(new Error(`no answer for ${limit / 1000} s`)), limit);
    };
    try {
      await this.connect(sftp, (k) => { shownKey = k; });
      alive();
      return await Promise.race([fn({ sftp, alive, stop }), failed]);
    } catch (err) {
      throw this.failure(err, what, shownKey);
    } finally {
      clearTimeout(timer);
      // end() waits for the server's goodbye, which a dead connection never sends.
      await Promise.race([sftp.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      drop();
    }
  }

  async put(localPath: string, name: string, options: { onProgress?: ByteProgress; signal?: AbortSignal } = {}): Promise<{ location: string }> {
    const stopIfAborted = () => {
      if (options.signal?.aborted) throw putStopped('sftp', name, this.description);
    };
    stopIfAborted();
    const size = await localFileSize(localPath, name);
    const temporary = this.path(partialName(name));
    const final = this.path(name);
    await this.session(name, async ({ sftp, alive, stop }) => {
      const abort = () => { try { stopIfAborted(); } catch (err) { stop(err); } };
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        if (!(await sftp.exists(this.dir))) await sftp.mkdir(this.dir, true);
        let sent = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            sent += chunk.length;
            alive();
            options.onProgress?.(sent, size);
            done(null, chunk);
          },
        });
        // pipeline() rejects on the server's write error; sftp.put() may resolve on the stream's close instead.
        await pipeline(createReadStream(localPath), counter, sftp.createWriteStream(temporary));
        killPoint('mid-upload');
        stopIfAborted();
        const arrived = (await sftp.stat(temporary)).size;
        if (arrived !== size) {
          throw arrivedDamaged('sftp', name, this.description, { arrived, size });
        }
        if (sent === 0) options.onProgress?.(size, size);
        killPoint('before-rename');
        await sftp.delete(final, true);
        await sftp.rename(temporary, final);
      } catch (err) {
        stopIfAborted();
        await sftp.delete(temporary, true).catch(() => undefined);
        throw err;
      } finally {
        options.signal?.removeEventListener('abort', abort);
      }
    });
    return { location: `sftp://${this.server}/${final.replace(/^\//, '')} (size checked; SFTP gives no checksum)` };
  }

  private async entries(sftp: SftpClient) {
    try {
      return await sftp.list(this.dir);
    } catch (err) {
      // A folder that does not exist yet (before the first put) holds nothing.
      if ((err as { code?: unknown }).code === NO_SUCH_FILE) return [];
      throw err;
    }
  }

  async list(): Promise<StoredBackupFile[]> {
    return this.session('the list', async ({ sftp }) => (await this.entries(sftp))
      .filter((e) => e.type === '-' && !e.name.startsWith('.'))
      .map((e) => ({ name: e.name, size: e.size, modifiedAt: new Date(e.modifyTime) })));
  }

  async remove(name: string): Promise<void> {
    await this.session(name, async ({ sftp }) => { await sftp.delete(this.path(name), true); });
  }

  /** Streamed over its own connection, ended when the stream ends or fails; a missing file rejects here (stat first). */
  async read(name: string): Promise<Readable> {
    const out = new PassThrough();
    let opened!: () => void;
    let isOpen = false;
    const ready = new Promise<void>((resolve) => { opened = () => { isOpen = true; resolve(); }; });
    const done = this.session(name, async ({ sftp, alive }) => {
      await sftp.stat(this.path(name));
      const source = sftp.createReadStream(this.path(name));
      opened();
      source.on('data', alive);
      await new Promise<void>((resolve, reject) => {
        source.once('error', reject);
        out.once('close', resolve);
        source.pipe(out);
      });
    });
    // Before the stream is handed out, a failure rejects read() itself (below).
    done.catch((err) => { if (isOpen) out.destroy(err); });
    await Promise.race([ready, done]);
    return out;
  }

  async removeLeftovers(isOurs: (name: string) => boolean): Promise<string[]> {
    return this.session('the removal of unfinished copies', async ({ sftp }) => {
      const removed: string[] = [];
      for (const e of await this.entries(sftp)) {
        const name = nameOfPartial(e.name);
        if (e.type !== '-' || name === null || !isOurs(name)) continue;
        await sftp.delete(this.path(e.name), true);
        removed.push(name);
      }
      return removed;
    });
  }
}
