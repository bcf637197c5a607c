import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type pg from 'pg';
import { buildSource, createApp, type App } from '../../src/main/app.ts';
import { loadConfig, type StoreConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log.ts';
import { PostgresRestoreServer } from '../../src/adapters/postgres/postgres-restore-server.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { LOCAL_PG_URL, queryOn } from './local-pg.ts';
import { removeContainer, TEST_IMAGE } from './docker.ts';

export interface Harness {
  app: App;
  fake: FakeDropbox;
  store: StoreConfig;
  folder: string;
  dataDir: string;
  env: Record<string, string>;
  /** Runs a query on a database of the restore server. */
  query(database: string, sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
}

/**
 * The whole app as `tokobot sync` builds it, from environment settings, against the fake Dropbox
 * and a real restore server (this machine's PostgreSQL, or a container). Retries are made quick.
 */
export async function startHarness(target: 'external' | 'docker', storeId: string, extra: Record<string, string> = {}): Promise<Harness> {
  const fake = await FakeDropbox.start();
  const dataDir = mkdtempSync(path.join(tmpdir(), `tokobot-e2e-${storeId}-`));
  const folder = `/iPOS/${storeId}`;
  const container = `tokobot-test-e2e-${process.pid}`;
  const env: Record<string, string> = {
    SOURCE: 'dropbox', DROPBOX_APP_KEY: fake.appKey, DROPBOX_APP_SECRET: fake.appSecret, DROPBOX_REFRESH_TOKEN: fake.refreshToken,
    DROPBOX_FOLDER: folder, DROPBOX_API_URL: fake.url, DROPBOX_CONTENT_URL: fake.url, STORE_ID: storeId, STORE_NAME: `Toko ${storeId}`,
    DATA_DIR: dataDir, OPS_DATABASE: `tokobot_t_ops_${storeId}`, LOG_LEVEL: 'silent', RESTORE_JOBS: '2',
    ...(target === 'external'
      ? { RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL }
      : { RESTORE_TARGET: 'docker', PG_DOCKER_IMAGE: TEST_IMAGE, PG_DOCKER_CONTAINER: container, PG_DOCKER_VOLUME: `${container}-data`,
        PG_DOCKER_PORT: '55434', PG_DOCKER_NETWORK: 'host', PG_DOCKER_PASSWORD: 'e2e-pw-456' }),
    ...extra,
  };
  const config = loadConfig(env);
  const logger = createLogger('silent');
  const app = await createApp(config, logger);
  app.sync.sourceFor = (s) => buildSource(config, s, logger, { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 });
  const server = app.target;
  // The checks read restored databases as the administrator, which the pipeline never may.
  if (!(server instanceof PostgresRestoreServer)) throw new Error(`the ${server.kind} restore target is no PostgreSQL server`);
  const query = queryOn((db) => server.adminConnection(db));
  return {
    app, fake, folder, dataDir, env, query, store: config.stores[0] as StoreConfig,
    async close() {
      await app.close();
      if (target === 'docker') {
        await removeContainer(new Docker({ socketPath: config.docker.socket }), container, `${container}-data`);
      } else {
        const dbs = await query('postgres', "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2", [env.OPS_DATABASE, `ipos\\_${storeId}%`]);
        for (const { datname } of dbs.rows) {
          await query('postgres', 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [datname]);
          await query('postgres', `DROP DATABASE IF EXISTS "${datname}"`);
        }
      }
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
