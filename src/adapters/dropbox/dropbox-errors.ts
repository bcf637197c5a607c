import { AppError } from '../../errors.ts';
import type { RetryVerdict } from './retry.ts';

/** What the SDK throws (DropboxResponseError) and what the streamed download builds alike. */
export interface DropboxHttpError {
  status: number;
  error: unknown;
  headers?: { get(name: string): string | null };
}

/** The file's bytes on Dropbox are not the ones listed: retrying now would fetch the same new bytes. */
export class FileChangedError extends Error {
  constructor(readonly fileName: string) {
    super(`${fileName} changed after it was listed`);
  }
}

/** What an owner message may name: never anything from the request itself (URLs carry secrets). */
export interface ErrorContext {
  folder: string;
  canRefresh: boolean;
  fileName?: string;
  /** 'destination' when tokobot stores backups there: other permission, other advice. Default 'source'. */
  role?: 'source' | 'destination';
}

function isHttpError(err: unknown): err is DropboxHttpError {
  return typeof err === 'object' && err !== null && typeof (err as DropboxHttpError).status === 'number' && 'error' in err;
}

/** Dropbox's error_summary for API errors, the OAuth `error` for token errors, else a short text. */
export function summary(err: DropboxHttpError): string {
  const e = err.error as { error_summary?: string; error?: unknown } | string | undefined;
  if (typeof e === 'string') return e.slice(0, 200);
  if (typeof e?.error_summary === 'string') return e.error_summary;
  if (typeof e?.error === 'string') return e.error;
  const tag = (e?.error as { '.tag'?: unknown } | undefined)?.['.tag'];
  return typeof tag === 'string' ? tag : '';
}

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|socket hang up|premature close|network/i;

type TransportError = { code?: string; type?: string; name?: string; message?: string; cause?: { code?: string } };

/**
 * node-fetch v2 (the SDK's calls) reports transport failures as FetchError with a `type`; Node's
 * http client (downloads) as the system error itself (ECONNREFUSED, ECONNRESET "aborted"); aborts
 * come from our own idle timer.
 */
function isNetworkError(err: unknown): boolean {
  const e = err as TransportError | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.type === 'system' || e.type === 'request-timeout' || e.type === 'body-timeout' || e.name === 'AbortError') return true;
  return NETWORK.test(String(e.code ?? e.cause?.code ?? '')) || NETWORK.test(String(e.message ?? ''));
}

export function retryVerdict(err: unknown): RetryVerdict {
  if (err instanceof AppError) return { retry: err.retryable };
  if (isHttpError(err)) {
    if (err.status === 429) {
      const header = Number(err.headers?.get('retry-after'));
      const body = Number((err.error as { error?: { retry_after?: number } })?.error?.retry_after);
      const seconds = Number.isFinite(header) && header > 0 ? header : Number.isFinite(body) && body > 0 ? body : undefined;
      return { retry: true, afterMs: seconds !== undefined ? seconds * 1000 : undefined };
    }
    return { retry: err.status >= 500 };
  }
  return { retry: isNetworkError(err) };
}

/** A 401 that a renewed access token can cure (the SDK renews only ahead of the expiry it was told). */
export function isAuthExpired(err: unknown): boolean {
  return isHttpError(err) && err.status === 401 && /^(expired_access_token|invalid_access_token)/.test(summary(err));
}

const KEYS = 'DROPBOX_APP_KEY, DROPBOX_APP_SECRET and DROPBOX_REFRESH_TOKEN';

/** The credentials are shared by every Dropbox source and destination, so these errors read the same for both. */
function authError(err: DropboxHttpError, what: string, ctx: ErrorContext): AppError | undefined {
  if ((err.status === 400 || err.status === 401) && /^(invalid_grant|invalid_client)/.test(what)) {
    return new AppError('refused', 'dropbox', `Dropbox rejected the app key/secret or the refresh token (${what}): check ${KEYS}; ` +
      'a refresh token only works with the app key it was made with, so after changing the app make a new one.');
  }
  if (err.status === 401 && what.startsWith('missing_scope')) {
    const scopes = ctx.role === 'destination' ? 'files.metadata.read / files.content.write' : 'files.metadata.read / files.content.read';
    return new AppError('refused', 'dropbox', `The Dropbox app is missing the ${scopes} permission: ` +
      `tick them in the app's Permissions tab, then make a new refresh token (${KEYS}).`);
  }
  if (err.status === 401) {
    const fix = ctx.canRefresh
      ? `check ${KEYS}; the app may have been disconnected from the Dropbox account`
      : `access tokens last about four hours: set ${KEYS} instead of DROPBOX_ACCESS_TOKEN so tokobot can renew it`;
    return new AppError('refused', 'dropbox', `Dropbox says the access token is wrong or has expired (${what || 'unauthorized'}): ${fix}.`);
  }
  return undefined;
}

