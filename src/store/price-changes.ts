import type { PriceChange } from '../pipeline/price-changes.ts';

/** A change as recorded: with the store and run of its publication, and when that publication committed. */
export interface RecordedChange extends PriceChange {
  store: string;
  runId: number;
  publishedAt: Date;
}

/** A publication whose changes are still to be told to the owners. */
export interface ChangeAnnouncement {
  store: string;
  runId: number;
  publishedAt: Date;
  changes: RecordedChange[];
}

/** Changes are kept this long: /changes reaches a month back, and a monthly digest needs the month before. */
export const KEEP_CHANGES_DAYS = 62;

/**
 * What each publication changed in its store's price list, on the ops database, so that
 * `/changes [days]` and the owners' digests answer from it after the CSV files it was read from
 * are pruned (EXPORT_KEEP), and so that a sync run by a worker process is told by the service.
 */
export interface PriceChangeLog {
  /**
   * Records run `runId`'s changes before its publication commits (replacing any of the same run).
   * They count (since, claimAnnouncements) only once the run is a success, which commits with its
   * published list: a run that fails after recording never shows, and a crash after the commit
   * loses nothing. Records of failed runs and older than KEEP_CHANGES_DAYS are removed here.
   */
  record(store: string, runId: number, previousFile: string | null, changes: readonly PriceChange[]): Promise<void>;
  /** The changes of the publications committed in [from, to), of one store (or every store: null), oldest publication first, in recorded order. */
  since(store: string | null, from: Date, to: Date): Promise<RecordedChange[]>;
  /**
   * The committed publications not yet announced, marked announced in the same statement (once,
   * whichever process asks first). Those committed before `notBefore` are marked without being
   * returned: after a long stop the owners are not told last week's changes one by one.
   */
  claimAnnouncements(notBefore: Date): Promise<ChangeAnnouncement[]>;
  /** Whether the person asked for the messages after each sync (true), asked not to (false), or never said (null). */
  subscribed(userId: number): Promise<boolean | null>;
  /** Everyone who said either way. */
  subscriptions(): Promise<Map<number, boolean>>;
  subscribe(userId: number, on: boolean): Promise<void>;
}
