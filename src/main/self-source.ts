import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { HostPgDump } from '../adapters/postgres/pg-dump.ts';
import type { Config } from '../config/load-config.ts';
import type { RestoreTarget } from '../pipeline/ports.ts';
import type { SelfSource } from '../pipeline/backup/self-backup.ts';
import type { SelfPart } from '../pipeline/backup/self-archive.ts';
import { TOKOBOT_VERSION } from '../version.ts';
import { opsConnection, opsDatabaseName } from './ops-connection.ts';
import { buildTarget, KEPT_PASSWORD_FILES } from './restore-target.ts';
import type { Logger } from 'pino';
import { OpsDatabaseRestore } from '../store/postgres/ops-restore.ts';

/** A pg connection's settings as the URL pg_dump takes (a unix socket folder as `?host=`). */
export function connectionUrl(c: pg.ClientConfig): string {
  if (c.connectionString) return c.connectionString;
  const host = String(c.host ?? '127.0.0.1');
  const user = c.user ? encodeURIComponent(c.user) : '';
  const password = typeof c.password === 'string' && c.password ? `:${encodeURIComponent(c.password)}` : '';
  const login = user ? `${user}${password}@` : '';
  const db = encodeURIComponent(String(c.database ?? 'postgres'));
  if (host.startsWith('/')) return `postgresql://${login}/${db}?host=${encodeURIComponent(host)}${c.port ? `&port=${c.port}` : ''}`;
  return `postgresql://${login}${host.includes(':') ? `[${host}]` : host}:${c.port ?? 5432}/${db}`;
}

/** The files of a tokobot job as they are now (a file not there, such as an unused server's password, is left out). */
export function selfFiles(config: Pick<Config, 'files' | 'dataDir'>): SelfPart[] {
  const parts: SelfPart[] = [];
  const { config: configFile, env } = config.files;
  if (configFile && existsSync(configFile)) parts.push({ name: `config/${path.basename(configFile)}`, role: 'config', path: configFile, from: configFile });
  if (env && existsSync(env)) parts.push({ name: 'env/.env', role: 'env', path: env, from: env });
  for (const name of KEPT_PASSWORD_FILES) {
    const file = path.join(config.dataDir, name);
    if (existsSync(file)) parts.push({ name: `data/${name}`, role: 'data', path: file });
  }
  return parts;
}

/** What a tokobot job backs up here: this tokobot's files, and its ops database dumped with the host's pg_dump. */
export function selfSource(config: Config, target: RestoreTarget): SelfSource {
  return {
    version: TOKOBOT_VERSION,
    host: hostname(),
    files: async () => selfFiles(config),
    ops: new HostPgDump(connectionUrl(opsConnection(config, target)(opsDatabaseName(config)))),
  };
}

/**
 * The ops database restore-self fills, on the restore server of `config` (started when it is the
 * embedded one or Docker's) or OPS_DATABASE_URL's; close() stops a server this process started.
 */
export async function opsRestoreFor(config: Config, logger: Logger): Promise<{ ops: OpsDatabaseRestore; close(): Promise<void> }> {
  const target = await buildTarget(config, logger);
  await target.ensure();
  const connection = opsConnection(config, target);
  const name = opsDatabaseName(config);
  return { ops: new OpsDatabaseRestore(connection, connectionUrl(connection(name)), name), close: async () => { await target.stop?.(); } };
}
