import type { JobConfig, StoreConfig } from '../../config/load-config.ts';
import type { AgentRecord, Agents } from '../../store/agents.ts';
import type { AlertStore } from '../../store/alerts.ts';
import type { BackupLog, BackupRun, Verification } from '../../store/backup-log.ts';
import type { SyncRun, SyncRunLog } from '../../store/sync-runs.ts';
import { agentJobName } from '../agents/protocol.ts';
import { withinStores } from '../alerts/alert-types.ts';
import type { FreeSpaceFn } from '../sync/work-files.ts';
import type { Digest, DigestDisk, DigestPeriod, DigestPoint, DigestShop, DigestSubject } from './digest.ts';
import type { PriceChangeLog } from '../../store/price-changes.ts';
import type { LowStockReport } from '../low-stock.ts';

const MB = 1024 * 1024;

/** Where a report's facts come from: the ops database's logs, alerts and agents, and the local disk. */
export interface GatherDeps {
  backupLog: Pick<BackupLog, 'between' | 'latest'>;
  syncRuns: Pick<SyncRunLog, 'between' | 'statusRuns'>;
  alerts: Pick<AlertStore, 'open'>;
  /** The head office's shop agents; unset where there are none. */
  agents?: Pick<Agents, 'list'>;
  stores: StoreConfig[];
  jobs: Pick<JobConfig, 'id'>[];
  dataDir: string;
  diskMinFreeMb: number;
  freeSpace: FreeSpaceFn;
  /** The zone the report's times are shown in (STORE_TZ). */
  timeZone: string;
  clock: () => Date;
  /** The recorded price changes; unset: the report says nothing of prices. */
  priceChanges?: Pick<PriceChangeLog, 'since'>;
  /** A store's items under their minimum stock, from its live iPOS database; unset: nothing of stock. */
  lowStock?: (store: string) => Promise<LowStockReport>;
}

export interface DigestAsk {
  period: DigestPeriod;
  from: Date;
  to: Date;
  /** Only these stores (a recipient limited to some), or null for everything. */
  stores: string[] | null;
}

/**
 * Whether a run's per-table restore check (Verification.restoreCheck) found every table's rows
 * equal: null when the run had none, or when it could not be made (an archive whose data tokobot
 * does not read: not "all equal").
 */
export function restoreCheckOf(v: Verification | null): 'equal' | 'differs' | null {
  const check = v?.restoreCheck;
  if (!check || check.notMade) return null;
  return check.mismatches > 0 ? 'differs' : 'equal';
}

const finished = (r: { finishedAt: Date | null; status: string }) => r.finishedAt !== null && r.status !== 'running' && r.status !== 'pending';
const duration = (r: { startedAt: Date; finishedAt: Date | null }) => (r.finishedAt ? Math.max(0, r.finishedAt.getTime() - r.startedAt.getTime()) : null);
const pointOf = (r: SyncRun | BackupRun): DigestPoint => ({ at: r.startedAt, ok: r.status !== 'failed', bytes: r.bytes, durationMs: duration(r) });
const newestError = (runs: (SyncRun | BackupRun)[]) => runs.filter((r) => r.status === 'failed').at(-1)?.error ?? null;

function storeSubject(store: StoreConfig, runs: SyncRun[], lastGood: SyncRun | null): DigestSubject {
  const done = runs.filter(finished);
  return {
    kind: 'store', id: store.id, name: store.name, store: store.id, runs: done.length, failures: done.filter((r) => r.status === 'failed').length,
    lastError: newestError(done), lastGoodAt: lastGood ? (lastGood.finishedAt ?? lastGood.startedAt) : null, lastBytes: lastGood?.bytes ?? null,
    points: done.map(pointOf), restoreCheck: null,
  };
}

function jobSubject(id: string, name: string, store: string | null, runs: BackupRun[], lastGood: BackupRun | undefined): DigestSubject {
  const done = runs.filter(finished);
  const checks = done.map((r) => restoreCheckOf(r.verification)).filter((c) => c !== null);
  return {
    kind: 'job', id, name, store, runs: done.length, failures: done.filter((r) => r.status === 'failed').length, lastError: newestError(done),
    lastGoodAt: lastGood ? (lastGood.finishedAt ?? lastGood.startedAt) : null, lastBytes: lastGood?.bytes ?? null, points: done.map(pointOf),
    restoreCheck: checks.length ? { checked: checks.length, mismatches: checks.filter((c) => c === 'differs').length } : null,
  };
}

