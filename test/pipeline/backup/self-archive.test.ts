import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import tar from 'tar-stream';
import { packSelfArchive, readSelfArchive, type SelfManifest } from '../../../src/pipeline/backup/self-archive.ts';

// The self-backup's tar format on its own (its encryption and the real database: self-backup.test.ts).

const dir = mkdtempSync(path.join(tmpdir(), `tokobot-D-selfarchive-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const files = { config: Buffer.from('{"jobs": []}\n'), env: Buffer.from('TELEGRAM_BOT_TOKEN=1:abc\n'), dump: Buffer.from('PGDMP fake archive bytes') };
for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
const parts = [
  { name: 'config/tokobot.json', role: 'config' as const, path: path.join(dir, 'config'), from: '/etc/tokobot/tokobot.json' },
  { name: 'env/.env', role: 'env' as const, path: path.join(dir, 'env'), from: '/srv/tokobot/.env' },
  { name: 'ops.dump', role: 'ops-database' as const, path: path.join(dir, 'dump') },
];
const about = { tokobotVersion: '9.9.9', createdAt: '2026-11-30T03:00:00.000Z', host: 'old-server' };

async function packed(): Promise<{ bytes: Buffer; manifest: SelfManifest }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const manifest = await packSelfArchive(parts, about, out);
  return { bytes: Buffer.concat(chunks), manifest };
}

/** A tar of the given entries, as another program (or someone changing the file) would write it. */
async function tarOf(entries: [string, Buffer][]): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of entries) pack.entry({ name, size: body.length }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const manifestJson = (m: SelfManifest) => Buffer.from(JSON.stringify(m));

test('packs the manifest first, then each file; reads back byte-equal with the same manifest', async () => {
  const { bytes, manifest } = await packed();
  assert.deepEqual(manifest.members.map((m) => [m.name, m.bytes, m.sha256]), [
    ['config/tokobot.json', files.config.length, sha(files.config)], ['env/.env', files.env.length, sha(files.env)], ['ops.dump', files.dump.length, sha(files.dump)]]);
  assert.equal(manifest.members[0]?.from, '/etc/tokobot/tokobot.json');
  const into = path.join(dir, 'out');
  mkdirSync(into);
  assert.deepEqual(await readSelfArchive(Readable.from([bytes]), into), manifest);
  assert.deepEqual(readFileSync(path.join(into, 'env/.env')), files.env);
  assert.deepEqual(readFileSync(path.join(into, 'ops.dump')), files.dump);
});

test('a member that does not match its SHA-256, one the manifest does not list, one missing, no manifest: each refused in words', async () => {
  const { manifest } = await packed();
  const good: [string, Buffer][] = [['config/tokobot.json', files.config], ['env/.env', files.env], ['ops.dump', files.dump]];
  const read = async (entries: [string, Buffer][]) => readSelfArchive(Readable.from([await tarOf(entries)]));
  await assert.rejects(read([['manifest.json', manifestJson(manifest)], ['config/tokobot.json', files.config], ['env/.env', Buffer.from('TELEGRAM_BOT_TOKEN=1:abd\n')], ['ops.dump', files.dump]]),
    /The self-backup is damaged \(env\/\.env does not match its SHA-256 in the manifest\)/);
  await assert.rejects(read([['manifest.json', manifestJson(manifest)], ...good, ['data/extra', Buffer.from('x')]]), /damaged \(it holds "data\/extra", which its manifest does not list\)/);
  await assert.rejects(read([['manifest.json', manifestJson(manifest)], ...good.slice(0, 2)]), /damaged \(it ends before ops\.dump\)/);
  await assert.rejects(read(good), /This is not a tokobot self-backup \(it starts with "config\/tokobot\.json", not manifest\.json\)/);
  await assert.rejects(read([['manifest.json', Buffer.from('{"format": "something else"}')], ...good]), /This is not a tokobot self-backup \(no tokobot manifest\)/);
  const traversal = { ...manifest, members: [...manifest.members, { name: '../../etc/passwd', role: 'data', bytes: 1, sha256: sha(Buffer.from('x')) }] };
  await assert.rejects(read([['manifest.json', manifestJson(traversal as SelfManifest)], ...good]), /damaged \(its manifest does not read: members\.3\.name\)/);
  const up = { ...manifest, members: manifest.members.map((m, i) => (i === 0 ? { ...m, name: 'config/..' } : m)) };
  await assert.rejects(read([['manifest.json', manifestJson(up)], ...good]), /its manifest does not read: members\.0\.name/);
  const relative = { ...manifest, members: manifest.members.map((m, i) => (i === 0 ? { ...m, from: 'etc/tokobot.json' } : m)) };
  await assert.rejects(read([['manifest.json', manifestJson(relative)], ...good]), /its manifest does not read: members\.0\.from/);
  await assert.rejects(readSelfArchive(Readable.from([Buffer.from('not a tar at all, just text '.repeat(40))])), /This is not a tokobot self-backup/);
});
