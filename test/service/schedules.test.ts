import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchedules } from '../../src/main/schedules.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log.ts';
import type { SyncRunner } from '../../src/pipeline/sync/sync-runner.ts';
import type { BackupRunner } from '../../src/pipeline/backup/backup-runner.ts';

test('schedules run by the shops\' clock (STORE_TZ), not the server\'s: 02:00 is 02:00 WIB on a UTC server', async () => {
  const config = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', STORE_TZ: 'Asia/Jayapura', SYNC_CRON: '0 2 * * *', LOG_LEVEL: 'silent' });
  const idle = { runAll: async () => [], run: async () => { throw new Error('not in this test'); } };
  const s = createSchedules({ config, logger: createLogger('silent') }, idle as unknown as SyncRunner, idle as unknown as BackupRunner);
  s.start();
  try {
    const next = s.nextSync();
    assert.ok(next);
    // 02:00 WIT (UTC+9) is 17:00 UTC the day before.
    assert.deepEqual([next.getUTCHours(), next.getUTCMinutes()], [17, 0]);
  } finally {
    await s.stop();
  }
});
