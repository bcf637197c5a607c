import type pg from 'pg';
import type { DataVersion } from '../data-version.ts';

/**
 * The server's current snapshot (xmin:xmax:in-progress ids). What a statement sees is a function of
 * its snapshot alone: a writing transaction that commits or aborts moves xmax or leaves the list, so
 * an equal snapshot taken before a read means nothing was written since (in any database of the
 * server: a change elsewhere only makes the text differ more often).
 */
export class PgDataVersion implements DataVersion {
  constructor(private readonly pool: pg.Pool) {}

  async current(): Promise<string> {
    return (await this.pool.query('SELECT pg_current_snapshot()::text AS s')).rows[0].s as string;
  }
}
