import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PgAgents } from '../src/store/postgres/agents.ts';
import { adminQuery, LOCAL_PG_URL, requireLocalPg, scratchPool } from './helpers/local-pg.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

/** `tokobot status` at a head office whose store has a shop agent: the "Shop agents" part, and each store's `agent` in --json. */
const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-hoview-cli-'));
const STORE = `hov${process.pid}`;
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL,
  DATA_DIR: path.join(dir, 'data'), OPS_DATABASE: `tokobot_t_hoview_cli_${process.pid}`, STORE_ID: STORE, STORE_NAME: 'Toko Agen', STORE_TZ: 'Asia/Makassar',
};
after(async () => {
  if (!skip) {
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [env.OPS_DATABASE]);
    await adminQuery(`DROP DATABASE IF EXISTS "${env.OPS_DATABASE}"`);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('tokobot status shows the store\'s shop agent, in text (both languages) and JSON', { skip }, async () => {
  const before = await tokobot(['status', '--json'], env); // makes and migrates the ops database
  assert.doesNotMatch(before.stdout, /"agent"/);
  const pool = scratchPool(env.OPS_DATABASE);
  try {
    const now = new Date();
    await new PgAgents(pool).ingest({ store: STORE, instance: randomUUID(), host: 'KASIR-9', version: '0.9.1', skewMs: 0, reports: [
      { seq: 1, type: 'heartbeat', beat: { at: now.toISOString(), startedAt: now.toISOString(), timeZone: 'Asia/Makassar', disk: [{ dir: '/srv', freeBytes: 3 * 1024 ** 3, totalBytes: 1e11 }],
        jobs: [{ id: 'ipos', type: 'postgres', schedule: '0 2 * * *', nextRun: null }], outboxPending: 7, diskMinFreeBytes: 1024 ** 3 } },
    ] });
  } finally {
    await pool.end();
  }
  const id = await tokobot(['status'], env);
  assert.match(id.stdout, new RegExp(`\\n\\nAgen toko:\\n  Toko Agen \\(${STORE}\\) · KASIR-9 · versi 0\\.9\\.1\\n    Lapor terakhir: kurang dari 1 menit lalu \\(\\d+ \\w{3} \\d{4} \\d\\d:\\d\\d WITA\\)\\n    Disk: 3,0 GB bebas di /srv\\n    Laporan menunggu dikirim: 7\\n    ipos: belum pernah jalan\\n?$`), id.stdout);
  const en = await tokobot(['status'], { ...env, LANG: 'en_US.UTF-8' });
  assert.match(en.stdout, /\n\nShop agents:\n  Toko Agen .* version 0\.9\.1\n    Last heartbeat: under a minute ago/);
  const json = await tokobot(['status', '--json'], env);
  const [s] = JSON.parse(json.stdout);
  assert.equal(s.agent.host, 'KASIR-9');
  assert.equal(s.agent.silent, false);
  assert.equal(s.agent.outboxPending, 7);
  assert.deepEqual(s.agent.jobs.map((j: { name: string }) => j.name), [`${STORE}/ipos`]);
});
