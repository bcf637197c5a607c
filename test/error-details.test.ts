import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderSource } from '../src/adapters/folder/folder-source.ts';
import { FileChangedError, toAppError } from '../src/adapters/dropbox/dropbox-errors.ts';
import { AppError, errorDetail } from '../src/errors.ts';
import { readArchive, type TocEntry } from '../src/pipeline/archive/archive-reader.ts';
import { refuseForeignEntries } from '../src/pipeline/archive/foreign-entries.ts';
import { extractI5bu } from '../src/pipeline/archive/zip-extract.ts';
import { ensureSpace } from '../src/pipeline/sync/work-files.ts';

/**
 * Details written in both languages say the same facts: the same numbers, names, settings and
 * quoted things in each. Checked on errors made the way a shop meets them (a cut file, a zip that
 * is not one, a full disk, Dropbox's refusals), not on the texts alone.
 */
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-error-details-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const sample = readFileSync(new URL('../demo/toko-contoh/backup_toko_contoh.i5bu', import.meta.url));
const file = (name: string, bytes: Buffer | string) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const caught = async (work: () => unknown): Promise<AppError> => {
  try {
    await work();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  return assert.fail('no error');
};

/** Numbers, "quoted" things, SETTINGS_LIKE_THIS, paths and file names: what both languages must carry. */
const facts = (text: string) => [
  ...(text.match(/\d+(\.\d+)*/g) ?? []),
  ...(text.match(/"[^"]*"/g) ?? []),
  ...(text.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []),
  ...(text.match(/[\w.-]*\/[\w./-]*|[\w-]+\.(i5bu|zip)\b/g) ?? []),
].sort();

function bothLanguages(err: AppError): void {
  const en = errorDetail(err, 'en');
  const id = errorDetail(err, 'id');
  assert.equal(en, err.message, 'the English is the message');
  assert.ok(err.messageId, `no Indonesian: ${en}`);
  assert.notEqual(id, en);
  assert.deepEqual(facts(id), facts(en), `the same facts:\n${en}\n${id}`);
  for (const text of [id, en]) assert.doesNotMatch(text, /\$\{|\bundefined\b|\[object /, text);
}

test('a detail written in English only stays English for every reader; one in both gives each reader theirs', () => {
  const plain = new AppError('refused', 'tokobot', 'only English');
  assert.equal(errorDetail(plain, 'id'), 'only English');
  assert.equal(plain.messageId, undefined);
  const both = new AppError('refused', 'tokobot', { en: 'in English', id: 'dalam bahasa Indonesia' });
  assert.equal(both.message, 'in English');
  assert.equal(errorDetail(both, 'en'), 'in English');
  assert.equal(errorDetail(both, 'id'), 'dalam bahasa Indonesia');
});

test('backup files refused while reading: empty, cut short, cut in the header, not a backup, a zip that is not one', async () => {
  const errors = [
    await caught(() => readArchive(file('kosong.i5bu', ''))),
    await caught(() => readArchive(file('separuh.i5bu', sample.subarray(0, Math.floor(sample.length / 2))))),
    await caught(() => readArchive(file('kepala.i5bu', sample.subarray(0, 40)))),
    await caught(() => readArchive(file('tiga.i5bu', sample.subarray(0, 3)))),
    await caught(() => readArchive(file('teks.i5bu', 'hello, this is not a backup')))
    ,
    await caught(() => readArchive(file('zip.i5bu', Buffer.from('PK\x03\x04 and more', 'latin1')))),
    await caught(() => extractI5bu(file('bukan.zip', 'not a zip at all'), dir, { maxBytes: 1e9, maxBytesFrom: 'ZIP_MAX_MB', maxRatio: 50 })),
  ];
  for (const err of errors) bothLanguages(err);
  assert.match(errorDetail(errors[1]!, 'id'), /^separuh\.i5bu: file backup terpotong: .* tidak utuh \(.*; ukuran file \d+ byte\)\. /);
});

test('the sync path: not enough disk space, entries an iPOS backup never has, an unreadable folder', async () => {
  bothLanguages(await caught(() => ensureSpace('/data', 'backup.zip', 500 * 1024 * 1024, async () => 20 * 1024 * 1024)));
  const entry = (desc: string, tag: string, defn: string): TocEntry => ({
    dumpId: 7, hadDumper: false, desc, section: 'pre-data', namespace: null, tag, owner: 'x', tableAm: null, dependencies: [],
    defn, copyStmt: null, dataState: 'no-data', dataOffset: null, dataLength: null,
  });
  const foreign = [entry('EXTENSION', 'adminpack', 'CREATE EXTENSION adminpack;'), ...[1, 2, 3, 4].map((n) => entry('FUNCTION', `f${n}`, `CREATE FUNCTION f${n}() LANGUAGE c AS 'x';`))];
  const refused = await caught(() => refuseForeignEntries({ file: '/x/toko.i5bu', entries: foreign }));
  bothLanguages(refused);
  assert.match(errorDetail(refused, 'id'), /\(dan 2 lainnya\)/);
  bothLanguages(await caught(() => new FolderSource(path.join(dir, 'tidak-ada')).list()));
});

test('Dropbox: keys, permissions, folders, limits, full, conflicts, the network: the same facts in both languages', () => {
  const http = (status: number, summary: string) => ({ status, error: { error_summary: summary } });
  const source = { folder: '/iPOS', canRefresh: true, fileName: 'toko.i5bu' };
  const destination = { ...source, role: 'destination' as const };
  const cases: [unknown, typeof source][] = [
    [http(400, 'invalid_grant/'), source], [http(401, 'missing_scope/'), source], [http(401, 'expired_access_token/'), source],
    [http(401, 'expired_access_token/'), { ...source, canRefresh: false }], [http(409, 'path/not_found/.'), source],
    [http(409, 'path/not_found/.'), { ...source, fileName: undefined } as unknown as typeof source], [http(429, 'too_many_requests/'), source],
    [http(503, ''), source], [http(403, 'weird/'), source],
    [http(409, 'path/insufficient_space/'), destination], [http(413, 'payload_too_large/'), destination], [http(409, 'path/conflict/file/'), destination],
    [http(409, 'path/no_write_permission/'), destination], [http(429, ''), destination], [http(502, ''), destination], [http(403, 'other/'), destination],
    [new FileChangedError('toko.i5bu'), source], [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), source],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), destination], [new TypeError('what'), source],
  ];
  const seen = new Set<string>();
  for (const [err, ctx] of cases) {
    const e = toAppError(err, ctx);
    bothLanguages(e);
    seen.add(e.message);
  }
  assert.equal(seen.size, cases.length, 'each case is a different message');
});
