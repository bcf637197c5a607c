import { AppError } from '../../errors.ts';
import type { RetryVerdict } from './retry.ts';

/** What the SDK throws (DropboxResponseError) and what the streamed download builds alike. */
export interface DropboxHttpError {
  status: number;
  error: unknown;
  headers?: { get(name: string): string | null };
}

export function isHttpError(err: unknown): err is DropboxHttpError {
  return typeof err === 'object' && err !== null && typeof (err as DropboxHttpError).status === 'number' && 'error' in err;
}

function summary(err: DropboxHttpError): string {
  const e = err.error as { error_summary?: string; error?: unknown } | string | undefined;
  if (typeof e === 'string') return e.slice(0, 200);
  if (typeof e?.error_summary === 'string') return e.error_summary;
  if (typeof e?.error === 'string') return e.error;
  return '';
}

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|premature close|network/i;

function isNetwork(err: unknown): boolean {
  const e = err as { code?: string; type?: string; message?: string };
  return e?.type === 'system' || NETWORK.test(String(e?.code ?? '')) || NETWORK.test(String(e?.message ?? ''));
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
  return { retry: isNetwork(err) };
}

export function isAuthExpired(err: unknown): boolean {
  return isHttpError(err) && err.status === 401 && /expired_access_token|invalid_access_token/.test(summary(err) || JSON.stringify(err.error));
}

/**
 * Turns whatever the SDK or the network threw into a message for the owner. Raw error text can
 * hold the token URL (node-fetch puts it in its messages), so it is never passed through.
 */
export function toAppError(err: unknown, folder: string): AppError {
  if (err instanceof AppError) return err;
  if (isHttpError(err)) {
    const what = summary(err);
    if ((err.status === 400 || err.status === 401) && /invalid_grant|invalid_client/.test(what)) {
      return new AppError('source-auth', `Dropbox rejected the app key, app secret or refresh token (${what}). Check DROPBOX_APP_KEY, ` +
        'DROPBOX_APP_SECRET and DROPBOX_REFRESH_TOKEN (a refresh token belongs to the app key it was made with).');
    }
    if (err.status === 401) {
      return new AppError('source-auth', `Dropbox refused the access token (${what || 'unauthorized'}). Set DROPBOX_APP_KEY, DROPBOX_APP_SECRET ` +
        'and DROPBOX_REFRESH_TOKEN so tokobot can renew it, or put a fresh DROPBOX_ACCESS_TOKEN.');
    }
    if (err.status === 409 && what.startsWith('path/not_found')) {
      return new AppError('source-not-found', `Dropbox folder "${folder || '/'}" not found: check DROPBOX_FOLDER (the folder path as the app ` +
        'sees it; for an "App folder" app, relative to that folder).');
    }
    if (err.status === 429) return new AppError('source-unreachable', 'Dropbox is limiting requests (429, too many requests); the next sync will try again.', { retryable: true });
    if (err.status >= 500) return new AppError('source-unreachable', `Dropbox had a server error (${err.status}); the next sync will try again.`, { retryable: true });
    return new AppError('source-rejected', `Dropbox refused the request (${err.status}${what ? ` ${what}` : ''}). Check that the app has the files.content.read permission.`);
  }
  if (isNetwork(err)) {
    const code = (err as { code?: string }).code ?? 'network error';
    return new AppError('source-unreachable', `Cannot reach Dropbox (${code}): check this server's internet connection; the next sync will try again.`, { retryable: true });
  }
  return new AppError('source-rejected', `Unexpected answer from Dropbox (${(err as Error)?.name ?? 'error'}).`);
}
