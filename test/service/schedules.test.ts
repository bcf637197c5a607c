import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchedules } from '../../src/main/schedules.ts';
import { loadConfig } from '../../src/config/load-config.ts';

test('schedules run by the shops\' clock (STORE_TZ), not the server\'s: 02:00 is 02:00 WIB on a UTC server', () => {
  const config = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', STORE_TZ: 'Asia/Jayapura', SYNC_CRON: '0 2 * * *', LOG_LEVEL: 'silent' });
  const next = createSchedules({ config }).nextSync(config.stores[0]!);
  assert.ok(next);
  // 02:00 WIT (UTC+9) is 17:00 UTC the day before.
  assert.deepEqual([next.getUTCHours(), next.getUTCMinutes()], [17, 0]);
  assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 24 * 3_600_000);
  assert.equal(createSchedules({ config }).nextBackup('none'), null);
});
