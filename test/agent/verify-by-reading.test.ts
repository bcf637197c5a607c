import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAppError } from '../../src/errors.ts';
import { verifyPostgresByReading } from '../../src/pipeline/backup/verify-backup.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { needPgDump } from '../helpers/needs.ts';
import { makeSampleArchives, type SampleArchives } from '../helpers/sample-archives.ts';

const skip = (await requireLocalPg()) ?? (await needPgDump());
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-verify-'));
let archives: SampleArchives;
before(async () => { if (!skip) archives = await makeSampleArchives(dir); });
after(() => rmSync(dir, { recursive: true, force: true }));

test('a dump is verified by reading it whole: its tables and rows (gzip, uncompressed, written through a pipe)', { skip }, async () => {
  for (const file of [archives.gzip, archives.plain, archives.piped]) {
    const v = await verifyPostgresByReading(file);
    assert.deepEqual({ ok: v.ok, tables: v.tables, rows: v.rows }, { ok: true, tables: 3, rows: 2 + 400 + 800 }, file);
    assert.match(v.detail, /read the whole archive: 3 tables, 1202 rows/);
  }
});

test('a dump cut short or with a changed byte fails verification as corrupt', { skip }, async () => {
  const bytes = readFileSync(archives.gzip);
  const cut = path.join(dir, 'cut.i5bu');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
  await assert.rejects(verifyPostgresByReading(cut), (err) => isAppError(err) && err.kind === 'corrupt');
  // gzip data carries zlib's checksum: a changed byte inside it is caught (uncompressed data has none: only its lengths are checked).
  const changed = Buffer.from(bytes);
  const at = Math.floor(changed.length * 0.6);
  changed[at] = (changed[at] as number) ^ 0xff;
  const bad = path.join(dir, 'changed.i5bu');
  writeFileSync(bad, changed);
  await assert.rejects(verifyPostgresByReading(bad), (err) => isAppError(err) && err.kind === 'corrupt');
});
