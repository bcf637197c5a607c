import { spawn } from 'node:child_process';
import { AppError } from '../../errors.ts';

/** The first error lines pg_restore printed, for a message the owner can act on. */
export function restoreFailure(stderr: string, exitCode: number | null): AppError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /error|fatal|could not|unsupported|invalid/i.test(l));
  const quoted = (errors.length ? errors : lines).slice(0, 4).join(' | ') || `exit code ${exitCode}`;
  return new AppError('restore-failed', `pg_restore failed: ${quoted}`);
}

/** "pg_restore (PostgreSQL) 15.20 (Debian ...)" → 15 */
export function parseMajor(versionOutput: string): number {
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionOutput);
  if (!m) throw new AppError('restore-server', `Could not read the pg_restore version from "${versionOutput.trim()}".`);
  return Number(m[1]);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a local program, keeping only the tail of its output; the abort signal kills it. */
export function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout = (stdout + d.toString()).slice(-20_000); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
