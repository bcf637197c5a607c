import type { StoreConfig } from '../config/load-config.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { Freshness, StoreStatus } from '../pipeline/status.ts';
import type { LiveProgress } from './live-progress.ts';

/** A card's state: a store's freshness, or NONE when nothing was ever seen or run. */
type CardState = Freshness | 'NONE';

/** What needs a person first comes first. */
const ORDER: readonly CardState[] = ['FAILED', 'CHECK', 'NONE', 'ATTENTION', 'RUNNING', 'OK'];

/** One store or backup job on the overview (and in /api/status): data only, rendered by the page or sent as JSON. */
export interface Card {
  kind: 'store' | 'job';
  id: string;
  name: string;
  state: CardState;
  /** The zone its times are shown in. */
  zone: string;
  newest: { file: string; at: Date; ageHours: number } | null;
  lastGood: { at: Date; rows?: number; bytes?: number } | null;
  lastFailure: { at: Date; why: string } | null;
  /** A RUNNING card's stage and progress, when known. */
  live?: LiveProgress;
}

const HOUR = 3_600_000;
const reason = (stage: string | null, error: string | null) => [stage, error].filter(Boolean).join(': ');

export function storeCard(store: StoreConfig, s: StoreStatus, zone: string): Card {
  const never = !s.newestBackup && !s.lastRun;
  return {
    kind: 'store', id: store.id, name: store.name, state: never && s.freshness === 'CHECK' ? 'NONE' : s.freshness, zone: store.timeZone ?? zone,
    newest: s.newestBackup && { file: s.newestBackup.file, at: s.newestBackup.dumpedAt ?? s.newestBackup.modifiedAt, ageHours: s.newestBackup.ageHours },
    lastGood: s.lastSuccess && { at: s.lastSuccess.at, rows: s.lastSuccess.rows },
    lastFailure: s.lastFailure && { at: s.lastFailure.at, why: reason(s.lastFailure.stage, s.lastFailure.error) },
  };
}

/**
 * A scheduled job may run late (a long run before it, a restart): its last good backup is only a
 * missed run once older than one and a half of its longest gap between runs.
 */
export const MISSED_RUN_FACTOR = 1.5;

/** `everyMs`: the longest gap between the job's scheduled runs, or null when it runs on demand only. */
export function jobCard(j: JobState, zone: string, now: Date, everyMs: number | null = null): Card {
  const good = j.lastGood;
  const goodAt = good && (good.finishedAt ?? good.startedAt);
  const failed = j.last?.status === 'failed' ? j.last : undefined;
  const missed = everyMs !== null && (!goodAt || now.getTime() - goodAt.getTime() > MISSED_RUN_FACTOR * everyMs);
  return {
    kind: 'job', id: j.job.id, name: j.job.id, zone,
    state: j.running ? 'RUNNING' : !j.last ? 'NONE' : failed ? 'FAILED' : missed ? 'ATTENTION' : 'OK',
    newest: good && goodAt ? { file: good.fileName ?? '', at: goodAt, ageHours: (now.getTime() - goodAt.getTime()) / HOUR } : null,
    lastGood: good && goodAt ? { at: goodAt, ...(good.bytes !== null ? { bytes: good.bytes } : {}) } : null,
    lastFailure: failed ? { at: failed.finishedAt ?? failed.startedAt, why: reason(failed.stage, failed.error) } : null,
    ...(j.running ? { live: j.running } : {}),
  };
}

/** FAILED, CHECK, no data, ATTENTION, RUNNING, OK; within a state, as configured. */
export function ordered(cards: Card[]): Card[] {
  return cards.map((c, i) => ({ c, i })).sort((a, b) => ORDER.indexOf(a.c.state) - ORDER.indexOf(b.c.state) || a.i - b.i).map((x) => x.c);
}
