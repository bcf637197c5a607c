/**
 * Which backups a destination keeps: the newest `keepLast`, plus grandfather-father-son buckets —
 * the newest good backup of each of the last `daily` days, `weekly` ISO weeks and `monthly`
 * months that have one. The newest good backup is never deleted, whatever the policy says.
 * Days, weeks and months are counted in UTC.
 */
export interface RetentionPolicy {
  keepLast: number;
  daily: number;
  weekly: number;
  monthly: number;
}

export interface StoredBackup {
  id: string;
  time: Date;
  /** Verified (or not verified but completed); failed ones only survive through keepLast. */
  good: boolean;
}

/**
 * Why a backup stays or goes, as a code with its values: the CLI and the dashboard say it in the
 * reader's language (src/i18n/retention-words.ts). keepLast: one of the last `count` (number `n`);
 * daily/weekly/monthly: the newest good backup of `period`; outside: in no bucket; failed: a
 * failed backup not among the last kept.
 */
export type KeepReason =
  | { code: 'keepLast'; count: number; n: number }
  | { code: 'newestGood' }
  | { code: 'daily' | 'weekly' | 'monthly'; period: string }
  | { code: 'outside' }
  | { code: 'failed' };

export interface Decision {
  id: string;
  keep: boolean;
  /** Why it stays, or why it goes, for `tokobot backup prune --dry-run`. */
  reasons: KeepReason[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const month = (d: Date) => d.toISOString().slice(0, 7);

function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow); // the Thursday of this week decides its year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function decideRetention(backups: StoredBackup[], policy: RetentionPolicy): Decision[] {
  const newestFirst = [...backups].sort((a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : -1));
  const reasons = new Map<string, KeepReason[]>(newestFirst.map((b) => [b.id, []]));
  newestFirst.slice(0, policy.keepLast).forEach((b, i) => reasons.get(b.id)?.push({ code: 'keepLast', count: policy.keepLast, n: i + 1 }));
  const good = newestFirst.filter((b) => b.good);
  if (good[0]) reasons.get(good[0].id)?.push({ code: 'newestGood' });
  const bucket = (name: 'daily' | 'weekly' | 'monthly', count: number, key: (d: Date) => string) => {
    const seen = new Set<string>();
    for (const b of good) {
      const k = key(b.time);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      reasons.get(b.id)?.push({ code: name, period: k });
    }
  };
  bucket('daily', policy.daily, day);
  bucket('weekly', policy.weekly, isoWeek);
  bucket('monthly', policy.monthly, month);
  return newestFirst.map((b) => {
    const why = reasons.get(b.id) ?? [];
    return { id: b.id, keep: why.length > 0, reasons: why.length ? why : [{ code: b.good ? 'outside' : 'failed' }] };
  });
}
