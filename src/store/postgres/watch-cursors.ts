import type pg from 'pg';
import type { WatchCursors } from '../watch-cursors.ts';

/** Watch cursors in the ops database (table watch_cursors, one row per watched folder). */
export class PgWatchCursors implements WatchCursors {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async get(key: string): Promise<string | undefined> {
    const res = await this.pool.query<{ cursor: string }>('SELECT cursor FROM watch_cursors WHERE key = $1', [key]);
    return res.rows[0]?.cursor;
  }

  async put(key: string, cursor: string): Promise<void> {
    await this.pool.query(`INSERT INTO watch_cursors (key, cursor) VALUES ($1, $2)
      ON CONFLICT (key) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`, [key, cursor]);
  }
}
