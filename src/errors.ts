/**
 * One error type for everything the owner may need to read. `message` is written for the shop
 * owner or the person running the server: what is wrong and what to do. Never put secrets in it.
 */
export type ErrorCode =
  | 'config'
  | 'source-auth'
  | 'source-not-found'
  | 'source-unreachable'
  | 'source-rejected'
  | 'download-corrupt'
  | 'disk-full'
  | 'archive-invalid'
  | 'zip-invalid'
  | 'restore-failed'
  | 'restore-server'
  | 'version-too-new'
  | 'export-failed'
  | 'validation-failed'
  | 'busy'
  | 'not-found'
  | 'usage'
  | 'upload-failed'
  | 'interrupted';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** True when trying the same thing again later may succeed (network, 429, 5xx, busy). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Best short text for an unknown failure, for logs and run history. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
