import type { OpenAlert } from '../alerts/alert-types.ts';
import type { LowStockReport } from '../low-stock.ts';
import type { PriceChange } from '../price-changes.ts';

/** A daily digest covers the day before it is sent; a weekly report the seven days before (Monday to Sunday when sent on a Monday). */
export type DigestPeriod = 'day' | 'week';

/** One finished run, for the chart and the tables: when it started, whether it succeeded, what it made and how long it took. */
export interface DigestPoint {
  at: Date;
  ok: boolean;
  bytes: number | null;
  durationMs: number | null;
}

/**
 * What a report says about one thing that runs: a backup job (tokobot's own or a shop agent's)
 * or a store's iPOS sync, over the report's period.
 */
export interface DigestSubject {
  kind: 'job' | 'store';
  /** The job's or the store's id. */
  id: string;
  /** The name people know it by (the store's name; the job's id when it has no other). */
  name: string;
  /** The store the job backs up for (an agent's job), or null (the head office's own jobs). */
  store: string | null;
  /** Finished runs in the period, and how many of them failed. */
  runs: number;
  failures: number;
  /** The newest failure's message in the period (English, as the run log keeps it), or null. */
  lastError: string | null;
  /** The newest successful run ever (not only in the period), or null when there never was one. */
  lastGoodAt: Date | null;
  /** The size of that newest successful run's file, or null. */
  lastBytes: number | null;
  /** The period's finished runs, oldest first. */
  points: DigestPoint[];
  /**
   * Backup jobs: how many runs of the period had their per-table restore check, and how many of
   * those found a table whose rows differ; null for stores and for jobs that never check.
   */
  restoreCheck: { checked: number; mismatches: number } | null;
}

/** Free space where backups are written: the head office's data folder, or a shop agent's disks. */
export interface DigestDisk {
  /** 'local' for this tokobot's data folder; otherwise the store whose agent reported it. */
  where: 'local' | { store: string };
  path: string;
  freeBytes: number;
  /** The least free space before a disk-low alert. */
  minFreeBytes: number;
}

/** What a store's own data said in the period: its price changes and its items under their minimum stock. */
export interface DigestShop {
  store: string;
  name: string;
  /** The changes of the lists published in the period, or null where none are recorded (no change log). */
  changes: PriceChange[] | null;
  /** Its items under their minimum stock when the report was made, or null when they could not be read. */
  lowStock: LowStockReport | null;
}

/** Everything a daily digest or a weekly report tells, as data: each channel renders it (text, PNG chart, HTML, PDF). */
export interface Digest {
  period: DigestPeriod;
  /** The period, from its start (inclusive) to its end (exclusive). */
  from: Date;
  to: Date;
  /** The IANA zone the report's times are shown in (the store's). */
  timeZone: string;
  /** The stores the report is limited to (a recipient who sees only some), or null for every store. */
  stores: string[] | null;
  subjects: DigestSubject[];
  /** Alerts open when the report was made, oldest opened first. */
  openAlerts: OpenAlert[];
  disks: DigestDisk[];
  /** Per store in the report: price changes and low stock (the owners' morning news); absent where not gathered. */
  shops?: DigestShop[];
  generatedAt: Date;
}
