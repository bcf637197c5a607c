import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { openMessage, resolvedMessage } from '../../../src/pipeline/alerts/alert-messages.ts';
import { checkAgents } from '../../../src/pipeline/alerts/agent-monitors.ts';
import { backupAlert } from '../../../src/pipeline/alerts/run-alerts.ts';
import { createMemoryBackupAlertStores, type MemoryBackupAlertStores } from '../../fakes/memory-backup-alert-stores.ts';
import { MemoryAgents } from '../../fakes/memory-agents.ts';
import { putAgent } from '../../helpers/agent-world.ts';

/** The shop agents' dead man's switch over in-memory stores, on a clock the test moves. */
const MIN = 60_000;
const GB = 1024 ** 3;
let now: Date;
let stores: MemoryBackupAlertStores;
let agents: MemoryAgents;
let engine: AlertEngine;
const pusat = { id: 'cabang1', name: 'Toko Cabang 1', timeZone: 'Asia/Makassar' };

const check = () => checkAgents({ engine, agents, agentSilentMs: 30 * MIN, backupLog: stores.backupLog, stores: [pusat], clock: () => now });
const openKeys = async () => (await engine.open()).map((a) => a.key).sort();
const at = (iso: string) => { now = new Date(iso); };
/** A run of the agent's job as the ingest records it, started now. */
async function run(status: 'success' | 'failed') {
  const id = await stores.backupLog.start('cabang1/nightly', 'schedule');
  await stores.backupLog.update(id, { fileName: 'cabang1.i5bu', bytes: 1000 }, status);
}

beforeEach(async () => {
  at('2026-11-23T10:00:00Z');
  stores = createMemoryBackupAlertStores(() => now);
  agents = new MemoryAgents(stores.backupLog, () => now);
  await agents.addToken('cabang1', 'hash-1', 'cli');
  engine = new AlertEngine({ store: stores.alerts, recipients: [], remindMs: 6 * 3_600_000, zone: 'Asia/Jakarta', clock: () => now });
});

/** 02:00 WITA (18:00 UTC) every night, read in the agent's zone. */
const nightly = { id: 'nightly', type: 'postgres' as const, schedule: '0 2 * * *', nextRun: null };

test('an agent quiet past AGENT_SILENT_MINUTES raises agent-silent; its heartbeat resolves it', async () => {
  putAgent(agents, now, 'cabang1', { beatAt: new Date('2026-11-23T09:45:00Z'), host: 'KASIR-01' });
  await check();
  assert.deepEqual(await openKeys(), []);
  at('2026-11-23T10:20:00Z');
  await check();
  assert.deepEqual(await openKeys(), ['agent:cabang1']);
  const [alert] = await engine.open();
  const id = openMessage(alert!, { lang: 'id', zone: 'Asia/Jakarta' });
  assert.match(id.title ?? '', /Agen toko Toko Cabang 1 tidak melapor/);
  // The store's zone (WITA), not the reader's.
  assert.match(id.lines.join('\n'), /KASIR-01 terakhir melapor 23 Nov 2026 17:45 WITA \(35 menit lalu\)/);
  assert.match(id.lines.join('\n'), /tokobot doctor/);
  const en = openMessage(alert!, { lang: 'en', zone: 'Asia/Jakarta' });
  assert.match(en.lines.join('\n'), /The agent on KASIR-01 last reported at 23 Nov 2026 17:45 WITA/);
  assert.match(en.lines.join('\n'), /`tokobot agent` service running/);
  putAgent(agents, now, 'cabang1', { beatAt: now, host: 'KASIR-01' });
  await check();
  assert.deepEqual(await openKeys(), []);
  assert.match(resolvedMessage(alert!, { lang: 'en', zone: 'UTC' }, now).title ?? '', /the shop agent of Toko Cabang 1 reports again/);
});

test('a heartbeat with a folder below its floor raises agent-disk-low, and more space resolves it', async () => {
  putAgent(agents, now, 'cabang1', { disk: [{ dir: 'D:\\backup', freeBytes: 0.5 * GB, totalBytes: 100 * GB }, { dir: 'C:\\', freeBytes: 20 * GB, totalBytes: 100 * GB }], diskMinFreeBytes: 1 * GB });
  await check();
  assert.deepEqual(await openKeys(), ['agent-disk:cabang1']);
  const msg = openMessage((await engine.open())[0]!, { lang: 'en', zone: 'UTC' });
  assert.match(msg.lines.join('\n'), /512 MB free under D:\\backup on pc-cabang1 \(minimum 1024 MB\)/);
  putAgent(agents, now, 'cabang1', { disk: [{ dir: 'D:\\backup', freeBytes: 5 * GB, totalBytes: 100 * GB }], diskMinFreeBytes: 1 * GB });
  await check();
  assert.deepEqual(await openKeys(), []);
});

