import { z } from 'zod';
import type { StoreConfig } from '../config/load-config.ts';
import { RULE_COLUMNS, type PriceRuleFindings } from './price-rules.ts';
import type { StatusRuns, SyncRun, SyncRunLog } from '../store/sync-runs.ts';
import type { PriceLists, PublishedList } from '../store/price-lists.ts';
import type { Locks } from '../store/locks.ts';
import type { DataVersion } from '../store/data-version.ts';
import { STORE_ZONE } from '../config/time-zone.ts';
import { wallTimeIn } from './wall-time.ts';

export type Freshness = 'OK' | 'ATTENTION' | 'CHECK' | 'FAILED' | 'RUNNING';

export interface StoreStatus {
  store: string;
  name: string;
  freshness: Freshness;
  /**
   * The newest backup seen at the source. Its age runs from the dump time written in the archive
   * (`ageFrom` 'dump'): a copy tool may give an old dump a fresh file time. Only when no archive
   * of that file was read is the file's time used ('file').
   */
  newestBackup: { file: string; modifiedAt: Date; dumpedAt: Date | null; ageHours: number; ageFrom: 'dump' | 'file'; archive: unknown } | null;
  lastSuccess: { at: Date; file: string; rows: number } | null;
  lastRun: { id: number; status: string; startedAt: Date; finishedAt: Date | null; rows: number | null; trigger: string } | null;
  lastFailure: { at: Date; stage: string | null; error: string | null } | null;
  published: { rows: number; at: Date; file: string } | null;
  /** What the price rules left out or kept on an uncertain reading in the list in use; null before the first list, or from a run that did not record them. */
  priceRules: PriceRuleFindings | null;
}

const ruleCount = z.object({
  items: z.number().int().nonnegative(),
  examples: z.array(z.object({ kodeitem: z.string(), column: z.enum(RULE_COLUMNS), value: z.string() })),
});
/** The part of a run's stored validation report (JSON in the run log) that the status shows. */
const storedReport = z.object({ priceRules: z.object({ unknownSystem: ruleCount, oddFlags: ruleCount }) });

function priceRulesOf(run: SyncRun | null): PriceRuleFindings | null {
  const parsed = storedReport.safeParse(run?.validation);
  return parsed.success ? parsed.data.priceRules : null;
}

const HOUR = 3_600_000;

/** OK under 24 h, ATTENTION to 48 h, CHECK beyond (or never seen); a failed or running last run says so instead. */
export function freshness(running: boolean, lastRun: SyncRun | null, backupAgeHours: number | null): Freshness {
  if (running) return 'RUNNING';
  if (lastRun?.status === 'failed') return 'FAILED';
  if (backupAgeHours === null || backupAgeHours > 48) return 'CHECK';
  return backupAgeHours >= 24 ? 'ATTENTION' : 'OK';
}

/** What a store's status is read from. */
export interface StatusReads {
  runs: Pick<SyncRunLog, 'recent' | 'lastWith' | 'newestSeen'>;
  priceLists: Pick<PriceLists, 'published'>;
  locks: Locks;
}

async function isRunning(locks: Locks, store: string): Promise<boolean> {
  const release = await locks.tryLock(`sync:${store}`);
  if (!release) return true;
  await release();
  return false;
}

/** What one store's status is made of. */
interface StatusRecords extends StatusRuns {
  running: boolean;
  published: PublishedList | null;
}

export async function storeStatus(ops: StatusReads, store: StoreConfig, now = new Date()): Promise<StoreStatus> {
  const [running, recent, success, failure, newest, published] = await Promise.all([
    isRunning(ops.locks, store.id),
    ops.runs.recent(store.id, 1),
    ops.runs.lastWith(store.id, ['success']),
    ops.runs.lastWith(store.id, ['failed']),
    ops.runs.newestSeen(store.id),
    ops.priceLists.published(store.id),
  ]);
  return statusOf(store, { running, last: recent[0] ?? null, success, failure, newest, published }, now);
}

/** What the status of many stores is read from, a few queries for all of them (the dashboard's 200-store overview). */
export interface StatusBatchReads {
  runs: Pick<SyncRunLog, 'statusRuns'>;
  priceLists: Pick<PriceLists, 'publishedOf'>;
  locks: Pick<Locks, 'held'>;
}

