import { spawn } from 'node:child_process';
import { AppError } from '../../errors.ts';

/** The first error lines pg_restore printed, for a message the owner can act on. */
export function restoreFailure(stderr: string, exitCode: number | null): AppError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /error|fatal|could not|unsupported|invalid/i.test(l));
  const quoted = (errors.length ? errors : lines).slice(0, 4).join(' | ') || `exit code ${exitCode}`;
  return new AppError('refused', 'postgres', { en: `pg_restore failed: ${quoted}`, id: `pg_restore gagal: ${quoted}` });
}

/**
 * pg_restore's options for a restore as the restore role: no owners or grants from the archive,
 * stop at the first error. No comments either: pg_dump 9.x (iPOS's) writes COMMENT ON EXTENSION
 * plpgsql, which only the extension's owner may run, and --exit-on-error would stop there.
 * Comments change nothing in the price list.
 */
export function restoreArgs(database: string, jobs = 1): string[] {
  return ['--no-owner', '--no-privileges', '--no-comments', '--exit-on-error', '-d', database, ...(jobs > 1 ? ['-j', String(jobs)] : [])];
}

export function restoreInterrupted(): AppError {
  return new AppError('interrupted', 'postgres', {
    en: 'The restore was stopped before it finished; the partly restored database must be dropped.',
    id: 'Restore dihentikan sebelum selesai; database yang baru sebagian dipulihkan harus dihapus.',
  });
}

/** "pg_restore (PostgreSQL) 15.20 (Debian ...)", "postgres (PostgreSQL) 18.4" → 15, 18 */
export function parseMajor(versionOutput: string): number {
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionOutput);
  if (!m) {
    const said = versionOutput.trim();
    throw new AppError('refused', 'postgres', { en: `Could not read the PostgreSQL version from "${said}".`, id: `Versi PostgreSQL tidak terbaca dari "${said}".` });
  }
  return Number(m[1]);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Collects a program's output, keeping only the tail (a restore can print for hours), and hands
 * each complete stderr line to `onLine`.
 */
export class OutputCollector {
  stdout = '';
  stderr = '';
  private partial = '';

  constructor(private readonly onLine?: (line: string) => void) {}

  out(chunk: Buffer): void {
    this.stdout = (this.stdout + chunk.toString()).slice(-20_000);
  }

  err(chunk: Buffer): void {
    const text = chunk.toString();
    this.stderr = (this.stderr + text).slice(-20_000);
    if (!this.onLine) return;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.onLine(line);
  }

  flush(): void {
    if (this.onLine && this.partial.trim()) this.onLine(this.partial);
    this.partial = '';
  }
}

/** Runs a local program; the abort signal kills it (the promise then rejects with an AbortError). */
export function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv,
  options: { signal?: AbortSignal; onLine?: (line: string) => void } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    const output = new OutputCollector(options.onLine);
    child.stdout.on('data', (d: Buffer) => output.out(d));
    child.stderr.on('data', (d: Buffer) => output.err(d));
    child.on('error', reject);
    child.on('close', (code) => {
      output.flush();
      resolve({ code, stdout: output.stdout, stderr: output.stderr });
    });
  });
}
