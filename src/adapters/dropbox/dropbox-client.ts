import { AsyncLocalStorage } from 'node:async_hooks';
import type { Agent } from 'node:http';
import { Dropbox, DropboxAuth } from 'dropbox';
import nodeFetch from 'node-fetch';
import { isAuthExpired, proxyRoute, retryVerdict, toAppError, type ErrorContext, type ProxyRoute } from './dropbox-errors.ts';
import { defaultRetry, withRetry, type RetryPolicy } from './retry.ts';
import type { DropboxAccount, ProxySection } from '../../config/sections.ts';
import { proxyAgent } from '../proxy-agent.ts';

export type FetchFn = typeof nodeFetch;
type FetchInit = NonNullable<Parameters<FetchFn>[1]>;
type LogFn = (obj: object, msg?: string) => void;
export type DropboxLogger = { info: LogFn; warn: LogFn; debug: LogFn };

/** How to reach one Dropbox account; shared by the source (reading backups) and the destination (storing them). */
export interface DropboxClientOptions extends DropboxAccount {
  /** For the SDK's calls (listing, uploads, token refresh). */
  fetch?: FetchFn;
  retry?: RetryPolicy;
  logger?: DropboxLogger;
  /** HTTPS_PROXY and friends: every request (SDK calls and downloads) goes through the proxy that serves its URL. */
  proxy?: ProxySection;
}

export const DROPBOX_API = 'https://api.dropboxapi.com';
const CONTENT = 'https://content.dropboxapi.com';
/** Where the SDK sends files/list_folder/longpoll (without a token). */
const NOTIFY = 'https://notify.dropboxapi.com';
/** Dropbox adds up to 90 s of its own to a longpoll's timeout: the HTTP timeout is above both. */
const LONGPOLL_SLACK_MS = 120_000;
/**
 * node-fetch v2's own timeout runs from the connection to the answer's headers, so it covers the
 * time to send an upload's body: a request with a body gets extra time to send it at a slow rate.
 */
const CALL_TIMEOUT_MS = 120_000;
const SLOWEST_UPLOAD_BYTES_PER_S = 16 * 1024;

/** The signal that aborts the requests made inside DropboxClient.abortable (the SDK takes none of its own). */
const requestSignal = new AsyncLocalStorage<AbortSignal>();

type Body = { length?: unknown; getLengthSync?: () => number } | null | undefined;

function timeoutFor(body: Body, target: string): number {
  if (target.includes('/2/files/list_folder/longpoll')) {
    const asked = Number((JSON.parse(typeof body === 'string' ? body : 'null') as { timeout?: number } | null)?.timeout ?? 30);
    return asked * 1000 + LONGPOLL_SLACK_MS;
  }
  const bytes = Buffer.isBuffer(body) ? body.length : typeof body?.getLengthSync === 'function' ? body.getLengthSync() : 0;
  return CALL_TIMEOUT_MS + Math.ceil((bytes / SLOWEST_UPLOAD_BYTES_PER_S) * 1000);
}

/**
 * The SDK has its hosts built in; requests are pointed elsewhere by rewriting their URLs, and through the proxy that serves them.
 * The notify host (longpoll) goes to `apiUrl` too: an API stand-in serves both.
 */
export function rewritingFetch(base: FetchFn, apiUrl?: string, contentUrl?: string, proxy?: ProxySection): FetchFn {
  const api = apiUrl?.replace(/\/$/, '');
  const content = contentUrl?.replace(/\/$/, '');
  return ((url: string, init?: FetchInit) => {
    let target = String(url);
    if (api && target.startsWith(DROPBOX_API)) target = api + target.slice(DROPBOX_API.length);
    if (api && target.startsWith(NOTIFY)) target = api + target.slice(NOTIFY.length);
    if (content && target.startsWith(CONTENT)) target = content + target.slice(CONTENT.length);
    const signal = requestSignal.getStore() as FetchInit['signal'];
    const agent = proxyAgent(target, proxy);
    return base(target, { timeout: timeoutFor(init?.body as Body, target), signal, ...(agent ? { agent } : {}), ...init });
  }) as FetchFn;
}

/** '/a/b' for 'a/b/', '' for the app's root ('' or '/'). */
export function normalizeFolder(folder: string): string {
  const trimmed = folder.trim().replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The SDK with its auth, plus the one way every call is made: retried, renewed, and failing as an AppError. */
export class DropboxClient {
  readonly auth: DropboxAuth;
  readonly dbx: Dropbox;
  /** Where downloads are streamed from without the SDK. */
  readonly contentUrl: string;
  /** The proxy's agent for contentUrl, or undefined to go directly. */
  readonly contentAgent: Agent | undefined;
  /** True when a refused access token can be renewed (app key and refresh token given). */
  readonly canRefresh: boolean;
  /** How the API is reached, named in the message when it cannot be. */
  private readonly route: ProxyRoute;

  constructor(private readonly o: DropboxClientOptions) {
    const fetch = rewritingFetch(o.fetch ?? nodeFetch, o.apiUrl, o.contentUrl, o.proxy);
    this.auth = new DropboxAuth({ clientId: o.appKey, clientSecret: o.appSecret, refreshToken: o.refreshToken, accessToken: o.accessToken, fetch });
    this.dbx = new Dropbox({ auth: this.auth, fetch });
    this.contentUrl = o.contentUrl?.replace(/\/$/, '') ?? CONTENT;
    this.contentAgent = proxyAgent(this.contentUrl, o.proxy);
    this.canRefresh = Boolean(o.appKey && o.refreshToken);
    this.route = proxyRoute(o.apiUrl ?? DROPBOX_API, o.proxy);
  }

  /**
   * Runs `fn` with every request it makes aborted when `signal` fires; an aborted request fails
   * like a dropped connection, so the caller must check the signal before letting it be retried.
   */
  static abortable<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    return signal ? requestSignal.run(signal, fn) : fn();
  }

  /**
   * Retries what may pass (429, 5xx, network) and renews the token once on a 401, since the SDK
   * only renews ahead of the expiry it was told. Every failure leaves as an AppError. `fn` gets
   * the attempt number (1 for the first), so a request may say it is a repeat.
   */
  async call<T>(fn: (attempt: number) => Promise<T>, given: ErrorContext): Promise<T> {
    const ctx = { route: this.route, ...given };
    let attempt = 0;
    const once = async () => {
      attempt++;
      try {
        return await fn(attempt);
      } catch (err) {
        if (!this.canRefresh || !isAuthExpired(err)) throw err;
        this.o.logger?.debug({ folder: ctx.folder }, 'Dropbox access token refused; renewing it once');
        await this.auth.refreshAccessToken();
        return await fn(attempt);
      }
    };
    const onRetry = (err: unknown, n: number, waitMs: number) =>
      this.o.logger?.warn({ attempt: n, waitMs, reason: toAppError(err, ctx).message }, 'Dropbox call failed; retrying');
    try {
      // Inside abortable(), a shutdown also ends the wait before the next attempt.
      return await withRetry(once, retryVerdict, this.o.retry ?? defaultRetry, onRetry, requestSignal.getStore());
    } catch (err) {
      throw toAppError(err, ctx);
    }
  }
}
