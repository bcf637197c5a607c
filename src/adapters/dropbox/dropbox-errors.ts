import type { ProxySection } from '../../config/sections.ts';
import { AppError, type Detail } from '../../errors.ts';
import { t, type Lang } from '../../i18n/text.ts';
import { proxyFor, shownProxy } from '../proxy-agent.ts';
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
  /** How Dropbox's API is reached, for the advice when it cannot be. Default: directly, over https. */
  route?: ProxyRoute;
}

/** The proxy the calls go through (shown without its password), if any, and the variable that sets it. */
export interface ProxyRoute {
  via?: string;
  variable: 'HTTPS_PROXY' | 'HTTP_PROXY';
}

export function proxyRoute(url: string, proxy: ProxySection | undefined): ProxyRoute {
  const via = proxyFor(url, proxy);
  return { via: via && shownProxy(via), variable: url.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY' };
}

/** Where to look when Dropbox cannot be reached: the network, then the proxy (as for Telegram: telegram-client.ts unreachableHint). */
export function unreachableHint(route: ProxyRoute = { variable: 'HTTPS_PROXY' }): Detail {
  const hint = (lang: Lang) => [t(lang, 'hintInternet'),
    route.via ? t(lang, 'hintProxy', { proxy: route.via, variable: route.variable }) : t(lang, 'hintNoProxy', { variable: route.variable })].join('; ');
  return { en: hint('en'), id: hint('id') };
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
    return new AppError('refused', 'dropbox', {
      en: `Dropbox rejected the app key/secret or the refresh token (${what}): check ${KEYS}; ` +
        'a refresh token only works with the app key it was made with, so after changing the app make a new one.',
      id: `Dropbox menolak app key/secret atau refresh token (${what}): periksa ${KEYS}; ` +
        'refresh token hanya berlaku dengan app key tempat ia dibuat, jadi setelah mengganti aplikasi buat token baru.',
    });
  }
  if (err.status === 401 && what.startsWith('missing_scope')) {
    const scopes = ctx.role === 'destination' ? 'files.metadata.read / files.content.write' : 'files.metadata.read / files.content.read';
    return new AppError('refused', 'dropbox', {
      en: `The Dropbox app is missing the ${scopes} permission: tick them in the app's Permissions tab, then make a new refresh token (${KEYS}).`,
      id: `Aplikasi Dropbox belum punya izin ${scopes}: centang di tab Permissions aplikasi, lalu buat refresh token baru (${KEYS}).`,
    });
  }
  if (err.status === 401) {
    const fix = ctx.canRefresh
      ? { en: `check ${KEYS}; the app may have been disconnected from the Dropbox account`, id: `periksa ${KEYS}; mungkin aplikasinya sudah diputus dari akun Dropbox` }
      : {
        en: `access tokens last about four hours: set ${KEYS} instead of DROPBOX_ACCESS_TOKEN so tokobot can renew it`,
        id: `access token hanya berlaku sekitar empat jam: isi ${KEYS}, bukan DROPBOX_ACCESS_TOKEN, agar tokobot bisa memperbaruinya`,
      };
    return new AppError('refused', 'dropbox', {
      en: `Dropbox says the access token is wrong or has expired (${what || 'unauthorized'}): ${fix.en}.`,
      id: `Menurut Dropbox access token salah atau sudah kedaluwarsa (${what || 'unauthorized'}): ${fix.id}.`,
    });
  }
  return undefined;
}

function fromHttp(err: DropboxHttpError, ctx: ErrorContext): AppError {
  const what = summary(err);
  const auth = authError(err, what, ctx);
  if (auth) return auth;
  if (ctx.role === 'destination') return destinationError(err, what, ctx);
  if (err.status === 409 && what.startsWith('path/not_found') && ctx.fileName) {
    return new AppError('refused', 'dropbox', {
      en: `${ctx.fileName} is no longer in ${displayFolder(ctx.folder).en} (moved or deleted after the listing); the next sync will pick the newest backup again.`,
      id: `${ctx.fileName} sudah tidak ada di ${displayFolder(ctx.folder).id} (dipindah atau dihapus setelah didaftar); sync berikutnya akan memilih backup terbaru lagi.`,
    }, { retryable: true });
  }
  if (err.status === 409 && /^path\/(not_found|not_folder)/.test(what)) {
    return new AppError('refused', 'dropbox', {
      en: `Dropbox folder "${ctx.folder || '/'}" not found: check DROPBOX_FOLDER ` +
        '(the folder path as seen from the app\'s root; for an "App folder" app that is the app\'s own folder).',
      id: `Folder Dropbox "${ctx.folder || '/'}" tidak ditemukan: periksa DROPBOX_FOLDER ` +
        '(jalur folder dilihat dari akar aplikasi; untuk aplikasi "App folder" itu folder milik aplikasi sendiri).',
    });
  }
  if (err.status === 429) {
    return new AppError('unreachable', 'dropbox', {
      en: 'Dropbox is limiting requests (429 too many requests); the next sync will try again.',
      id: 'Dropbox sedang membatasi permintaan (429 too many requests); sync berikutnya akan mencoba lagi.',
    }, { retryable: true });
  }
  if (err.status >= 500) {
    return new AppError('unreachable', 'dropbox', {
      en: `Dropbox had a server error (${err.status}); the next sync will try again.`,
      id: `Server Dropbox sedang bermasalah (${err.status}); sync berikutnya akan mencoba lagi.`,
    }, { retryable: true });
  }
  const code = `${err.status}${what ? ` ${what}` : ''}`;
  return new AppError('refused', 'dropbox', {
    en: `Dropbox refused the request (${code}). Check DROPBOX_FOLDER and that the app has the files.content.read permission.`,
    id: `Dropbox menolak permintaan (${code}). Periksa DROPBOX_FOLDER dan bahwa aplikasi punya izin files.content.read.`,
  });
}

