import type { Freshness } from '../pipeline/status.ts';
import type { BackupStatus } from '../store/backup-log.ts';
import type { RunStatus } from '../store/sync-runs.ts';
import type { Lang } from './lang.ts';

/**
 * A store's state on /status, as a cashier reads it: Indonesian says what the code means, English
 * keeps its codes.
 */
const FRESHNESS: Record<Freshness, Record<Lang, string>> = {
  OK: { id: 'OK', en: 'OK' },
  ATTENTION: { id: 'PERHATIAN: backup terbaru sudah lebih dari sehari', en: 'ATTENTION' },
  CHECK: { id: 'PERLU DICEK: backup terlalu lama atau belum ada', en: 'CHECK' },
  FAILED: { id: 'GAGAL: sync terakhir gagal', en: 'FAILED' },
  RUNNING: { id: 'SEDANG SYNC', en: 'RUNNING' },
};

/** How a sync or backup run went (/status, /history, /jobs); English keeps the recorded words. */
const RUN: Record<RunStatus | BackupStatus, Record<Lang, string>> = {
  success: { id: 'berhasil', en: 'success' },
  'no-change': { id: 'tidak ada backup baru', en: 'no-change' },
  failed: { id: 'gagal', en: 'failed' },
  running: { id: 'sedang berjalan', en: 'running' },
  pending: { id: 'menunggu', en: 'pending' },
};

export const freshnessWord = (f: Freshness, lang: Lang): string => FRESHNESS[f][lang];

/** A status read back from storage that is none of the known ones is shown as it is. */
export const runWord = (status: string, lang: Lang): string => (Object.hasOwn(RUN, status) ? RUN[status as RunStatus | BackupStatus][lang] : status);
