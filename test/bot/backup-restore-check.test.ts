import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRows } from '../../src/pipeline/backup/restore-check.ts';
import type { BackupRun } from '../../src/store/backup-log.ts';
import { ADMIN, say, testCore as core, text } from '../helpers/bot-core.ts';

/** /backup's reply carries the verification's per-table restore check (issue 17). */
const job = { id: 'ipos', type: 'postgres' as const, url: 'postgres://x', destinations: [], retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 },
  verify: true, timeoutMs: 1000, extension: '.i5bu', schedule: null };

/** 312 tables holding 1,234,567 rows: 311 of 3,969 and one of 208. */
const source = Object.fromEntries([...Array(312)].map((_, i) => [`public.tbl_${String(i).padStart(3, '0')}`, i === 311 ? 208 : 3969]));

const ran = (over: Partial<BackupRun>): BackupRun => ({
  id: 7, job: 'ipos', trigger: `chat:${ADMIN}`, status: 'success', stage: 'prune', stages: [], startedAt: new Date('2026-11-23T02:00:00Z'),
  finishedAt: new Date('2026-11-23T02:01:00Z'), fileName: 'ipos_20261123_020000.i5bu', bytes: 1048576, sha256: 'ab'.repeat(32), destinations: [],
  verification: null, error: null, failure: null, ...over,
});

async function reply(run: BackupRun, lang: 'id' | 'en'): Promise<string> {
  const { core: c } = core({ rateLimitPerMinute: 100, backups: { jobs: [job], progress: () => null, states: async () => [], run: async () => run } });
  if (lang === 'en') await say(c, ADMIN, '/lang en');
  const started = await say(c, ADMIN, '/backup ipos');
  return text((await started?.live?.(async () => undefined)) ?? null);
}

test('/backup of a verified run: one line with the tables and rows compared, all equal, in Indonesian and English', async () => {
  const check = compareRows(source, source, { sourceTablesOnly: true });
  const run = ran({ verification: { ok: true, detail: 'restored into a scratch database', tables: 312, rows: 1234567, restoreCheck: check } });
  assert.match(await reply(run, 'id'), /\nCek pemulihan: 312 tabel, 1\.234\.567 baris, semua sama(\n|$)/);
  assert.match(await reply(run, 'en'), /\nRestore check: 312 tables, 1,234,567 rows, all equal(\n|$)/);
  assert.doesNotMatch(await reply(ran({ verification: { ok: true, detail: 'not verified (verify: false in the job)' } }), 'en'), /Restore check/, 'no check, no line');
});

test('/backup of a run whose restore differs: the first five differing tables and how many more', async () => {
  const restored = { ...source };
  for (const n of [3, 10, 20, 30, 40, 50, 60]) restored[`public.tbl_${String(n).padStart(3, '0')}`] = 3000;
  delete restored['public.tbl_311'];
  const check = compareRows(source, restored, { sourceTablesOnly: true });
  const run = ran({ status: 'failed', error: 'verify: The backup does not restore to the same data: …', failure: { kind: 'corrupt', system: 'backup-file' },
    verification: { ok: false, detail: '…', tables: 311, rows: 1, restoreCheck: check } });
  const id = await reply(run, 'id');
  assert.match(id, /\nCek pemulihan: 8 dari 312 tabel berbeda: public\.tbl_003 \(3\.969 baris di sumber, 3\.000 setelah dipulihkan\); public\.tbl_010 .*; public\.tbl_040 \(3\.969 baris di sumber, 3\.000 setelah dipulihkan\); dan 3 lainnya$/);
  const en = await reply(run, 'en');
  assert.match(en, /\nRestore check: 8 of 312 tables differ: public\.tbl_003 \(3,969 rows in the source, 3,000 restored\);.*; and 3 more$/);
  assert.doesNotMatch(en, /tbl_050|tbl_311/, 'only the first five are named');
});
