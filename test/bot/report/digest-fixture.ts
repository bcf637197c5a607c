import type { OpenAlert } from '../../../src/pipeline/alerts/alert-types.ts';
import type { Digest, DigestPoint, DigestSubject } from '../../../src/pipeline/reports/digest.ts';

/** A name from config that must come out as text, never as markup. */
export const UNSAFE_NAME = 'Cabang <script>alert(1)</script> & Co';

const MB = 1_048_576;
const DAY = 86_400_000;
/** Monday 23 Nov 2026 00:00 WIB. */
export const WEEK_FROM = new Date('2026-11-22T17:00:00Z');

/** One run a day at `hourUtc` (+ `extra` hours for a second run), oldest first; the runs on the days in `failedDays` fail. */
function runs(opts: { perDay: number[]; failedDays: number[]; bytes: (day: number) => number; ms: number }): DigestPoint[] {
  const points: DigestPoint[] = [];
  for (let day = 0; day < 7; day++) {
    for (const hour of opts.perDay) {
      const failed = opts.failedDays.includes(day) && hour === opts.perDay[0];
      points.push({ at: new Date(WEEK_FROM.getTime() + day * DAY + hour * 3_600_000), ok: !failed, bytes: failed ? null : opts.bytes(day), durationMs: opts.ms + day * 1000 });
    }
  }
  return points;
}

function subject(s: Omit<DigestSubject, 'runs' | 'failures' | 'lastBytes'>): DigestSubject {
  const good = s.points.filter((p) => p.ok);
  return { ...s, runs: s.points.length, failures: s.points.length - good.length, lastBytes: good.at(-1)?.bytes ?? null };
}

/**
 * A week (23–29 Nov 2026, Jakarta): 2 stores (sync) and 2 backup jobs, 35 runs of which 3 failed,
 * one critical alert open, and a shop PC's disk under its minimum.
 */
export function weekDigest(): Digest {
  const pusat = runs({ perDay: [9], failedDays: [], bytes: (d) => (34 + d) * MB, ms: 125_000 });
  const cabang = runs({ perDay: [10], failedDays: [3], bytes: () => 12.5 * MB, ms: 60_000 });
  const harian = runs({ perDay: [19, 7], failedDays: [5, 6], bytes: () => 1200 * MB, ms: 600_000 });
  const agentJob = runs({ perDay: [20], failedDays: [], bytes: () => 800 * 1024, ms: 30_000 });
  const lastOk = (p: DigestPoint[]) => p.filter((x) => x.ok).at(-1)!.at;
  const alert: OpenAlert = {
    key: 'backup:harian', kind: 'backup-failed', severity: 'critical', subject: 'harian',
    params: { error: 'pg_dump: connection refused', lastGood: lastOk(harian).toISOString() },
    openedAt: new Date('2026-11-28T12:00:00Z'), lastSentAt: null, mutedUntil: null,
  };
  return {
    period: 'week', from: WEEK_FROM, to: new Date(WEEK_FROM.getTime() + 7 * DAY), timeZone: 'Asia/Jakarta', stores: null,
    subjects: [
      subject({ kind: 'store', id: 'pusat', name: 'Toko Pusat', store: 'pusat', lastError: null, lastGoodAt: lastOk(pusat), points: pusat, restoreCheck: null }),
      subject({ kind: 'store', id: 'cabang', name: UNSAFE_NAME, store: 'cabang', lastError: 'The backup file is truncated\n(gzip: unexpected end)', lastGoodAt: lastOk(cabang), points: cabang, restoreCheck: null }),
      subject({ kind: 'job', id: 'harian', name: 'harian', store: null, lastError: 'pg_dump: connection refused', lastGoodAt: lastOk(harian), points: harian, restoreCheck: { checked: 12, mismatches: 0 } }),
      subject({ kind: 'job', id: 'cabang/kasir', name: 'kasir', store: 'cabang', lastError: null, lastGoodAt: lastOk(agentJob), points: agentJob, restoreCheck: { checked: 7, mismatches: 1 } }),
    ],
    openAlerts: [alert],
    disks: [
      { where: 'local', path: '/var/lib/tokobot', freeBytes: 12.5 * 1024 * MB, minFreeBytes: 5 * 1024 * MB },
      { where: { store: 'cabang' }, path: 'D:\\Backup', freeBytes: 800 * MB, minFreeBytes: 2 * 1024 * MB },
    ],
    generatedAt: new Date('2026-11-30T00:00:05Z'),
  };
}
