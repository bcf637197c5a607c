import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery, databasesLike } from '../test/helpers/local-pg.ts';

const TOKOBOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'tokobot.js');

/** The tokobot processes a bench started, so that every exit path stops them. */
export class Processes {
  private readonly children = new Set<ChildProcess>();

  /** `tokobot <args>` with `env` only (no variable of the bench's shell leaks in), its output to `logFile`. */
  start(args: string[], env: Record<string, string>, logFile: string): ChildProcess {
    const out = openSync(logFile, 'a');
    const child = spawn(process.execPath, [TOKOBOT, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', out, out] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** SIGTERM (tokobot lets running jobs finish), then SIGKILL after `graceMs`. */
  async stop(child: ChildProcess, graceMs = 40_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(graceMs?: number): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c, graceMs)));
  }
}

/** Drops the databases whose names start with `prefix` (LIKE wildcards in it are taken literally). */
export async function dropDatabasesStarting(prefix: string): Promise<void> {
  for (const name of await databasesLike(`${prefix.replace(/[_%\\]/g, (c) => `\\${c}`)}%`)) {
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
  }
}