const displayFolder = (folder: string) => ({ en: `the Dropbox folder ${folder || '/'}`, id: `folder Dropbox ${folder || '/'}` });

/** What went wrong while tokobot was storing, listing or deleting backups in a Dropbox folder. */
function destinationError(err: DropboxHttpError, what: string, ctx: ErrorContext): AppError {
  const file = ctx.fileName ?? 'the backups';
  const where = displayFolder(ctx.folder);
  if (what.includes('insufficient_space')) {
    return new AppError('refused', 'dropbox', {
      en: `Dropbox is full: ${file} could not be stored in ${where.en}. Free some space in that Dropbox ` +
        'account (or upgrade its plan), or keep fewer backups there (the job\'s retention).',
      id: `Dropbox penuh: ${file} tidak bisa disimpan di ${where.id}. Kosongkan ruang di akun Dropbox itu ` +
        '(atau naikkan paketnya), atau simpan lebih sedikit backup di sana (retensi job-nya).',
    });
  }
  if (what.includes('payload_too_large')) {
    return new AppError('refused', 'dropbox', {
      en: `Dropbox refused ${file}: one request may carry at most 150 MB (payload_too_large). ` +
        'Larger files must go in parts: the Dropbox destination\'s session threshold is set too high.',
      id: `Dropbox menolak ${file}: satu permintaan paling banyak 150 MB (payload_too_large). ` +
        'File yang lebih besar harus dikirim bertahap: batas sesi tujuan Dropbox diatur terlalu tinggi.',
    });
  }
  if (/conflict\/(file|folder)/.test(what)) {
    return new AppError('refused', 'dropbox', {
      en: `A different file or folder named ${file} is already in ${where.en}; tokobot does not overwrite it: move or rename it, then run the backup again.`,
      id: `Sudah ada file atau folder lain bernama ${file} di ${where.id}; tokobot tidak menimpanya: pindahkan atau ganti namanya, lalu jalankan backup lagi.`,
    });
  }
  if (/no_write_permission|team_folder|disallowed_name|malformed_path|not_folder/.test(what)) {
    return new AppError('refused', 'dropbox', {
      en: `Dropbox does not let tokobot write ${file} into ${where.en} (${what}): check the job's Dropbox folder ` +
        '(a folder path as seen from the app\'s root) and that the app has the files.content.write permission.',
      id: `Dropbox tidak mengizinkan tokobot menulis ${file} ke ${where.id} (${what}): periksa folder Dropbox job itu ` +
        '(jalur folder dilihat dari akar aplikasi) dan bahwa aplikasi punya izin files.content.write.',
    });
  }
  if (err.status === 429) {
    return new AppError('unreachable', 'dropbox', {
      en: `Dropbox is limiting requests (429 too many requests) while storing ${file}; the next backup will try again.`,
      id: `Dropbox sedang membatasi permintaan (429 too many requests) saat menyimpan ${file}; backup berikutnya akan mencoba lagi.`,
    }, { retryable: true });
  }
  if (err.status >= 500) {
    return new AppError('unreachable', 'dropbox', {
      en: `Dropbox had a server error (${err.status}) while storing ${file}; the next backup will try again.`,
      id: `Server Dropbox bermasalah (${err.status}) saat menyimpan ${file}; backup berikutnya akan mencoba lagi.`,
    }, { retryable: true });
  }
  const code = `${err.status}${what ? ` ${what}` : ''}`;
  return new AppError('refused', 'dropbox', {
    en: `Dropbox refused to store ${file} in ${where.en} (${code}): check the job's Dropbox folder and that the app has the files.content.write permission.`,
    id: `Dropbox menolak menyimpan ${file} di ${where.id} (${code}): periksa folder Dropbox job itu dan bahwa aplikasi punya izin files.content.write.`,
  });
}

/**
 * Turns whatever the SDK or the network threw into a message for the owner. Raw error text is
 * never passed through, nor kept as `cause`: node-fetch puts the request URL in its messages, and
 * the token refresh URL holds the app secret and refresh token in its query string.
 */
export function toAppError(err: unknown, ctx: ErrorContext): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof FileChangedError) {
    return new AppError('corrupt', 'backup-file', {
      en: `The download of ${err.fileName} was damaged: the file changed in Dropbox after it was listed (it may still be uploading). The sync will try again.`,
      id: `Unduhan ${err.fileName} rusak: file berubah di Dropbox setelah didaftar (mungkin masih diunggah). Sync akan mencoba lagi.`,
    }, { retryable: true });
  }
  if (isHttpError(err)) return fromHttp(err, ctx);
  const destination = ctx.role === 'destination';
  if (isNetworkError(err)) {
    const e = err as TransportError;
    const reason = e.code ?? e.cause?.code ?? (e.name === 'AbortError' || /timeout/.test(e.type ?? '') ? 'timed out' : 'network error');
    const hint = unreachableHint(ctx.route);
    return new AppError('unreachable', 'dropbox', {
      en: `Cannot reach Dropbox (${reason}): ${hint.en}; the next ${destination ? 'backup' : 'sync'} will try again.`,
      id: `Dropbox tidak bisa dihubungi (${reason}): ${hint.id}; ${destination ? 'backup' : 'sync'} berikutnya akan mencoba lagi.`,
    }, { retryable: true });
  }
  const name = (err as Error)?.name ?? 'error';
  return new AppError('refused', 'dropbox', {
    en: `Unexpected answer from Dropbox (${name}); the next ${destination ? 'backup' : 'sync'} will try again.`,
    id: `Jawaban Dropbox tidak terduga (${name}); ${destination ? 'backup' : 'sync'} berikutnya akan mencoba lagi.`,
  });
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
