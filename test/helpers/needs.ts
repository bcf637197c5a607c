import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { adminQuery } from './local-pg.ts';

/**
 * What a suite needs beyond `npm install`, as a skip reason (undefined when it is there). With
 * CI=true a missing need throws instead, so CI never passes by skipping (.ci/run installs them).
 */
export function skipUnless(missing: string | undefined): string | undefined {
  if (missing && process.env.CI === 'true') throw new Error(`${missing} (CI=true: every suite must run)`);
  return missing;
}

const majors = new Map<string, Promise<number | undefined>>();

/** The major version a PostgreSQL client program prints, or undefined when it cannot be run. */
export function programMajor(program: string): Promise<number | undefined> {
  let found = majors.get(program);
  if (!found) {
    found = promisify(execFile)(program, ['--version']).then((r) => Number(/\(PostgreSQL\)\s+(\d+)/.exec(r.stdout)?.[1]) || undefined, () => undefined);
    majors.set(program, found);
  }
  return found;
}

export async function testServerMajor(): Promise<number> {
  return Math.floor(Number((await adminQuery('SHOW server_version_num')).rows[0].server_version_num) / 10_000);
}

/** pg_dump refuses servers newer than itself, so it must be at least the test server's version. */
export async function pgDumpMissing(program = 'pg_dump'): Promise<string | undefined> {
  const [major, server] = await Promise.all([programMajor(program), testServerMajor()]);
  if (major === undefined) return `${program} is not installed (Debian: apt-get install postgresql-client)`;
  return major < server ? `${program} ${major} cannot dump the test server's PostgreSQL ${server}` : undefined;
}

export async function pgRestoreMissing(): Promise<string | undefined> {
  return (await programMajor('pg_restore')) === undefined ? 'pg_restore is not installed (Debian: apt-get install postgresql-client)' : undefined;
}

/** Suites comparing with pg_dump and pg_restore. */
export async function needPgTools(): Promise<string | undefined> {
  return skipUnless((await pgDumpMissing()) ?? (await pgRestoreMissing()));
}

export async function needPgDump(program?: string): Promise<string | undefined> {
  return skipUnless(await pgDumpMissing(program));
}

export async function needPgRestore(): Promise<string | undefined> {
  return skipUnless(await pgRestoreMissing());
}

/** MariaDB (or MySQL) on 127.0.0.1:3306 as root without a password, as TESTING.md sets it up. */
export async function needMariadb(): Promise<string | undefined> {
  const mysql = await import('mysql2/promise');
  try {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 3_000 });
    await c.end();
    return undefined;
  } catch (err) {
    return skipUnless(`no MariaDB answers on 127.0.0.1:3306 as root (${(err as Error).message})`);
  }
}

/** The mysql command-line client, for round trips through it. */
export async function needMysqlClient(): Promise<string | undefined> {
  const ok = await promisify(execFile)('mysql', ['--version']).then(() => true, () => false);
  return skipUnless(ok ? undefined : 'the mysql client is not installed (Debian: apt-get install mariadb-client)');
}

export function needProgramFile(file: string, install: string): string | undefined {
  return skipUnless(existsSync(file) ? undefined : `${file} is missing (${install})`);
}