test('an agent up whose scheduled backup did not start raises backup-missed for <store>/<job>; a good run resolves it', async () => {
  at('2026-11-22T17:00:00Z');
  await run('success'); // the night before's run, 01:00 WITA
  at('2026-11-23T10:00:00Z'); // 18:00 WITA: the 02:00 run never came
  putAgent(agents, now, 'cabang1', { jobs: [nightly], timeZone: 'Asia/Makassar' });
  await check();
  assert.deepEqual(await openKeys(), ['missed:cabang1/nightly']);
  const alert = (await engine.open())[0]!;
  assert.equal(alert.kind, 'backup-missed');
  const id = openMessage(alert, { lang: 'id', zone: 'Asia/Jakarta' });
  assert.match(id.title ?? '', /Backup nightly toko Toko Cabang 1 tidak berjalan \(agen toko\)/);
  assert.match(id.lines.join('\n'), /Seharusnya berjalan 23 Nov 2026 02:00 WITA/);
  assert.doesNotMatch(id.lines.join('\n'), /\/backup/, 'no /backup: the head office cannot run an agent\'s job');
  await run('success');
  await check();
  assert.deepEqual(await openKeys(), []);
});

test('a silent agent raises agent-silent only, not backup-missed for its jobs; back, the missed backup is judged', async () => {
  at('2026-11-22T17:00:00Z');
  await run('success');
  putAgent(agents, now, 'cabang1', { jobs: [nightly], beatAt: new Date('2026-11-22T17:30:00Z') });
  at('2026-11-23T10:00:00Z');
  await check();
  assert.deepEqual(await openKeys(), ['agent:cabang1']);
  putAgent(agents, now, 'cabang1', { jobs: [nightly], beatAt: now });
  await check();
  assert.deepEqual(await openKeys(), ['missed:cabang1/nightly'], 'heartbeats back: silent resolved, the backup it did not make is now told');
});

test('revoking a store\'s tokens retires its agent: its open alerts resolve and no new ones come', async () => {
  putAgent(agents, now, 'cabang1', { beatAt: new Date('2026-11-23T08:00:00Z') });
  await check();
  assert.deepEqual(await openKeys(), ['agent:cabang1']);
  await agents.revokeTokens('cabang1');
  await check();
  assert.deepEqual(await openKeys(), []);
});

test('jobs on demand, unknown schedules and stores not configured here raise nothing', async () => {
  putAgent(agents, now, 'cabang1', { jobs: [{ ...nightly, schedule: null }, { ...nightly, id: 'odd', schedule: 'every full moon' }] });
  putAgent(agents, now, 'gone', { beatAt: new Date('2026-11-01T00:00:00Z') });
  await agents.addToken('gone', 'hash-gone', 'cli'); // live, but the store is no longer configured here
  await check();
  assert.deepEqual(await openKeys(), []);
});

test('a failed run of an agent\'s job says the store and that the shop agent made it, in both languages', async () => {
  await run('failed');
  const failed = stores.backupLog.runs.at(-1)!;
  await backupAlert(engine, { ...failed, error: 'pg_dump: connection refused' }, undefined);
  const alert = (await engine.open())[0]!;
  assert.equal(alert.key, 'backup:cabang1/nightly');
  assert.match(openMessage(alert, { lang: 'en', zone: 'UTC' }).title ?? '', /Backup nightly of store cabang1 FAILED \(made by the shop agent\)/);
  const id = openMessage(alert, { lang: 'id', zone: 'UTC' });
  assert.match(id.title ?? '', /Backup nightly toko cabang1 GAGAL \(dibuat agen toko\)/);
  assert.match(id.lines.join('\n'), /tokobot doctor/);
  // With the store's config (the ingest has it): its name, and times in its zone.
  await backupAlert(engine, { ...failed, error: 'disk full', finishedAt: new Date('2026-11-23T10:00:00Z') }, undefined, undefined, pusat);
  const named = (await engine.open()).find((x) => x.key === 'backup:cabang1/nightly')!;
  assert.match(openMessage(named, { lang: 'en', zone: 'Asia/Jakarta' }).title ?? '', /Backup nightly of store Toko Cabang 1 FAILED/);
  assert.match(openMessage(named, { lang: 'en', zone: 'Asia/Jakarta' }).lines.join('\n'), /WITA/);
  // A configured job's alert is as before.
  const local = await stores.backupLog.start('nightly', 'schedule');
  await stores.backupLog.update(local, {}, 'failed');
  await backupAlert(engine, (await stores.backupLog.get(local))!, undefined);
  const mine = (await engine.open()).find((a) => a.key === 'backup:nightly')!;
  assert.match(openMessage(mine, { lang: 'en', zone: 'UTC' }).lines.join('\n'), /send \/backup nightly/);
});