/** storeStatus() of every store given, in their order. */
export async function storeStatuses(ops: StatusBatchReads, stores: StoreConfig[], now = new Date()): Promise<StoreStatus[]> {
  const ids = stores.map((s) => s.id);
  const [held, records] = await Promise.all([heldOf(ops, ids), recordsOf(ops, ids)]);
  return statusesOf(stores, held, records, now);
}

/**
 * storeStatuses() for the dashboard, which asks every 2 s per viewer: the runs and published lists
 * read last are used again while the ops database's version is the one they were read at (nothing
 * written since, so the same rows). The version is asked first and the rows after it: a write in
 * between only makes the next call read again. Locks (not data) and the time are taken afresh.
 */
export function cachedStoreStatuses(ops: StatusBatchReads & { version: DataVersion }): (stores: StoreConfig[], now?: Date) => Promise<StoreStatus[]> {
  let last: { key: string; records: Promise<BatchRecords> } | null = null;
  return async (stores, now = new Date()) => {
    const ids = stores.map((s) => s.id);
    const [version, held] = await Promise.all([ops.version.current(), heldOf(ops, ids)]);
    const key = `${version}\n${ids.join('\n')}`;
    let read = last;
    if (read?.key !== key) {
      const fresh = { key, records: recordsOf(ops, ids) };
      fresh.records.catch(() => { if (last === fresh) last = null; });
      last = read = fresh;
    }
    return statusesOf(stores, held, await read.records, now);
  };
}

/** The runs and published lists of many stores. */
interface BatchRecords { runs: Map<string, StatusRuns>; published: Map<string, PublishedList> }

const heldOf = (ops: StatusBatchReads, ids: string[]) => ops.locks.held(ids.map((id) => `sync:${id}`));

async function recordsOf(ops: StatusBatchReads, ids: string[]): Promise<BatchRecords> {
  const [runs, published] = await Promise.all([ops.runs.statusRuns(ids), ops.priceLists.publishedOf(ids)]);
  return { runs, published };
}

function statusesOf(stores: StoreConfig[], held: Set<string>, { runs, published }: BatchRecords, now: Date): StoreStatus[] {
  const none: StatusRuns = { last: null, success: null, failure: null, newest: null };
  return stores.map((s) => statusOf(s, { running: held.has(`sync:${s.id}`), ...(runs.get(s.id) ?? none), published: published.get(s.id) ?? null }, now));
}

function statusOf(store: StoreConfig, r: StatusRecords, now: Date): StoreStatus {
  const { newest, published, success, failure } = r;
  const lastRun = r.last;
  // A run that found the file unchanged read no archive: the published list's is the same file's.
  const archive = newest?.archive ?? (newest?.contentHash && newest.contentHash === published?.contentHash ? published.archive : null);
  const dumpTime = (archive as { dumpTime?: unknown } | null)?.dumpTime;
  const dumpedAt = typeof dumpTime === 'string' ? wallTimeIn(dumpTime, store.timeZone ?? STORE_ZONE) : null;
  const since = dumpedAt ?? newest?.sourceModified;
  const ageHours = since ? (now.getTime() - since.getTime()) / HOUR : null;
  return {
    store: store.id,
    name: store.name,
    freshness: freshness(r.running, lastRun, ageHours),
    newestBackup: newest?.sourceModified
      ? { file: newest.sourceFile ?? '', modifiedAt: newest.sourceModified, dumpedAt, ageHours: ageHours ?? 0, ageFrom: dumpedAt ? 'dump' : 'file', archive }
      : null,
    lastSuccess: success ? { at: success.finishedAt ?? success.startedAt, file: success.sourceFile ?? '', rows: success.rowCount ?? 0 } : null,
    lastRun: lastRun ? { id: lastRun.id, status: lastRun.status, startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt,
      rows: lastRun.rowCount, trigger: lastRun.trigger } : null,
    lastFailure: failure ? { at: failure.finishedAt ?? failure.startedAt, stage: failure.stage, error: failure.error } : null,
    published: published ? { rows: published.rowCount, at: published.publishedAt, file: published.sourceFile } : null,
    priceRules: priceRulesOf(success),
  };
}
