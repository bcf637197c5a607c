import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readArchive, type TocEntry } from '../../../src/pipeline/archive/archive-reader.ts';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { damagedCopy, runCli, startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { adminQuery, createScratchDb, dropScratchDb, localConnection } from '../../helpers/local-pg.ts';
import { needPgDump, needPgRestore } from '../../helpers/needs.ts';
import { makePgSource, pgDigest } from '../../helpers/pg-source.ts';

/** `tokobot backup restore` of PostgreSQL backups (pg_dump -Fc), whole, cut and damaged. */
const SOURCE = 'tokobot_t_rpg_src';
const TARGET = 'tokobot_t_rpg_target';
const EXISTING = 'tokobot_t_rpg_existing';
const dest = mkdtempSync(path.join(tmpdir(), 'tokobot-rpg-'));
let h: BackupHarness;
let plain = '';
let sealed = '';
let big: TocEntry;

async function tablesOf(db: string): Promise<string[] | null> {
  if (!(await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount) return null;
  const pg = await import('pg');
  const c = new pg.default.Client(localConnection(db));
  await c.connect();
  try {
    return (await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.tablename as string);
  } finally {
    await c.end();
  }
}

async function dropTargets(): Promise<void> {
  await dropScratchDb(TARGET);
  await dropScratchDb(EXISTING);
}

const skip = (await needPgDump()) ?? (await needPgRestore());

before(async () => {
  if (skip) return;
  await makePgSource(SOURCE, 20_000);
  const url = localConnection(SOURCE);
  const job = (id: string) => ({ id, type: 'postgres', url: `postgres://${url.user}@${url.host}:${url.port}/${SOURCE}`, verify: false, destinations: [{ type: 'local', dir: dest }] });
  h = await startBackupHarness('restorepg', [job('shop'), { ...job('vault'), encryption: { passphraseEnv: 'VAULT_PASS' } }],
    { VAULT_PASS: 'a long enough passphrase' });
  for (const id of ['shop', 'vault']) {
    const run = await runBackup(h.app.backups, h.app.job(id), 'cli');
    assert.equal(run.status, 'success', run.error ?? '');
    if (id === 'shop') plain = path.join(dest, run.fileName as string);
    else sealed = path.join(dest, run.fileName as string);
  }
  big = (await readArchive(plain)).entries.find((e) => e.desc === 'TABLE DATA' && e.tag === 'big') as TocEntry;
});

after(async () => {
  if (skip) return;
  await h?.close();
  await dropTargets();
  await dropScratchDb(SOURCE);
  rmSync(dest, { recursive: true, force: true });
});

/** The byte in the middle of the big table's (compressed) data. */
const midData = () => (big.dataOffset as number) + Math.floor((big.dataLength as number) / 2);

test('a whole PostgreSQL backup, plain and encrypted, restores into a new database with the same rows', { skip }, async () => {
  await dropTargets();
  const res = await runCli(h, ['backup', 'restore', plain, '--into', TARGET]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /restored shop_\d{8}_\d{6}\.dump into tokobot_t_rpg_target: 5 tables, 20004 rows/);
  assert.deepEqual(await pgDigest(TARGET), await pgDigest(SOURCE));
  const again = await runCli(h, ['backup', 'restore', sealed, '--into', TARGET]);
  assert.equal(again.code, 2, 'a database with tables is refused');
  assert.match(again.stderr, /already has tables; restore into a new name/);
  assert.deepEqual(await pgDigest(TARGET), await pgDigest(SOURCE), 'and left as it was');
  const decrypted = await runCli(h, ['backup', 'restore', sealed, '--into', EXISTING]);
  assert.equal(decrypted.code, 0, decrypted.stderr);
  assert.deepEqual(await pgDigest(EXISTING), await pgDigest(SOURCE));
});

test('a dump cut at 50 %: refused before loading, saying how much is missing; no database is left', { skip }, async () => {
  await dropTargets();
  const cut = damagedCopy(plain, path.join(dest, 'cut', path.basename(plain)), (b) => b.subarray(0, Math.ceil(b.length / 2)));
  const res = await runCli(h, ['backup', 'restore', cut, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /shop_\d{8}_\d{6}\.dump is incomplete: the file ends before the end of the backup: .*\(cut at 50 %\)/);
  assert.equal(await tablesOf(TARGET), null);
});

test('a dump cut in the data that the log does not know: the archive check names the table; no database is left', { skip }, async () => {
  await dropTargets();
  const cut = damagedCopy(plain, path.join(dest, 'shop_20200101_000000.dump'), (b) => b.subarray(0, midData()));
  const res = await runCli(h, ['backup', 'restore', cut, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.doesNotMatch(res.stderr, /unexpected error/);
  assert.match(res.stderr, /shop_20200101_000000\.dump: the backup is truncated: the data of TABLE DATA public\.big is cut off .*The file ends before the end of the backup\. Copy it again/);
  assert.equal(await tablesOf(TARGET), null);
});

test('a dump with a flipped byte in the data is refused; an existing empty target is left as it was', { skip }, async () => {
  await dropTargets();
  await createScratchDb(EXISTING);
  const file = damagedCopy(plain, path.join(dest, 'shop_20200101_000001.dump'), (b) => {
    const copy = Buffer.from(b);
    copy[midData()] = (copy[midData()] as number) ^ 0xff;
    return copy;
  });
  const res = await runCli(h, ['backup', 'restore', file, '--into', EXISTING]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /shop_20200101_000001\.dump is damaged: the data of TABLE DATA public\.big is not readable \(.+\)\. Copy it again/);
  assert.deepEqual(await tablesOf(EXISTING), [], 'still there, still empty');
});

test('a cut encrypted dump fails authentication before anything is loaded: no empty database, no decrypted leftovers', { skip }, async () => {
  await dropTargets();
  const cut = damagedCopy(sealed, path.join(dest, 'vault_20200101_000000.dump.enc'), (b) => b.subarray(0, Math.ceil(b.length / 2)));
  const res = await runCli(h, ['backup', 'restore', cut, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /vault_20200101_000000\.dump\.enc: The encrypted backup ends early/);
  assert.equal(await tablesOf(TARGET), null);
  assert.deepEqual(readdirSync(path.join(h.env.DATA_DIR as string, 'backups')).filter((n) => n.startsWith('.restore-')), []);
});
