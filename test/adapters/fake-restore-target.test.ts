import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportPriceCsv } from '../../src/pipeline/export-csv.ts';
import { FakeRestoreTarget } from '../fakes/fake-restore-target.ts';
import { restoreTargetContract, TINY } from './restore-target-contract.ts';

/** The part of the contract that needs no server holds for the fake too, so unit tests over it mean what they say. */
restoreTargetContract('fake', async () => new FakeRestoreTarget(TINY), { restorer: 'fake', major: async () => 15 });

test('the fake records calls and fails at the method it is told to, until told to succeed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-fake-target-'));
  try {
    const target = new FakeRestoreTarget({ ...TINY, csv: 'kodeitem\nA1\n' });
    await target.createDatabase('ipos_toko1__staging');
    target.failAt('exportCsv', Object.assign(new Error('relation "public.tbl_item" does not exist'), { code: '42P01' }));
    const csv = path.join(dir, 'toko1.csv');
    await assert.rejects(exportPriceCsv(target, 'ipos_toko1__staging', 'toko1', csv), (err) => err instanceof Error && /does not look like an iPOS 5 database/.test(err.message));
    target.succeed();
    const none = { items: 0, examples: [] };
    assert.deepEqual(await exportPriceCsv(target, 'ipos_toko1__staging', 'toko1', csv), { bytes: 12, findings: { unknownSystem: none, oddFlags: none } });
    assert.equal(readFileSync(csv, 'utf8'), 'kodeitem\nA1\n');
    assert.deepEqual(target.methods(), ['createDatabase', 'exportCsv', 'exportCsv', 'readRestored']);
    assert.match(String(target.calls[1]?.args[1]), /FROM public\.tbl_item\b/, 'the export sends the price query');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
