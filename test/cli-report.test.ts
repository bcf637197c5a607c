import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminQuery, LOCAL_PG_URL, requireLocalPg, scratchPool } from './helpers/local-pg.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

/** `tokobot report [day|week] [--pdf FILE]` over a real ops database. */
const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-c-report-cli-${process.pid}-`));
const STORE = `rep${process.pid}`;
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL,
  DATA_DIR: path.join(dir, 'data'), OPS_DATABASE: `tokobot_t_c_report_cli_${process.pid}`, STORE_ID: STORE, STORE_NAME: 'Toko Laporan', STORE_TZ: 'Asia/Jakarta',
};
after(async () => {
  if (!skip) {
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [env.OPS_DATABASE]);
    await adminQuery(`DROP DATABASE IF EXISTS "${env.OPS_DATABASE}"`);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('tokobot report: the week\'s text with the store; a wrong period is a usage error; --pdf writes the PDF, which shows the day\'s runs', { skip }, async () => {
  assert.equal((await tokobot(['status'], env)).code !== undefined, true); // makes and migrates the ops database
  const pool = scratchPool(env.OPS_DATABASE);
  try {
    await pool.query(`INSERT INTO sync_runs (store, trigger, status, started_at, finished_at, error) VALUES
      ($1, 'schedule', 'success', now() - interval '3 days', now() - interval '3 days' + interval '1 minute', null),
      ($1, 'schedule', 'failed', now() - interval '2 hours', now() - interval '1 hour', 'disk full')`, [STORE]);
  } finally {
    await pool.end();
  }
  const week = await tokobot(['report'], { ...env, LANG: 'en_US.UTF-8' });
  assert.equal(week.code, 0, week.stderr);
  assert.match(week.stdout, /Toko Laporan/);
  const bad = await tokobot(['report', 'month'], { ...env, LANG: 'en_US.UTF-8' });
  assert.deepEqual([bad.code, bad.stdout], [2, '']);
  assert.match(bad.stderr, /unknown period "month": use day or week/);
  const file = path.join(dir, 'laporan.pdf');
  const pdf = await tokobot(['report', 'day', '--pdf', file], env);
  assert.equal(pdf.code, 0, pdf.stderr);
  assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  // What the PDF shows, read back by poppler where this machine has it (CI installs it: .ci/run).
  const text = await promisify(execFile)('pdftotext', ['-layout', file, '-']).then((r) => r.stdout, () => null);
  if (text !== null || process.env.CI === 'true') {
    assert.match(text ?? '', /Laporan harian/);
    assert.match(text ?? '', /Toko Laporan/);
    assert.match(text ?? '', /1 gagal dari 1/);
  }
});
