import type pg from 'pg';
import type { Config } from '../config/load-config.ts';
import type { RestoreTarget } from '../pipeline/ports.ts';

/**
 * How the ops database's server is reached: the shared one of a fleet (OPS_DATABASE_URL, its
 * database taken from the URL's path), else the restore server.
 */
export function opsConnection(config: Config, target: RestoreTarget): (database: string) => pg.ClientConfig {
  const url = config.ops.url;
  if (!url) return (db) => target.opsConnection(db);
  return (db) => {
    const u = new URL(url);
    u.pathname = `/${encodeURIComponent(db)}`;
    return { connectionString: u.toString() };
  };
}

/** The ops database's name: OPS_DATABASE_URL's path when set, else OPS_DATABASE. */
export function opsDatabaseName(config: Config): string {
  const path = config.ops.url ? decodeURIComponent(new URL(config.ops.url).pathname.slice(1)) : '';
  return path || config.ops.database;
}