function fromHttp(err: DropboxHttpError, ctx: ErrorContext): AppError {
  const what = summary(err);
  const auth = authError(err, what, ctx);
  if (auth) return auth;
  if (ctx.role === 'destination') return destinationError(err, what, ctx);
  if (err.status === 409 && what.startsWith('path/not_found') && ctx.fileName) {
    return new AppError('refused', 'dropbox', `${ctx.fileName} is no longer in ${displayFolder(ctx.folder)} (moved or deleted after ` +
      'the listing); the next sync will pick the newest backup again.', { retryable: true });
  }
  if (err.status === 409 && /^path\/(not_found|not_folder)/.test(what)) {
    return new AppError('refused', 'dropbox', `Dropbox folder "${ctx.folder || '/'}" not found: check DROPBOX_FOLDER ` +
      '(the folder path as seen from the app\'s root; for an "App folder" app that is the app\'s own folder).');
  }
  if (err.status === 429) {
    return new AppError('unreachable', 'dropbox', 'Dropbox is limiting requests (429 too many requests); the next sync will try again.', { retryable: true });
  }
  if (err.status >= 500) {
    return new AppError('unreachable', 'dropbox', `Dropbox had a server error (${err.status}); the next sync will try again.`, { retryable: true });
  }
  return new AppError('refused', 'dropbox', `Dropbox refused the request (${err.status}${what ? ` ${what}` : ''}). ` +
    'Check DROPBOX_FOLDER and that the app has the files.content.read permission.');
}

const displayFolder = (folder: string) => `the Dropbox folder ${folder || '/'}`;

/** What went wrong while tokobot was storing, listing or deleting backups in a Dropbox folder. */
function destinationError(err: DropboxHttpError, what: string, ctx: ErrorContext): AppError {
  const file = ctx.fileName ?? 'the backups';
  const where = displayFolder(ctx.folder);
  if (what.includes('insufficient_space')) {
    return new AppError('refused', 'dropbox', `Dropbox is full: ${file} could not be stored in ${where}. Free some space in that Dropbox ` +
      'account (or upgrade its plan), or keep fewer backups there (the job\'s retention).');
  }
  if (what.includes('payload_too_large')) {
    return new AppError('refused', 'dropbox', `Dropbox refused ${file}: one request may carry at most 150 MB (payload_too_large). ` +
      'Larger files must go in parts: the Dropbox destination\'s session threshold is set too high.');
  }
  if (/conflict\/(file|folder)/.test(what)) {
    return new AppError('refused', 'dropbox', `A different file or folder named ${file} is already in ${where}; tokobot does not overwrite it: ` +
      'move or rename it, then run the backup again.');
  }
  if (/no_write_permission|team_folder|disallowed_name|malformed_path|not_folder/.test(what)) {
    return new AppError('refused', 'dropbox', `Dropbox does not let tokobot write ${file} into ${where} (${what}): check the job's Dropbox folder ` +
      '(a folder path as seen from the app\'s root) and that the app has the files.content.write permission.');
  }
  if (err.status === 429) {
    return new AppError('unreachable', 'dropbox', `Dropbox is limiting requests (429 too many requests) while storing ${file}; the next backup will try again.`, { retryable: true });
  }
  if (err.status >= 500) {
    return new AppError('unreachable', 'dropbox', `Dropbox had a server error (${err.status}) while storing ${file}; the next backup will try again.`, { retryable: true });
  }
  return new AppError('refused', 'dropbox', `Dropbox refused to store ${file} in ${where} (${err.status}${what ? ` ${what}` : ''}): check the job's ` +
    'Dropbox folder and that the app has the files.content.write permission.');
}

/**
 * Turns whatever the SDK or the network threw into a message for the owner. Raw error text is
 * never passed through, nor kept as `cause`: node-fetch puts the request URL in its messages, and
 * the token refresh URL holds the app secret and refresh token in its query string.
 */
export function toAppError(err: unknown, ctx: ErrorContext): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof FileChangedError) {
    return new AppError('corrupt', 'backup-file', `The download of ${err.fileName} was damaged: the file changed in Dropbox after it was ` +
      'listed (it may still be uploading). The sync will try again.', { retryable: true });
  }
  if (isHttpError(err)) return fromHttp(err, ctx);
  const destination = ctx.role === 'destination';
  if (isNetworkError(err)) {
    const e = err as TransportError;
    const reason = e.code ?? e.cause?.code ?? (e.name === 'AbortError' || /timeout/.test(e.type ?? '') ? 'timed out' : 'network error');
    return new AppError('unreachable', 'dropbox', `Cannot reach Dropbox (${reason}): check this server's internet connection; ` +
      `the next ${destination ? 'backup' : 'sync'} will try again.`, { retryable: true });
  }
  return new AppError('refused', 'dropbox',
    `Unexpected answer from Dropbox (${(err as Error)?.name ?? 'error'}); the next ${destination ? 'backup' : 'sync'} will try again.`);
}

/** The error_summary of a 409 (Dropbox's "the request was understood but refused"), else undefined. */
export function refusal(err: unknown): string | undefined {
  return isHttpError(err) && err.status === 409 ? summary(err) : undefined;
}

type OffsetError = { '.tag'?: string; correct_offset?: unknown; lookup_failed?: OffsetError };

/**
 * The offset an upload session really stands at, when Dropbox refused ours: an append whose answer
 * was lost had arrived, and the retry repeats it. Appends say so at the top, finish under lookup_failed.
 */
export function correctOffset(err: unknown): number | undefined {
  if (refusal(err) === undefined) return undefined;
  const top = (err as DropboxHttpError & { error: { error?: OffsetError } }).error?.error;
  const wrong = top?.['.tag'] === 'lookup_failed' ? top.lookup_failed : top;
  return wrong?.['.tag'] === 'incorrect_offset' && typeof wrong.correct_offset === 'number' ? wrong.correct_offset : undefined;
}
