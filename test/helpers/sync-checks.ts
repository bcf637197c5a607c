import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { syncStore, type SyncOutcome } from '../../src/pipeline/sync/sync-store.ts';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { comparePriceRows, type PriceRow } from '../fixtures/expected-prices.ts';
import type { SharedFixture } from '../fixtures/shared-fixture.ts';
import type { Harness } from './sync-harness.ts';

export const sync = (h: Harness, trigger = 'test') => syncStore(h.app.sync, h.store, trigger);

/** The published CSV holds exactly the rows computed independently from the fixture. */
export function assertCsvMatches(o: SyncOutcome, fixture: SharedFixture, storeId: string): void {
  const parsed = Papa.parse<PriceRow>(readFileSync(o.csvPath as string, 'utf8'), { header: true, skipEmptyLines: true });
  const got = [...parsed.data].sort(comparePriceRows);
  const want = fixture.expectedRows.map((r) => ({ ...r, store: storeId })).sort(comparePriceRows);
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `row ${i + 1}`);
}

/** What must hold after any failed run: live data as before, nothing half-made left behind. */
export async function snapshot(h: Harness) {
  const dbs = storeDatabases(h.store.id);
  const live = await h.query('postgres', 'SELECT oid FROM pg_database WHERE datname = $1', [dbs.live]);
  const published = await h.app.ops.query('SELECT content_hash, row_count, run_id FROM published WHERE store = $1', [h.store.id]);
  const rows = await h.app.ops.query('SELECT count(*)::int AS n FROM price_rows WHERE store = $1', [h.store.id]);
  return { liveOid: live.rows[0]?.oid ?? null, published: published.rows[0] ?? null, priceRows: rows.rows[0].n as number };
}

export async function assertNothingLeft(h: Harness): Promise<void> {
  const staging = await h.query('postgres', 'SELECT datname FROM pg_database WHERE datname = $1', [storeDatabases(h.store.id).staging]);
  assert.equal(staging.rowCount, 0, 'staging database left behind');
  const work = path.join(h.dataDir, 'work', h.store.id);
  assert.deepEqual(readdirSync(path.dirname(work)).includes(h.store.id) ? readdirSync(work) : [], [], 'work files left behind');
  const exports = readdirSync(path.join(h.dataDir, 'exports', h.store.id));
  assert.deepEqual(exports.filter((n) => n.endsWith('.tmp')), [], 'unfinished export left behind');
}
