import type pg from 'pg';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A generated week and a half of ops data around the week Monday 23 to Sunday 29 November 2026
 * (Asia/Jakarta, UTC+7), written straight into the ops tables with the times chosen:
 * - stores pusat and cabang1 sync every 6 hours from Saturday 21 November 00:00 WIB (40 runs
 *   each); run i fails when i % 7 === 3 and changes nothing when i % 5 === 0; cabang1's run 20 is
 *   still running;
 * - the head office's job db runs daily at 02:00 WIB from 20 November (11 runs); runs 5 and 10 fail;
 * - cabang1's agent job ipos runs daily at 03:00 WIB (11 runs), each with a per-table restore
 *   check: run 4's rows differ, run 6 has no check;
 * - cabang2's agent job ipos once, in the week;
 * - alerts open about pusat, cabang1, the local disk and job db, and one resolved.
 */
export const WEEK = {
  from: new Date('2026-11-22T17:00:00Z'), // Monday 23 November 00:00 WIB
  to: new Date('2026-11-29T17:00:00Z'),
  zone: 'Asia/Jakarta',
  syncStart: new Date('2026-11-20T17:00:00Z'),
  jobStart: new Date('2026-11-19T19:00:00Z'),
  agentStart: new Date('2026-11-19T20:00:00Z'),
};

export const syncStatus = (store: string, i: number) =>
  (store === 'cabang1' && i === 20 ? 'running' : i % 7 === 3 ? 'failed' : i % 5 === 0 ? 'no-change' : 'success');

export async function writeWeekOfRuns(pool: pg.Pool): Promise<void> {
  for (const store of ['pusat', 'cabang1']) {
    for (let i = 0; i < 40; i++) {
      const at = new Date(WEEK.syncStart.getTime() + i * 6 * HOUR);
      const status = syncStatus(store, i);
      await pool.query(`INSERT INTO sync_runs (store, trigger, status, started_at, finished_at, bytes, error) VALUES ($1, 'schedule', $2, $3, $4, $5, $6)`,
        [store, status, at, status === 'running' ? null : new Date(at.getTime() + (60 + i) * 1000), status === 'success' ? 1000 + i : null,
          status === 'failed' ? `sync ${store} ${i} failed` : null]);
    }
  }
  for (let i = 0; i < 11; i++) {
    const at = new Date(WEEK.jobStart.getTime() + i * DAY);
    const failed = i === 5 || i === 10;
    await pool.query(`INSERT INTO backup_runs (job, trigger, status, started_at, finished_at, file_name, bytes, error) VALUES ('db', 'schedule', $1, $2, $3, $4, $5, $6)`,
      [failed ? 'failed' : 'success', at, new Date(at.getTime() + 600_000 + i * 1000), failed ? null : `db-${i}.dump`, failed ? null : 5_000_000 + i,
        failed ? `db run ${i} failed` : null]);
  }
  for (let i = 0; i < 11; i++) {
    const at = new Date(WEEK.agentStart.getTime() + i * DAY);
    const restored = i === 4 ? 99 : 100;
    const restoreCheck = i === 6 ? undefined : { checked: 1, mismatches: restored === 100 ? 0 : 1, tables: [{ table: 'public.tbl_item', source: 100, restored }] };
    await pool.query(`INSERT INTO backup_runs (job, trigger, status, started_at, finished_at, file_name, bytes, verification) VALUES ('cabang1/ipos', 'schedule', 'success', $1, $2, $3, $4, $5)`,
      [at, new Date(at.getTime() + 300_000), `ipos-${i}.i5bu`, 7_000_000 + i, JSON.stringify({ ok: true, detail: 'restored', ...(restoreCheck ? { restoreCheck } : {}) })]);
  }
  await pool.query(`INSERT INTO backup_runs (job, trigger, status, started_at, finished_at, bytes) VALUES ('cabang2/ipos', 'schedule', 'success', $1, $2, 42)`,
    [new Date('2026-11-25T20:00:00Z'), new Date('2026-11-25T20:05:00Z')]);
  const agent = (store: string, disk: object[], jobs: object[]) => pool.query(`INSERT INTO agents (store, instance, host, version, disk, disk_min_free, jobs)
    VALUES ($1, gen_random_uuid(), 'kasir', '1.0.0', $2, 1000000000, $3)`, [store, JSON.stringify(disk), JSON.stringify(jobs)]);
  const ipos = [{ id: 'ipos', type: 'postgres', schedule: '0 3 * * *', nextRun: null }];
  await agent('cabang1', [{ dir: 'D:\\backup', freeBytes: 5e9, totalBytes: 2e10 }], ipos);
  await agent('cabang2', [{ dir: 'E:\\backup', freeBytes: 8e8, totalBytes: 2e10 }], ipos);
  const alert = (key: string, kind: string, opened: string, resolved: string | null = null) => pool.query(`INSERT INTO alerts
    (key, kind, severity, subject, params, opened_at, updated_at, resolved_at) VALUES ($1, $2, 'critical', $1, '{}', $3, $3, $4)`, [key, kind, opened, resolved]);
  await alert('stale:pusat', 'stale-backups', '2026-11-28T01:00:00Z');
  await alert('agent-silent:cabang1', 'agent-silent', '2026-11-27T01:00:00Z');
  await alert('disk', 'disk-low', '2026-11-29T01:00:00Z');
  await alert('backup:db', 'backup-failed', '2026-11-24T20:00:00Z');
  await alert('sync:cabang1', 'sync-failed', '2026-11-25T01:00:00Z', '2026-11-25T07:00:00Z');
}
