import { execFile } from 'node:child_process';
import { ownClient } from '../adapters/postgres/with-client.ts';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DropboxDestination } from '../adapters/dropbox/dropbox-destination.ts';
import { HttpHeadOffice } from '../adapters/head-office/head-office-client.ts';
import type { AgentDoctorClients } from '../cli/agent-doctor.ts';
import type { AgentConfig } from '../config/agent-config.ts';
import { createLogger } from '../log.ts';
import { jobDatabase } from './doctor-clients.ts';

/** The head office gets less than the doctor's 20 s per check, so that its own "did not answer" is what is told. */
const HELLO_TIMEOUT_MS = 15_000;

/** Where `program` is: itself when it names a folder, else the first match on the PATH (with PATHEXT's endings on Windows). */
async function located(program: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const endings = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  const candidates = path.basename(program) !== program ? [program]
    : (env.PATH ?? '').split(path.delimiter).filter(Boolean).flatMap((dir) => endings.map((e) => path.join(dir, program + e)));
  for (const file of candidates) {
    if (await access(file, constants.X_OK).then(() => true, () => false)) return file;
  }
  return null;
}

async function pgDumpVersion(program: string, env: NodeJS.ProcessEnv): Promise<{ version: string; path: string } | null> {
  const file = await located(program, env);
  if (!file) return null;
  const { stdout } = await promisify(execFile)(file, ['--version'], { timeout: 10_000 });
  // "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1.pgdg120+1)": the version is the first number after the name.
  return { version: /\)\s*(\S+)/.exec(stdout)?.[1] ?? stdout.trim(), path: file };
}

async function serverVersion(url: string): Promise<string> {
  const c = ownClient({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
    return String((await c.query('SHOW server_version')).rows[0].server_version);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The real clients the agent's doctor asks: each built, asked once, changing nothing. */
export function agentClients(config: Pick<AgentConfig, 'dropbox' | 'proxy'>, env: NodeJS.ProcessEnv = process.env): AgentDoctorClients {
  const logger = createLogger('silent');
  return {
    headOffice: (o) => new HttpHeadOffice({ ...o, timeoutMs: HELLO_TIMEOUT_MS }),
    jobDatabase,
    serverVersion: (job) => serverVersion(job.url),
    pgDump: (program) => pgDumpVersion(program, env),
    // Tried once: the doctor says what is wrong now rather than waiting out retries.
    dropboxFiles: async (folder) => (await new DropboxDestination({ ...config.dropbox, proxy: config.proxy, folder, logger, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } }).list()).length,
  };
}
