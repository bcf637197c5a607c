import { createHash } from 'node:crypto';
import type pg from 'pg';
import { BUTTON_MEMORY_ID, type ButtonMemory } from '../button-memory.ts';

/** A button older than this answers "expired": a month covers any chat someone still scrolls back through. */
const BUTTON_MEMORY_DAYS = 30;
/** Old rows are deleted at most this often (by the next `put`), not on every button made. */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Button payloads in the ops database (table button_memory). The id is a hash of the payload, so
 * the same page or item made again reuses its row (and makes it young again), and an id cannot
 * be guessed from another one.
 */
export class PostgresButtonMemory implements ButtonMemory {
  private lastPrune = 0;

  constructor(private readonly pool: Pick<pg.Pool, 'query'>, private readonly now = () => Date.now()) {}

  async put(payload: object): Promise<string> {
    const json = JSON.stringify(payload);
    const id = createHash('sha256').update(json).digest('base64url').slice(0, 16);
    await this.pool.query(`INSERT INTO button_memory (id, payload) VALUES ($1, $2)
      ON CONFLICT (id) DO UPDATE SET created_at = now()`, [id, json]);
    if (this.now() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = this.now();
      await this.pool.query('DELETE FROM button_memory WHERE created_at < now() - make_interval(days => $1)', [BUTTON_MEMORY_DAYS]);
    }
    return id;
  }

  async get(id: string): Promise<unknown> {
    if (!BUTTON_MEMORY_ID.test(id)) return null; // never sent to the server: a NUL alone would make it fail
    const res = await this.pool.query('SELECT payload FROM button_memory WHERE id = $1 AND created_at >= now() - make_interval(days => $2)',
      [id, BUTTON_MEMORY_DAYS]);
    return res.rows[0]?.payload ?? null;
  }
}