/** The backup jobs a report tells: the head office's own, each agent's, and any other that ran in the period (a job since removed). */
function jobNames(d: GatherDeps, agents: AgentRecord[], runs: BackupRun[]): Map<string, { name: string; store: string | null }> {
  const jobs = new Map<string, { name: string; store: string | null }>();
  for (const j of d.jobs) jobs.set(j.id, { name: j.id, store: null });
  for (const a of agents) for (const j of a.jobs) jobs.set(agentJobName(a.store, j.id), { name: j.id, store: a.store });
  const agentStores = new Set(agents.map((a) => a.store));
  for (const r of runs) {
    if (jobs.has(r.job)) continue;
    const prefix = r.job.includes('/') ? r.job.slice(0, r.job.indexOf('/')) : null;
    const store = prefix !== null && agentStores.has(prefix) ? prefix : null;
    jobs.set(r.job, { name: store ? r.job.slice(prefix!.length + 1) : r.job, store });
  }
  return jobs;
}

async function disksOf(d: GatherDeps, agents: AgentRecord[], stores: string[] | null): Promise<DigestDisk[]> {
  const disks: DigestDisk[] = [];
  // The head office's own folder is no branch's business.
  if (!stores) disks.push({ where: 'local', path: d.dataDir, freeBytes: await d.freeSpace(d.dataDir), minFreeBytes: d.diskMinFreeMb * MB });
  for (const a of agents) {
    if (stores && !stores.includes(a.store)) continue;
    for (const disk of a.disk) disks.push({ where: { store: a.store }, path: disk.dir, freeBytes: disk.freeBytes, minFreeBytes: a.diskMinFreeBytes });
  }
  return disks;
}

/**
 * Everything a report tells over `ask`'s period, limited to `ask.stores` when given: each store's
 * syncs, each backup job's runs (an agent's job belongs to its store; the head office's own jobs
 * and disk only to those who see every store), the alerts open now, and the disks.
 */
export async function gatherDigest(d: GatherDeps, ask: DigestAsk): Promise<Digest> {
  const visible = (store: string | null) => !ask.stores || (store !== null && ask.stores.includes(store));
  const [backupRuns, syncRuns, open, agents] = await Promise.all([
    d.backupLog.between(ask.from, ask.to), d.syncRuns.between(ask.from, ask.to), d.alerts.open(), d.agents ? d.agents.list() : Promise.resolve([]),
  ]);
  const stores = d.stores.filter((s) => visible(s.id));
  const statuses = stores.length ? await d.syncRuns.statusRuns(stores.map((s) => s.id)) : new Map();
  const subjects = stores.map((s) => storeSubject(s, syncRuns.filter((r) => r.store === s.id), statuses.get(s.id)?.success ?? null));
  const jobs = [...jobNames(d, agents, backupRuns)].filter(([, j]) => visible(j.store));
  const latest = jobs.length ? await d.backupLog.latest(jobs.map(([id]) => id)) : new Map();
  for (const [id, j] of jobs) subjects.push(jobSubject(id, j.name, j.store, backupRuns.filter((r) => r.job === id), latest.get(id)?.lastGood));
  return {
    period: ask.period, from: ask.from, to: ask.to, timeZone: d.timeZone, stores: ask.stores, subjects,
    openAlerts: open.filter((a) => withinStores(ask.stores, a)).map(({ updatedAt: _u, resolvedAt: _r, pending: _p, ...a }) => a),
    disks: await disksOf(d, agents.filter((a) => visible(a.store)), ask.stores),
    ...(d.priceChanges || d.lowStock ? { shops: await shopsOf(d, stores, ask) } : {}), generatedAt: d.clock(),
  };
}

/**
 * Each store's price changes published in the period and its items under minimum stock now. What
 * cannot be read (the ops database's change log, a store not synced yet) is null, and the report
 * says so: a report is never held back by one store's data.
 */
async function shopsOf(d: GatherDeps, stores: StoreConfig[], ask: DigestAsk): Promise<DigestShop[]> {
  return Promise.all(stores.map(async (s) => ({
    store: s.id, name: s.name,
    changes: d.priceChanges ? await d.priceChanges.since(s.id, ask.from, ask.to).catch(() => null) : null,
    lowStock: d.lowStock ? await d.lowStock(s.id).catch(() => null) : null,
  })));
}
