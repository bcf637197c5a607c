import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobConfig } from '../../src/config/load-config.ts';
import type { JobFiles } from '../../src/pipeline/backup/backup-console.ts';
import { compareRows } from '../../src/pipeline/backup/restore-check.ts';
import type { PruneResult } from '../../src/pipeline/backup/prune.ts';
import type { RestoreTask } from '../../src/pipeline/backup/restore-tasks.ts';
import type { WebDeps } from '../../src/web/web-app.tsx';
import { OWNER, webSetup } from '../helpers/web-app.ts';

/**
 * The backup console in each reader's language, over a console that answers with fixed data: a
 * Dropbox destination that cannot be listed (an error written in both languages, with a secret),
 * a file whose run recorded only a sentence (an old run-log row), a failed "verify now", retention
 * that leaves a file alone, and a failed restore.
 */
const JOB = { id: 'shop' } as JobConfig;
const AT = new Date('2026-11-29T05:00:00Z');
const FILE = 'shop_20261129_020000.dump';

const data: JobFiles = {
  stats: { files: 1, copies: 1, bytes: 1_288_490_189, byKind: { unverified: { files: 1, bytes: 1_288_490_189 } } },
  destinations: [
    { index: 0, description: 'the folder /srv/backup', place: { kind: 'folder', location: '/srv/backup' }, files: 1, bytes: 1_288_490_189, error: null },
    { index: 1, description: 'the Dropbox folder /toko', place: { kind: 'dropbox', location: '/toko' }, files: 0, bytes: 0,
      error: 'Dropbox refused the token s3cret-pw', errorId: 'Dropbox menolak token s3cret-pw' },
  ],
  files: [{
    name: FILE, kind: 'unverified', runId: 7, bytes: 1_288_490_189, sha256: 'ab12',
    verification: { ok: true, detail: 'restored into a scratch database: 5 tables, 3004 rows' }, // an old row: no counts
    copies: [{ destination: 0, size: 1_288_490_189, modifiedAt: AT }],
    checked: { ok: false, at: AT, destination: 0, detail: 'The file is damaged', detailId: 'Berkasnya rusak' },
  }],
};
const retention: PruneResult[] = [{ destination: 'the folder /srv/backup', place: { kind: 'folder', location: '/srv/backup' }, removed: [],
  decisions: [{ name: FILE, size: 1_288_490_189, action: 'leave', reasons: [{ code: 'sizeDiffers', here: 1_288_490_189, logged: 1_288_490_190 }] }] }];
const task: RestoreTask = { id: 't1', job: 'shop', file: FILE, database: 'baru', stage: 'failed', startedAt: AT, finishedAt: AT, result: null,
  error: 'The restore failed: s3cret-pw', errorId: 'Pemulihan gagal: s3cret-pw' };

const backups = {
  files: { job: (id: string) => (id === 'shop' ? JOB : undefined), files: async () => data, retention: async () => retention },
  restores: { get: (id: string) => (id === 't1' ? task : null) },
} as unknown as NonNullable<WebDeps['backups']>;

async function pages(lang: 'id' | 'en') {
  const web = webSetup({ langs: { [OWNER]: lang }, deps: { backups } });
  const cookie = await web.session(OWNER);
  const get = async (url: string) => (await web.app.request(url, { headers: { cookie } })).text();
  return { console: await get('/backup/shop'), restore: await get('/backup/shop/pulihkan/t1') };
}

test('Indonesian: sizes with a decimal comma, places, errors, an old verification row as recorded, retention reasons', async () => {
  const { console, restore } = await pages('id');
  assert.match(console, /1 berkas, 1 salinan, total 1\.228,8 MB/);
  assert.match(console, /<li data-destination="0">folder \/srv\/backup: 1 berkas, 1\.228,8 MB<\/li>/);
  assert.match(console, /<li data-destination="1">folder Dropbox \/toko: <span class="bad">tidak bisa dibaca: Dropbox menolak token \[secret\]<\/span>/);
  assert.match(console, /<dd class="ok">restored into a scratch database: 5 tables, 3004 rows<\/dd>/, 'an old row without counts is shown as recorded');
  assert.match(console, /data-checked="true">GAGAL, 29 Nov 2026 12:00 WIB: Berkasnya rusak</);
  assert.match(console, /<h3>folder \/srv\/backup<\/h3>/);
  assert.match(console, /dibiarkan<\/b> shop_20261129_020000\.dump: 1288490189 byte di sini, 1288490190 di log run: dibiarkan/);
  assert.match(restore, /Pemulihan gagal: Pemulihan gagal: \[secret\]/);
  for (const page of [console, restore]) assert.ok(!page.includes('s3cret-pw'), 'secrets scrubbed in both languages');
});

test('English: the same page with English numbers, places and errors', async () => {
  const { console, restore } = await pages('en');
  assert.match(console, /1 files, 1 copies, 1,228\.8 MB in total/);
  assert.match(console, /<li data-destination="1">the Dropbox folder \/toko: <span class="bad">could not be listed: Dropbox refused the token \[secret\]<\/span>/);
  assert.match(console, /data-checked="true">FAILED, 29 Nov 2026 12:00 WIB: The file is damaged</);
  assert.match(console, /left alone<\/b> shop_20261129_020000\.dump: 1288490189 bytes here, 1288490190 in the run log: left alone/);
  assert.match(restore, /The restore failed: The restore failed: \[secret\]/);
  assert.ok(!console.includes('folder Dropbox'));
});

test("a verified file shows its restore check: the summary, and each table's rows folded away, in the reader's language", async () => {
  const restoreCheck = compareRows({ 'public.tbl_item': 1234, 'public.tbl_user': 3 }, { 'public.tbl_item': 1234, 'public.tbl_user': 3 });
  const verified = { ...data, files: [{ ...data.files[0]!, kind: 'verified' as const, checked: null,
    verification: { ok: true, detail: 'restored', tables: 2, rows: 1237, restoreCheck } }] };
  const web = webSetup({ langs: { [OWNER]: 'id' }, deps: { backups: { ...backups, files: { ...backups.files, files: async () => verified } } as never } });
  const page = await (await web.app.request('/backup/shop', { headers: { cookie: await web.session(OWNER) } })).text();
  assert.match(page, /<dt>Cek pemulihan<\/dt><dd class="ok" data-restore-check="true">2 tabel, 1\.237 baris, semua sama<details>/);
  assert.match(page, /<tr class="" data-table="public\.tbl_item"><td>public\.tbl_item<\/td><td>1\.234<\/td><td>1\.234<\/td><\/tr>/);
});
