import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Dropbox, DropboxAuth, type files } from 'dropbox';
import nodeFetch from 'node-fetch';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { BackupFile, BackupSource, DownloadResult, ProgressFn } from '../../pipeline/ports.ts';
import { hashingCounter } from '../content-hash.ts';
import { isAuthExpired, retryVerdict, toAppError, type DropboxHttpError } from './dropbox-errors.ts';
import { defaultRetry, withRetry, type RetryPolicy } from './retry.ts';

type FetchFn = typeof nodeFetch;

export interface DropboxSourceOptions {
  folder: string;
  appKey?: string;
  appSecret?: string;
  refreshToken?: string;
  accessToken?: string;
  /** Replace https://api.dropboxapi.com and https://content.dropboxapi.com (tests, proxies). */
  apiUrl?: string;
  contentUrl?: string;
  fetch?: FetchFn;
  retry?: RetryPolicy;
  logger?: Pick<Logger, 'warn'>;
}

const API = 'https://api.dropboxapi.com';
const CONTENT = 'https://content.dropboxapi.com';
const BACKUP = /\.(i5bu|zip)$/i;

/** The SDK has its hosts built in; requests are pointed elsewhere by rewriting their URLs. */
function rewritingFetch(base: FetchFn, apiUrl?: string, contentUrl?: string): FetchFn {
  const api = apiUrl?.replace(/\/$/, '');
  const content = contentUrl?.replace(/\/$/, '');
  return ((url: string, init?: Parameters<FetchFn>[1]) => {
    let target = String(url);
    if (api && target.startsWith(API)) target = api + target.slice(API.length);
    if (content && target.startsWith(CONTENT)) target = content + target.slice(CONTENT.length);
    return base(target, init);
  }) as FetchFn;
}

/** Dropbox wants non-ASCII in its JSON headers as \uXXXX escapes. */
const headerJson = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A store's backups in a Dropbox folder, through the official SDK (listing) and a streamed download. */
export class DropboxSource implements BackupSource {
  readonly description: string;
  private readonly folder: string;
  private readonly fetch: FetchFn;
  private readonly auth: DropboxAuth;
  private readonly dbx: Dropbox;
  private readonly retry: RetryPolicy;
  private readonly canRefresh: boolean;

  constructor(private readonly o: DropboxSourceOptions) {
    const trimmed = o.folder.trim().replace(/\/+$/, '');
    this.folder = trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
    this.description = `the Dropbox folder ${this.folder || '/'}`;
    this.fetch = rewritingFetch(o.fetch ?? nodeFetch, o.apiUrl, o.contentUrl);
    this.auth = new DropboxAuth({ clientId: o.appKey, clientSecret: o.appSecret, refreshToken: o.refreshToken, accessToken: o.accessToken, fetch: this.fetch });
    this.dbx = new Dropbox({ auth: this.auth, fetch: this.fetch });
    this.retry = o.retry ?? defaultRetry;
    this.canRefresh = Boolean(o.appKey && o.refreshToken);
  }

  /** Retries what may pass, and renews the token once when Dropbox says it expired (the SDK only renews ahead of time). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(async () => {
        try {
          return await fn();
        } catch (err) {
          if (!this.canRefresh || !isAuthExpired(err)) throw err;
          await this.auth.refreshAccessToken();
          return await fn();
        }
      }, retryVerdict, this.retry, (err, attempt, waitMs) =>
        this.o.logger?.warn({ attempt, waitMs, reason: toAppError(err, this.folder).message }, 'Dropbox call failed; retrying'));
    } catch (err) {
      throw toAppError(err, this.folder);
    }
  }

  async list(): Promise<BackupFile[]> {
    const entries: files.ListFolderResult['entries'] = [];
    let page = await this.call(() => this.dbx.filesListFolder({ path: this.folder, limit: 2000 }));
    entries.push(...page.result.entries);
    for (let pages = 1; page.result.has_more && pages < 10_000; pages++) {
      const cursor = page.result.cursor;
      page = await this.call(() => this.dbx.filesListFolderContinue({ cursor }));
      entries.push(...page.result.entries);
    }
    return entries
      .filter((e): e is files.FileMetadataReference => e['.tag'] === 'file' && BACKUP.test(e.name))
      .map((e) => ({ id: e.id, name: e.name, size: e.size, modifiedAt: new Date(e.server_modified), contentHash: e.content_hash }));
  }

  async download(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    return this.call(() => this.downloadOnce(file, destPath, onProgress));
  }

  private async downloadOnce(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult> {
    await this.auth.checkAndRefreshAccessToken();
    const res = await this.fetch(`${CONTENT}/2/files/download`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.auth.getAccessToken()}`, 'Dropbox-API-Arg': headerJson({ path: file.id }) },
    });
    if (!res.ok) {
      const text = await res.text();
      let error: unknown = text;
      try { error = JSON.parse(text); } catch { /* plain text error */ }
      throw { status: res.status, error, headers: res.headers } satisfies DropboxHttpError;
    }
    const counter = hashingCounter(file.size, onProgress);
    await pipeline(res.body, counter.stream, createWriteStream(destPath, { mode: 0o600 }));
    const { bytes, contentHash } = counter.result();
    if (bytes !== file.size || (file.contentHash && contentHash !== file.contentHash)) {
      throw new AppError('download-corrupt', `The download of ${file.name} was damaged (${bytes} of ${file.size} bytes, ` +
        `content hash ${contentHash === file.contentHash ? 'matches' : 'differs'}); the sync will try again.`, { retryable: true });
    }
    return { bytes, contentHash };
  }
}
