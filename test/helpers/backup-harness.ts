import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createApp, type App } from '../../src/main/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log.ts';
import { dropScratchDb, LOCAL_PG_URL, localConnection, queryOn } from './local-pg.ts';
import { tokobot, type CliResult } from './tokobot-cli.ts';

export interface BackupHarness {
  app: App;
  dataDir: string;
  env: Record<string, string>;
  query(database: string, sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
}

/**
 * The app as `tokobot backup` builds it from a config file listing `jobs`, with this machine's
 * PostgreSQL as restore target (verification) and ops database.
 */
export async function startBackupHarness(name: string, jobs: object[], extraEnv: Record<string, string> = {}): Promise<BackupHarness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `tokobot-backup-${name}-`));
  const configFile = path.join(dataDir, 'tokobot.json');
  writeFileSync(configFile, JSON.stringify({ jobs }));
  const env: Record<string, string> = {
    SOURCE: 'folder', SOURCE_DIR: dataDir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(dataDir, 'data'),
    OPS_DATABASE: `tokobot_t_ops_${name}`, TOKOBOT_CONFIG: configFile, LOG_LEVEL: 'silent', ...extraEnv,
  };
  const app = await createApp(loadConfig(env), createLogger('silent'));
  const query = queryOn((db) => localConnection(db));
  return {
    app, dataDir, env, query,
    async close() {
      await app.close();
      await dropScratchDb(env.OPS_DATABASE as string);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the tokobot command line with the harness's environment, as an operator would (in this process: see tokobot-cli.ts), in English. */
export function runCli(h: Pick<BackupHarness, 'env'>, args: string[]): Promise<CliResult> {
  return tokobot(args, { ...h.env, PATH: process.env.PATH ?? '', TOKOBOT_LANG: 'en' });
}

/** A copy of `from` at `to` with its bytes changed by `change` (cut short, a byte flipped). */
export function damagedCopy(from: string, to: string, change: (bytes: Buffer) => Buffer): string {
  mkdirSync(path.dirname(to), { recursive: true });
  writeFileSync(to, change(readFileSync(from)));
  return to;
}
