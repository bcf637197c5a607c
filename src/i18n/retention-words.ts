import type { PruneReason } from '../pipeline/backup/prune.ts';
import { t, type Lang } from './text.ts';

/**
 * One reason of retention in the reader's language. Its values are shown as they are (run ids,
 * periods, UTC times, exact byte counts), so that `tokobot backup prune` prints what it always did.
 */
function reasonText(lang: Lang, reason: PruneReason): string {
  const { code, ...params } = reason;
  return t(lang, `retention_${code}`, params);
}

/** A decision's reasons as one line: "one of the last 7 (#1); newest good backup". */
export const reasonsText = (lang: Lang, reasons: readonly PruneReason[]): string => reasons.map((r) => reasonText(lang, r)).join('; ');
