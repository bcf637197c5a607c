import type pg from 'pg';
import type { PictureFileIds, PictureKey } from '../picture-file-ids.ts';

/** Telegram file ids of item pictures in the ops database (table picture_file_ids, one row per store and item). */
export class PgPictureFileIds implements PictureFileIds {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async get(key: PictureKey): Promise<string | null> {
    const res = await this.pool.query<{ file_id: string }>('SELECT file_id FROM picture_file_ids WHERE store = $1 AND kodeitem = $2 AND hash = $3',
      [key.store, key.kodeitem, key.hash]);
    return res.rows[0]?.file_id ?? null;
  }

  async set(key: PictureKey, fileId: string): Promise<void> {
    await this.pool.query(`INSERT INTO picture_file_ids (store, kodeitem, hash, file_id) VALUES ($1, $2, $3, $4)
      ON CONFLICT (store, kodeitem) DO UPDATE SET hash = EXCLUDED.hash, file_id = EXCLUDED.file_id, saved_at = now()`,
    [key.store, key.kodeitem, key.hash, fileId]);
  }
}
