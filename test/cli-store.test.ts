import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tokenHash } from '../src/pipeline/agents/tokens.ts';
import { PgAgents } from '../src/store/postgres/agents.ts';
import { LOCAL_PG_URL, requireLocalPg } from './helpers/local-pg.ts';
import { scratchOps, type ScratchOps } from './helpers/scratch-ops.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

/** `tokobot store add / revoke / list`, in this process (tokobot-cli.ts), on a scratch ops database. */
const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-ingest-cli-'));
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: `tokobot_t_ingest_cli_${process.pid}`,
  DATA_DIR: path.join(dir, 'data'), TOKOBOT_CONFIG: path.join(dir, 'tokobot.json'), LOG_LEVEL: 'silent', TOKOBOT_LANG: 'en', STORE_TZ: 'Asia/Jakarta',
  WEB_PORT: '8080', WEB_URL: 'https://hq.example.com', AGENT_INGEST: 'true',
};
const run = (args: string[], extra: Record<string, string> = {}) => tokobot(args, { ...env, ...extra });
let ops: ScratchOps;

before(async () => {
  if (skip) return;
  writeFileSync(env.TOKOBOT_CONFIG, JSON.stringify({ stores: [{ id: 'north', name: 'Toko Utara', dir }, { id: 'south', dir }] }));
  ops = await scratchOps(env.OPS_DATABASE);
});
after(async () => {
  await ops?.close();
  rmSync(dir, { recursive: true, force: true });
});

const TOKEN = /tka_north_[A-Za-z0-9_-]{32}/g;

test('store add prints the token once with the enrol line; only its hash is kept; a second add leaves the first valid and says so', { skip }, async () => {
  const first = await run(['store', 'add', 'north']);
  assert.equal(first.code, 0, first.stderr);
  const [token, again, ...more] = first.stdout.match(TOKEN) ?? [];
  assert.ok(token, first.stdout);
  assert.equal(again, token, 'shown as itself and in the enrol line');
  assert.equal(more.length, 0);
  assert.match(first.stdout, new RegExp(`\\n  tokobot agent enroll https://hq\\.example\\.com ${token}\\n$`));
  assert.match(first.stdout, /shown this once only/);
  assert.equal(first.stderr, '');
  const rows = (await ops.pool.query('SELECT * FROM agent_tokens WHERE store = $1', ['north'])).rows;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].token_hash, tokenHash(token!));
  assert.ok(!JSON.stringify(rows).includes(token!), 'the token itself is not stored');

  const second = await run(['store', 'add', 'north']);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /1 older live token\(s\); they stay valid until revoked \(tokobot store revoke north/);
  const agents = new PgAgents(ops.pool);
  assert.equal((await agents.useToken(tokenHash(token!)))?.revokedAt, null, 'the first token still works');
  const newer = second.stdout.match(TOKEN)![0];
  assert.equal((await agents.useToken(tokenHash(newer)))?.revokedAt, null);
});

test('store add: an unknown store exits 2 naming the configured ones; without AGENT_INGEST it says reports are not taken yet', { skip }, async () => {
  const unknown = await run(['store', 'add', 'nowhere']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown store "nowhere". Configured stores: north, south/);
  const off = await run(['store', 'add', 'south'], { AGENT_INGEST: 'false' });
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stderr, /AGENT_INGEST is not true/);
  const id = await run(['store', 'add', 'south'], { TOKOBOT_LANG: 'id' });
  assert.match(id.stdout, /hanya ditampilkan sekali ini[\s\S]*Jalankan di PC toko:\n  tokobot agent enroll https:\/\/hq.example.com tka_south_/);
});

test('store list shows each store\'s tokens and agent, never a token; --json for scripts', { skip }, async () => {
  await new PgAgents(ops.pool).ingest({ store: 'north', instance: randomUUID(), host: 'kasir-utara', version: '0.1.0', skewMs: 42_000, reports: [{ seq: 1, type: 'heartbeat', beat: {
    at: new Date().toISOString(), startedAt: new Date().toISOString(), timeZone: 'Asia/Makassar', disk: [], jobs: [], outboxPending: 0, diskMinFreeBytes: 0 } }] });
  const list = await run(['store', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^north \(Toko Utara\)\n  token #\d+ made \d+ \w{3} 20\d\d \d\d:\d\d WIB by cli, last used \d+ \w{3} .* WIB, live\n  token #\d+ made .* by cli, last used \d+ .* WIB, live\n/);
  assert.match(list.stdout, /\n  agent kasir-utara \(tokobot 0\.1\.0\), last report .* WIB, last heartbeat .* WIB, agent clock \+42 s\n/);
  assert.match(list.stdout, /\nsouth\n  token #/);
  assert.doesNotMatch(list.stdout, /tka_/);
  const json = await run(['store', 'list', '--json']);
  assert.equal(json.code, 0);
  const parsed = JSON.parse(json.stdout) as { stores: { store: string; configured: boolean; tokens: unknown[]; agent: { host: string } | null }[] };
  assert.deepEqual(parsed.stores.map((s) => [s.store, s.configured, s.tokens.length, s.agent?.host ?? null]), [['north', true, 2, 'kasir-utara'], ['south', true, 2, null]]);
  assert.doesNotMatch(json.stdout, /tka_|token_?hash/i);
});

test('store revoke revokes the live tokens (again: none left); an unknown store exits 2', { skip }, async () => {
  const first = await run(['store', 'revoke', 'north']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '2 token(s) of store north revoked. Its agent is refused from its next request.\n');
  assert.equal((await run(['store', 'revoke', 'north'])).stdout, 'Store north has no live token.\n');
  assert.equal((await run(['store', 'revoke', 'nowhere'])).code, 2);
  assert.match((await run(['store', 'list'])).stdout, /^north \(Toko Utara\)\n(  token #\d+ .*revoked .*\n){2}/);
});

test('store commands have help in both languages', async () => {
  const help = await run(['store', 'add', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /older tokens stay valid until revoked, as with \/agen add/);
  assert.match((await run(['help'], { TOKOBOT_LANG: 'id' })).stdout, /store add ID +token baru untuk agent sebuah toko/);
});
