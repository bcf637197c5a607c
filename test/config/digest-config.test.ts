import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { DEFAULT_DIGEST, distinctFirings } from '../../src/pipeline/reports/digest-schedule.ts';
import { configProblems } from '../helpers/config-problems.ts';

const BASE = { SOURCE: 'folder', SOURCE_DIR: '/srv/backups', RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres',
  SMTP_HOST: 'mail.toko.co.id', SMTP_FROM: 'tokobot@toko.co.id' };
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-c-digest-config-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(yaml: string): string {
  const f = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, yaml);
  return f;
}

test('report times per recipient: given, switched off, or the defaults (07:00 daily, Monday 07:00 weekly) for the rest and env-only recipients', () => {
  const f = file([
    'alerts:', '  recipients:',
    '    - name: Bu Sari', '      email: sari@toko.co.id', '      digest: { daily: "06:30", weekly: "fri 17:45" }',
    '    - name: Pak Budi', '      email: budi@toko.co.id', '      digest: { daily: false }',
    '    - name: Kasir', '      email: kasir@toko.co.id',
  ].join('\n'));
  const c = loadConfig({ ...BASE, TOKOBOT_CONFIG: f, EMAIL_ALERT_TO: 'owner@toko.co.id' });
  const [sari, budi, kasir, owner] = c.alerts.recipients;
  assert.deepEqual(sari?.digest, { daily: { hour: 6, minute: 30 }, weekly: { day: 'fri', hour: 17, minute: 45 } });
  assert.deepEqual(budi?.digest, { daily: null, weekly: DEFAULT_DIGEST.weekly });
  assert.equal(kasir?.digest, undefined);
  assert.equal(owner?.digest, undefined);
  const firings = distinctFirings(c.alerts.recipients.map((r) => r.digest ?? DEFAULT_DIGEST));
  assert.deepEqual(firings.map((x) => `${x.period} ${x.cron}`).sort(), ['day 0 7 * * *', 'day 30 6 * * *', 'week 0 7 * * 1', 'week 45 17 * * 5']);
});

test('a wrong report time is named, in English and Indonesian', () => {
  const f = file('alerts:\n  recipients:\n    - name: Bu Sari\n      email: sari@toko.co.id\n      digest: { daily: "7 pagi", weekly: "senin 07:00" }\n');
  const en = configProblems({ ...BASE, TOKOBOT_CONFIG: f, TOKOBOT_LANG: 'en' });
  assert.ok(en.some((l) => l.includes('digest.daily') && l.includes('expected a time "HH:MM"')), en.join('\n'));
  assert.ok(en.some((l) => l.includes('digest.weekly') && l.includes('"mon 07:00"')), en.join('\n'));
  const id = configProblems({ ...BASE, TOKOBOT_CONFIG: f, TOKOBOT_LANG: 'id' });
  assert.ok(id.some((l) => l.includes('digest.daily') && l.includes('harus jam')), id.join('\n'));
});
