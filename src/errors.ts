import type { Lang } from './i18n/lang.ts';

/**
 * The few kinds of failure that callers branch on:
 * - refused: the system (or tokobot, about a file or a list) said no; trying again as it is will not help.
 * - unreachable: the system could not be reached or did not answer; later may work.
 * - busy: the same work is already running.
 * - interrupted: stopped before the end (shutdown, a time limit, cancelled).
 * - corrupt: the data is damaged, incomplete or not what it claims to be.
 * - config: tokobot's settings, or this machine's setup, must be fixed first.
 * - usage: a command was given wrongly.
 */
export const ERROR_KINDS = ['refused', 'unreachable', 'busy', 'interrupted', 'corrupt', 'config', 'usage'] as const;
export type ErrorKind = typeof ERROR_KINDS[number];

/** What a failure concerns: an outside system, this machine's disk, a file or list tokobot checks (a barcode photo too), or tokobot itself. */
export const ERROR_SYSTEMS = ['dropbox', 'folder', 'ftp', 'sftp', 'telegram', 'whatsapp', 'email', 'postgres', 'mysql', 'docker', 'disk', 'backup-file', 'price-list', 'head-office', 'barcode', 'tokobot'] as const;
export type ErrorSystem = typeof ERROR_SYSTEMS[number];

/** The part of an error that outlives it (an alert, a run record): enough for the owner's message. */
export interface ErrorFacts {
  kind: ErrorKind;
  system: ErrorSystem;
}

/** A detail in both of the owner's languages: the same facts and numbers in each. */
export interface Detail {
  en: string;
  id: string;
}

/**
 * One error type for everything the owner may need to read. `message` is the detail, written for
 * the shop owner or the person running the server: what is wrong and what to do. Never put
 * secrets in it. ownerMessage() gives the short headline for its kind and system.
 * The detail may come in both languages ({ en, id }): `message` is always the English (logs, run
 * history), errorDetail() gives the reader's.
 */
export class AppError extends Error implements ErrorFacts {
  readonly kind: ErrorKind;
  readonly system: ErrorSystem;
  /** True when trying the same thing again later may succeed (network, 429, 5xx, busy). */
  readonly retryable: boolean;
  /** The detail in Indonesian, when it was written; errorDetail() falls back to the English. */
  readonly messageId: string | undefined;

  constructor(kind: ErrorKind, system: ErrorSystem, message: string | Detail, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(typeof message === 'string' ? message : message.en, { cause: options.cause });
    this.messageId = typeof message === 'string' ? undefined : message.id;
    this.name = 'AppError';
    this.kind = kind;
    this.system = system;
    this.retryable = options.retryable ?? false;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** An error's detail in the reader's language: the Indonesian when it was written, else the English. */
export function errorDetail(err: AppError, lang: Lang): string {
  return lang === 'id' ? (err.messageId ?? err.message) : err.message;
}

/** An error's Indonesian text, when it has one (an AppError written in both languages). */
export function indonesianDetail(err: unknown): string | undefined {
  return isAppError(err) ? err.messageId : undefined;
}

/** The kind and system of an AppError; undefined for anything else. */
export function errorFacts(err: unknown): ErrorFacts | undefined {
  return isAppError(err) ? { kind: err.kind, system: err.system } : undefined;
}

/** Kind and system read back from storage (untrusted): both known, or undefined. */
export function parseErrorFacts(kind: unknown, system: unknown): ErrorFacts | undefined {
  const k = ERROR_KINDS.find((x) => x === kind);
  const s = ERROR_SYSTEMS.find((x) => x === system);
  return k && s ? { kind: k, system: s } : undefined;
}

/** Best short text for an unknown failure, for logs and run history. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
