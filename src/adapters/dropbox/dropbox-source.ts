import { createWriteStream } from 'node:fs';
import http, { type Agent, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { files } from 'dropbox';
import { AppError } from '../../errors.ts';
import type { BackupFile, BackupSource, DownloadResult, ProgressFn } from '../../pipeline/ports.ts';
import { hashingCounter, type HashingCounter } from '../content-hash.ts';
import { DropboxClient, normalizeFolder, type DropboxClientOptions } from './dropbox-client.ts';
import { FileChangedError, type DropboxHttpError, type ErrorContext } from './dropbox-errors.ts';
import { BACKUP_FILE } from '../backup-files.ts';

/** Downloads use Node's http client, not `fetch` (see downloadOnce). */
export interface DropboxSourceOptions extends DropboxClientOptions {
  /** Path as seen from the app's root ('' or '/' for the root itself). */
  folder: string;
  /** A download that receives nothing for this long is abandoned (and retried). */
  idleTimeoutMs?: number;
}

const MAX_PAGES = 10_000;

/** Dropbox wants non-ASCII in its JSON headers as \uXXXX escapes. */
const headerJson = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function announcedHash(headers: Headers): string | undefined {
  try {
    return (JSON.parse(headers.get('dropbox-api-result') ?? '{}') as { content_hash?: string }).content_hash;
  } catch {
    return undefined;
  }
}

/** A POST without a body; resolves with the answer once its head arrives, its body still to be read. */
function post(url: string, headers: Record<string, string>, agent: Agent | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  const send = url.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve, reject) => {
    send(url, { method: 'POST', headers: { ...headers, 'Content-Length': '0' }, agent, signal }, resolve).on('error', reject).end();
  });
}

async function bodyText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The answer's headers as fetch has them (what DropboxHttpError carries). */
const headersOf = (res: IncomingMessage) => new Headers(Object.entries(res.headers)
  .flatMap(([name, value]): [string, string][] => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => [name, v]))));

/**
 * The answer to `POST /2/files/download` of `path` (an id or a path), its body still to be read;
 * any other status than 2xx rejects as a DropboxHttpError (which DropboxClient.call classifies).
 */
export async function openDownload(client: DropboxClient, path: string, signal: AbortSignal): Promise<IncomingMessage> {
  const res = await post(`${client.contentUrl}/2/files/download`, {
    Authorization: `Bearer ${client.auth.getAccessToken()}`, 'Dropbox-API-Arg': headerJson({ path }),
  }, client.contentAgent, signal);
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) {
    const text = await bodyText(res);
    let error: unknown = text;
    try { error = JSON.parse(text); } catch { /* Dropbox answers some errors in plain text */ }
    throw { status, error, headers: headersOf(res) } satisfies DropboxHttpError;
  }
  return res;
}

/** A store's backups in a Dropbox folder, through the official SDK (listing) and a streamed download. */
export class DropboxSource implements BackupSource {
  readonly description: string;
  private readonly folder: string;
  private readonly client: DropboxClient;
  private readonly ctx: ErrorContext;

  constructor(private readonly o: DropboxSourceOptions) {
    this.folder = normalizeFolder(o.folder);
    this.description = `the Dropbox folder ${this.folder || '/'}`;
    this.client = new DropboxClient(o);
    this.ctx = { folder: this.folder, canRefresh: this.client.canRefresh };
  }

  private call<T>(fn: () => Promise<T>, ctx: ErrorContext = this.ctx): Promise<T> {
    return this.client.call(fn, ctx);
  }

  async list(): Promise<BackupFile[]> {
    const entries: files.ListFolderResult['entries'] = [];
    let page = await this.call(() => this.client.dbx.filesListFolder({ path: this.folder, limit: 2000 }));
    entries.push(...page.result.entries);
    let pages = 1;
    for (; page.result.has_more && pages < MAX_PAGES; pages++) {
      const cursor = page.result.cursor;
      page = await this.call(() => this.client.dbx.filesListFolderContinue({ cursor }));
      entries.push(...page.result.entries);
    }
    const backups = entries
      .filter((e): e is files.FileMetadataReference => e['.tag'] === 'file' && BACKUP_FILE.test(e.name))
      .map((e) => ({ id: e.id, name: e.name, size: e.size, modifiedAt: new Date(e.server_modified), contentHash: e.content_hash }));
    this.o.logger?.debug({ folder: this.folder, pages, entries: entries.length, backups: backups.length }, 'Dropbox folder listed');
    return backups;
  }

