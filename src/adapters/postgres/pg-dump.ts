import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { AppError } from '../../errors.ts';
import type { PostgresDumper } from '../../pipeline/backup/ports.ts';
import { OutputCollector } from './pg-restore-process.ts';

/** The URL without its password (which goes to PGPASSWORD instead, out of the process list). */
export function splitPassword(url: string): { url: string; password?: string; database: string; where: string } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  return { url: u.toString(), password, database, where: `${database} on ${u.hostname}:${u.port || 5432}` };
}

/** pg_dump's stderr turned into a message the admin can act on. */
export function dumpFailure(stderr: string, code: number | null, where: string): AppError {
  const lines = stderr.split('\n').map((l) => l.replace(/^pg_dump:\s*/, '').trim()).filter(Boolean);
  const quoted = (lines.filter((l) => /error|fatal|could not|failed|mismatch/i.test(l)).slice(0, 3).join(' | ') || lines.slice(0, 3).join(' | ')) || `exit code ${code}`;
  if (/password authentication failed|no password supplied|role .* does not exist/i.test(stderr)) {
    return new AppError('refused', 'postgres', `PostgreSQL refused the login for ${where}: check the user and password in the job's URL. (${quoted})`);
  }
  if (/database .* does not exist/i.test(stderr)) {
    return new AppError('refused', 'postgres', `The database ${where} does not exist: check the job's URL. (${quoted})`);
  }
  if (/could not connect|connection refused|could not translate host|timeout expired|no such file or directory/i.test(stderr)) {
    return new AppError('unreachable', 'postgres', `Cannot reach PostgreSQL for ${where}: is the server running and the host/port right? (${quoted})`, { retryable: true });
  }
  if (/server version mismatch/i.test(stderr)) {
    return new AppError('refused', 'postgres', `pg_dump is older than the server of ${where}: install a newer pg_dump, or name the server's container in the job so its own pg_dump is used. (${quoted})`);
  }
  return new AppError('refused', 'postgres', `pg_dump failed for ${where}: ${quoted}`);
}

/** pg_dump -Fc run on this machine. */
export class HostPgDump implements PostgresDumper {
  readonly description: string;

  constructor(private readonly url: string, private readonly pgDump = 'pg_dump') {
    this.description = `PostgreSQL ${splitPassword(url).where}`;
  }

  dump(out: Writable, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { url, password, where } = splitPassword(this.url);
    const env = { ...process.env, PGPASSWORD: password ?? process.env.PGPASSWORD, PGCONNECT_TIMEOUT: '15' };
    return new Promise((resolve, reject) => {
      const child = spawn(this.pgDump, ['-Fc', '--no-password', `--dbname=${url}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = new OutputCollector();
      let failed: Error | undefined;
      const onAbort = () => child.kill('SIGTERM');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stderr.on('data', (d: Buffer) => output.err(d));
      child.stdout.on('data', (d: Buffer) => {
        if (!out.write(d)) { child.stdout.pause(); out.once('drain', () => child.stdout.resume()); }
      });
      out.once('error', (err) => { failed = err; child.kill('SIGTERM'); });
      child.on('error', (err) => {
        failed = new AppError('refused', 'postgres', `Cannot run ${this.pgDump}: ${err.message}. Install the PostgreSQL client tools.`);
      });
      child.on('close', (code) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (options.signal?.aborted) return reject(options.signal.reason ?? new AppError('interrupted', 'postgres', 'The dump was stopped.'));
        if (failed) return reject(failed);
        if (code !== 0) return reject(dumpFailure(output.stderr, code, where));
        resolve();
      });
    });
  }
}
