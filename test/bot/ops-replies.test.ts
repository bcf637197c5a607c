import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreStatus } from '../../src/pipeline/status.ts';
import type { RunStatus, SyncRun } from '../../src/store/sync-runs.ts';
import { OWNER, say, STAFF, testCore as core, text } from '../helpers/bot-core.ts';

const pusat = { id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', timeZone: 'Asia/Jakarta', source: { type: 'folder' as const, dir: '/a' } };
const cabang = { id: 'cabang', name: 'Cabang Makassar', schedule: '*/30 * * * *', timeZone: 'Asia/Makassar', source: { type: 'folder' as const, dir: '/b' } };
const RAW = /\b(success|no-change|failed|running|ATTENTION|CHECK|FAILED|RUNNING|UTC)\b/;

function statusOf(store: typeof pusat, freshness: StoreStatus['freshness'], status: RunStatus): StoreStatus {
  return {
    store: store.id, name: store.name, freshness,
    newestBackup: { file: 'a.i5bu', modifiedAt: new Date('2026-11-29T01:00:00Z'), dumpedAt: new Date('2026-11-29T00:30:00Z'), ageHours: 10.5, ageFrom: 'dump',
      archive: { dumpTime: '2026-11-29 07:30:00', database: 'i5_toko', pgDumpVersion: '9.5.25' } },
    lastSuccess: null,
    lastRun: { id: 1, status, startedAt: new Date('2026-11-29T11:04:00Z'), finishedAt: null, rows: status === 'success' ? 1200 : null, trigger: 'schedule' },
    lastFailure: { at: new Date('2026-11-28T23:00:00Z'), stage: 'restore', error: 'pg_restore: disk full' },
    published: null, priceRules: null,
  };
}

const run = (status: RunStatus, at: string, trigger: string): SyncRun => ({
  id: 1, store: 'pusat', trigger, status, stage: status === 'failed' ? 'restore' : null, stages: [], startedAt: new Date(at), finishedAt: null,
  sourceFile: 'a.i5bu', sourceModified: null, contentHash: null, bytes: null, archive: null, rowCount: status === 'success' ? 1200 : null,
  validation: null, error: status === 'failed' ? 'pg_restore: disk full' : null, note: null,
});

function opsCore() {
  const statuses = new Map([['pusat', statusOf(pusat, 'CHECK', 'no-change')], ['cabang', statusOf(cabang, 'FAILED', 'failed')]]);
  return core({ rateLimitPerMinute: 100, stores: [pusat, cabang], status: async (s) => statuses.get(s.id)!, nextSync: () => new Date('2026-11-29T11:30:00Z'),
    history: async () => [run('running', '2026-11-29T12:00:00Z', 'chat:5'), run('success', '2026-11-29T11:30:00Z', 'schedule'),
      run('no-change', '2026-11-29T11:00:00Z', 'cli'), run('failed', '2026-11-28T17:15:00Z', 'schedule')] }).core;
}

test('/status in Indonesian: what each state means, no raw status, times in each store\'s zone', async () => {
  const status = text(await say(opsCore(), STAFF, '/status'));
  assert.doesNotMatch(status, RAW, status);
  assert.match(status, /^Toko Pusat: PERLU DICEK: backup terlalu lama atau belum ada\n/);
  assert.match(status, /  dump 29 Nov 2026 07:30 WIB · i5_toko · pg_dump 9\.5\.25/);
  assert.match(status, /Sync terakhir: tidak ada backup baru, 29 Nov 2026 18:04 WIB/);
  assert.match(status, /Gagal terakhir: 29 Nov 2026 06:00 WIB \(restore\)/);
  assert.match(status, /Sync berikutnya: 29 Nov 2026 18:30 WIB/);
  assert.match(status, /Cabang Makassar: GAGAL: sync terakhir gagal\n/);
  assert.match(status, /Sync terakhir: gagal, 29 Nov 2026 19:04 WITA/);
  assert.match(status, /Sync berikutnya: 29 Nov 2026 19:30 WITA/);
});

test('/history in Indonesian: each run\'s result and trigger in words, at the store\'s local time', async () => {
  const history = text(await say(opsCore(), STAFF, '/history'));
  assert.doesNotMatch(history, RAW, history);
  assert.deepEqual(history.split('\n'), [
    '29 Nov 2026 19:00 WIB sedang berjalan · a.i5bu (lewat chat 5)',
    '29 Nov 2026 18:30 WIB berhasil 1200 · a.i5bu (terjadwal)',
    '29 Nov 2026 18:00 WIB tidak ada backup baru · a.i5bu (lewat CLI)',
    '29 Nov 2026 00:15 WIB gagal · a.i5bu · restore: pg_restore: disk full (terjadwal)',
  ]);
});

test('English keeps its status words, with local times too', async () => {
  const c = opsCore();
  await say(c, OWNER, '/lang en');
  const status = text(await say(c, OWNER, '/status'));
  assert.match(status, /^Toko Pusat: CHECK\n/);
  assert.match(status, /Last sync: no-change, 29 Nov 2026 18:04 WIB/);
  assert.match(status, /Cabang Makassar: FAILED\n/);
  assert.match(text(await say(c, OWNER, '/history')), /^29 Nov 2026 19:00 WIB running · a\.i5bu \(chat:5\)/);
});