  /** A retried download starts the file again from its first byte (the write stream truncates). */
  async download(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    const started = Date.now();
    const result = await this.call(() => this.downloadOnce(file, destPath, onProgress), { ...this.ctx, fileName: file.name });
    this.o.logger?.info({ file: file.name, bytes: result.bytes, ms: Date.now() - started }, 'Dropbox backup downloaded');
    return result;
  }

  /**
   * Node's own http client, not node-fetch: node-fetch v2 never reports a body cut short when the
   * answer has a Content-Length (it only checks chunked ones), so a dropped connection would just
   * stall; Node's http reports it as an error. (Node's fetch would too, but takes no proxy agent.)
   */
  private async downloadOnce(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    await this.client.auth.checkAndRefreshAccessToken();
    const abort = new AbortController();
    const idleMs = this.o.idleTimeoutMs ?? 120_000;
    let idle = setTimeout(() => abort.abort(), idleMs);
    const touch = () => { clearTimeout(idle); idle = setTimeout(() => abort.abort(), idleMs); };
    try {
      const res = await openDownload(this.client, file.id, abort.signal);
      const announced = announcedHash(headersOf(res));
      if (file.contentHash && announced && announced !== file.contentHash) {
        abort.abort();
        throw new FileChangedError(file.name);
      }
      const counter = hashingCounter(file.size, (done, total) => { touch(); onProgress?.(done, total); });
      await this.stream(res, counter, destPath, file);
      const { bytes, contentHash } = counter.result();
      const expected = file.contentHash ?? announced;
      if (bytes !== file.size || (expected && contentHash !== expected)) {
        const short = bytes !== file.size;
        throw new AppError('corrupt', 'backup-file', {
          en: `The download of ${file.name} was damaged (${short ? `${bytes} of ${file.size} bytes arrived` : 'its content hash does not match Dropbox\'s'}); the sync will try again.`,
          id: `Unduhan ${file.name} rusak (${short ? `hanya ${bytes} dari ${file.size} byte yang tiba` : 'hash isinya tidak cocok dengan milik Dropbox'}); sync akan mencoba lagi.`,
        }, { retryable: true });
      }
      return { bytes, contentHash };
    } finally {
      clearTimeout(idle);
    }
  }

  /** Failures while the body flows are a damaged download; failures writing it are this server's disk. */
  private async stream(body: Readable, counter: HashingCounter, destPath: string, file: BackupFile): Promise<void> {
    try {
      await pipeline(body, counter.stream, createWriteStream(destPath, { mode: 0o600 }));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new AppError('refused', 'disk', {
          en: `No space left for ${file.name} (${file.size} bytes) at ${destPath}: free some disk space.`,
          id: `Tidak ada ruang untuk ${file.name} (${file.size} byte) di ${destPath}: kosongkan ruang disk.`,
        }, { cause: err });
      }
      if (code && /^E(ACCES|PERM|ROFS|NOENT|ISDIR)$/.test(code)) {
        throw new AppError('config', 'disk', {
          en: `Cannot write ${destPath} (${code}): check that the data folder exists and tokobot may write to it.`,
          id: `Tidak bisa menulis ${destPath} (${code}): periksa bahwa folder data ada dan tokobot boleh menulis ke sana.`,
        }, { cause: err });
      }
      const got = counter.bytes();
      throw new AppError('corrupt', 'backup-file', {
        en: `The download of ${file.name} was damaged (cut off after ${got} of ${file.size} bytes); the sync will try again.`,
        id: `Unduhan ${file.name} rusak (terputus setelah ${got} dari ${file.size} byte); sync akan mencoba lagi.`,
      }, { retryable: true });
    }
  }
}
