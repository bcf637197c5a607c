import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/load-config.ts';
import type { App } from '../../src/main/app.ts';
import { opsHttpHandler, type OpsHttpApp } from '../../src/ops-http.ts';
import type { BackupRunner } from '../../src/pipeline/backup/backup-runner.ts';
import { agentWorld } from '../helpers/agent-world.ts';
import { createMemoryBackupAlertStores } from '../fakes/memory-backup-alert-stores.ts';
import { MemoryOpsWatch } from '../fakes/memory-ops-watch.ts';
import { MemoryRunHistory } from '../fakes/memory-run-history.ts';
import { createMemoryStores, MemorySyncRunLog } from '../fakes/memory-stores.ts';

/** /metrics and /status of the ops HTTP server with shop agents, in process over memory stores, on 127.0.0.1. */
const env = { SOURCE: 'folder', SOURCE_DIR: '/nonexistent', RESTORE_TARGET: 'external', PG_URL: 'postgres://127.0.0.1/none', DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' };

async function serve() {
  const base = loadConfig(env);
  const stores = ['a', 'b'].map((id) => ({ ...base.stores[0]!, id, name: `Toko ${id.toUpperCase()}` }));
  // The agents' heartbeats are "now" for this test: the world is built at the real clock.
  const world = await agentWorld(new Date(), stores);
  const syncRuns = new MemorySyncRunLog();
  const alertStores = { ...createMemoryBackupAlertStores(), backupLog: world.log, watch: new MemoryOpsWatch(syncRuns, world.log), history: new MemoryRunHistory(syncRuns, world.log) };
  const app = {
    config: { ...base, stores }, opsStores: { ...createMemoryStores(), agents: world.agents }, backupAlertStores: alertStores, target: { kind: 'external' },
    alerts: { open: async () => [] }, logger: { warn: () => undefined },
  } as unknown as OpsHttpApp & Pick<App, 'backups'>;
  const handler = opsHttpHandler(app, {
    backups: { states: async () => [] } as unknown as BackupRunner, nextBackup: () => null, telegram: () => ({ ready: true, text: 'ok' }), messengers: () => [],
    queue: { counts: async () => ({ waiting: 0, running: 0, givenUp: 0 }) },
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, world, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

test('/metrics: each agent\'s heartbeat age, silence, disk, outbox, clock, and its jobs\' last good backup; its runs in the backup job metrics as <store>/<job>', async () => {
  const s = await serve();
  try {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1]);
    assert.ok(Math.abs(value(/^tokobot_agent_heartbeat_age_seconds\{store="a"\} (\d+)$/m) - 360) <= 2, text);
    assert.ok(Math.abs(value(/^tokobot_agent_heartbeat_age_seconds\{store="b"\} (\d+)$/m) - 7200) <= 2);
    assert.match(text, /^tokobot_agent_silent\{store="a"\} 0$/m);
    assert.match(text, /^tokobot_agent_silent\{store="b"\} 1$/m);
    assert.match(text, /^tokobot_agent_disk_free_bytes\{store="b",dir="\/var\/lib\/tokobot"\} 536870912$/m);
    assert.match(text, /^tokobot_agent_outbox_pending\{store="a"\} 2$/m);
    assert.match(text, /^tokobot_agent_clock_skew_seconds\{store="a"\} 180$/m);
    const good = value(/^tokobot_agent_backup_last_success_timestamp_seconds\{store="a",job="nightly"\} (\d+)$/m);
    assert.ok(Math.abs(good - (Date.now() / 1000 - 8 * 3600)) < 5, `last good 8 h ago: ${good}`);
    assert.match(text, /^tokobot_backup_runs\{job="b\/nightly",status="failed"\} 1$/m);
    assert.match(text, /^tokobot_backup_runs\{job="a\/nightly",status="success"\} 1$/m);
  } finally {
    await s.close();
  }
});

test('/status JSON carries the agents with their jobs', async () => {
  const s = await serve();
  try {
    const body = await (await fetch(`${s.url}/status`)).json() as { agents: { store: string; silent: boolean; host: string; jobs: { name: string; last: { status: string } }[] }[] };
    assert.deepEqual(body.agents.map((a) => [a.store, a.host, a.silent, a.jobs.map((j) => `${j.name} ${j.last.status}`)]),
      [['a', 'KASIR-A', false, ['a/nightly success']], ['b', 'KASIR-B', true, ['b/nightly failed']]]);
  } finally {
    await s.close();
  }
});
