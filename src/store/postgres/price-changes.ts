import type pg from 'pg';
import type { ChangeFlag, ChangeKind, PriceChange } from '../../pipeline/price-changes.ts';
import { KEEP_CHANGES_DAYS, type ChangeAnnouncement, type PriceChangeLog, type RecordedChange } from '../price-changes.ts';
import { inTransaction } from './in-transaction.ts';

/** Rows per INSERT: a list whose every price changed (a new price system) is 100,000 rows; parameters stay well under pg's 65,535 per statement. */
const CHUNK = 5_000;

const COLUMNS = ['kind', 'kodeitem', 'namaitem', 'satuan', 'konversi', 'level', 'jmlsampai', 'before', 'after', 'cost', 'flags'] as const;

async function insertChanges(c: pg.ClientBase, runId: number, changes: readonly PriceChange[]): Promise<void> {
  for (let start = 0; start < changes.length; start += CHUNK) {
    const part = changes.slice(start, start + CHUNK);
    const arrays = [part.map((_, i) => start + i), ...COLUMNS.map((k) => part.map((x) => (k === 'flags' ? x.flags.join(',') : x[k])))];
    await c.query(
      `INSERT INTO price_changes (run_id, seq, ${COLUMNS.join(', ')})
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::numeric[], $11::numeric[], $12::numeric[], $13::text[])`,
      [runId, ...arrays]);
  }
}

const SELECT = `
  SELECT r.store, c.run_id, s.finished_at AS published_at, c.kind, c.kodeitem, c.namaitem, c.satuan, c.konversi, c.level, c.jmlsampai,
         c.before::text AS before, c.after::text AS after, c.cost::text AS cost, c.flags
  FROM price_changes c JOIN price_change_runs r ON r.run_id = c.run_id JOIN sync_runs s ON s.id = c.run_id AND s.status = 'success'`;

const toChange = (r: Record<string, any>): RecordedChange => ({
  store: r.store, runId: Number(r.run_id), publishedAt: r.published_at, kind: r.kind as ChangeKind,
  kodeitem: r.kodeitem, namaitem: r.namaitem, satuan: r.satuan, konversi: r.konversi, level: r.level, jmlsampai: r.jmlsampai,
  before: r.before, after: r.after, cost: r.cost, flags: r.flags ? (r.flags as string).split(',') as ChangeFlag[] : [],
});

/** The price change log on the ops database (migration 17). A change counts once its run is 'success' in sync_runs. */
export class PgPriceChangeLog implements PriceChangeLog {
  constructor(private readonly pool: pg.Pool) {}

  async record(store: string, runId: number, previousFile: string | null, changes: readonly PriceChange[]): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query(`DELETE FROM price_change_runs p USING sync_runs s WHERE p.store = $1 AND s.id = p.run_id
        AND (s.status = 'failed' OR p.recorded_at < now() - make_interval(days => $2))`, [store, KEEP_CHANGES_DAYS]);
      await c.query('DELETE FROM price_change_runs WHERE run_id = $1', [runId]);
      await c.query('INSERT INTO price_change_runs (run_id, store, previous_file) VALUES ($1, $2, $3)', [runId, store, previousFile]);
      await insertChanges(c, runId, changes);
    });
  }

  async since(store: string | null, from: Date, to: Date): Promise<RecordedChange[]> {
    const res = await this.pool.query(`${SELECT} WHERE ($1::text IS NULL OR r.store = $1) AND s.finished_at >= $2 AND s.finished_at < $3
      ORDER BY s.finished_at, c.run_id, c.seq`, [store, from, to]);
    return res.rows.map(toChange);
  }

  async claimAnnouncements(notBefore: Date): Promise<ChangeAnnouncement[]> {
    const claimed = await this.pool.query(`UPDATE price_change_runs p SET announced_at = now() FROM sync_runs s
      WHERE s.id = p.run_id AND s.status = 'success' AND p.announced_at IS NULL
      RETURNING p.run_id, p.store, s.finished_at`);
    const told = claimed.rows.filter((r) => r.finished_at >= notBefore).sort((a, b) => a.finished_at - b.finished_at);
    if (!told.length) return [];
    const rows = (await this.pool.query(`${SELECT} WHERE c.run_id = ANY($1) ORDER BY c.run_id, c.seq`, [told.map((r) => r.run_id)])).rows.map(toChange);
    return told.map((r) => ({ store: r.store, runId: Number(r.run_id), publishedAt: r.finished_at, changes: rows.filter((c) => c.runId === Number(r.run_id)) }));
  }

  async subscribed(userId: number): Promise<boolean | null> {
    return (await this.pool.query('SELECT subscribed FROM price_change_subscribers WHERE user_id = $1', [userId])).rows[0]?.subscribed ?? null;
  }

  async subscriptions(): Promise<Map<number, boolean>> {
    const res = await this.pool.query('SELECT user_id, subscribed FROM price_change_subscribers');
    return new Map(res.rows.map((r) => [Number(r.user_id), r.subscribed as boolean]));
  }

  async subscribe(userId: number, on: boolean): Promise<void> {
    await this.pool.query(`INSERT INTO price_change_subscribers (user_id, subscribed) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET subscribed = EXCLUDED.subscribed, updated_at = now()`, [userId, on]);
  }
}
