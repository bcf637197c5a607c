import pg from 'pg';
import type { RestoreTarget } from './ports.ts';

/**
 * A session on a restored iPOS database: as the restore role (an archive's views, triggers and
 * functions run with its rights, never an administrator's), with search_path pinned to
 * pg_catalog alone. Then `upper`, `=`, `coalesce` mean PostgreSQL's own, whatever the archive
 * defines in public: a public.=(varchar, varchar) would otherwise win over the built-in one,
 * because PostgreSQL prefers the closest argument types over the search order. Queries name
 * the archive's tables as public.tbl_... . A startup option outranks any ALTER ROLE/DATABASE
 * SET the archive's code may have left.
 */
export function restoredConnection(target: RestoreTarget, database: string): pg.ClientConfig {
  return { ...target.restoreConnection(database), options: '-c search_path=pg_catalog' };
}

export async function withRestored<T>(target: RestoreTarget, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(restoredConnection(target, database));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Gathers the planner's statistics of a freshly restored database: without them the export's
 * joins over 160,000 price rows take minutes instead of seconds. As the restore role, which owns
 * every table; what it does not own, ANALYZE skips with a warning.
 */
export async function analyzeDatabase(target: RestoreTarget, database: string): Promise<void> {
  await withRestored(target, database, (c) => c.query('ANALYZE'));
}
