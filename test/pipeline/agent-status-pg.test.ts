import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { agentStatuses } from '../../src/pipeline/agents/agent-status.ts';
import { checkAgents } from '../../src/pipeline/alerts/agent-monitors.ts';
import { AlertEngine } from '../../src/pipeline/alerts/alert-engine.ts';
import { PgAgents } from '../../src/store/postgres/agents.ts';
import { PostgresAlertStore } from '../../src/store/postgres/postgres-alert-store.ts';
import { PostgresBackupLog } from '../../src/store/postgres/postgres-backup-log.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

/**
 * The agent status reader and the agents' dead man's switch over PostgreSQL (PgAgents, the backup
 * run log, the alert store): what the ingest stored is what /status shows and the monitors judge.
 */
const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_t_hoview_${process.pid}`, skip);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

test('an ingested heartbeat and run: the status shows the job\'s last run; silence raises agent-silent only; heartbeats back, the missed nightly raises backup-missed', { skip }, async () => {
  const agents = new PgAgents(pool());
  const backupLog = new PostgresBackupLog(pool());
  const store = { id: 'cabang1', name: 'Toko Cabang 1', timeZone: 'Asia/Makassar' };
  const instance = randomUUID();
  const beat = (at: Date) => ({ at: at.toISOString(), startedAt: at.toISOString(), timeZone: 'Asia/Makassar', disk: [{ dir: '/data', freeBytes: 5e9, totalBytes: 2e10 }],
    jobs: [{ id: 'ipos', type: 'postgres' as const, schedule: '0 2 * * *', nextRun: null }], outboxPending: 0, diskMinFreeBytes: 1e9 });
  // The last good nightly was two days ago: since then every 02:00 WITA run was missed.
  const started = new Date(Date.now() - 2 * DAY);
  const run = { id: randomUUID(), job: 'ipos', jobType: 'postgres' as const, trigger: 'schedule', status: 'success' as const, stage: null, stages: [],
    startedAt: started.toISOString(), finishedAt: new Date(started.getTime() + MIN).toISOString(), fileName: 'cabang1_20261128.i5bu', bytes: 4_200_000, sha256: 'b'.repeat(64),
    destinations: [], verification: null, error: null, failure: null };
  await agents.addToken('cabang1', `hash-${instance}`, 'cli');
  await agents.ingest({ store: 'cabang1', instance, host: 'KASIR-01', version: '0.1.0', skewMs: 0,
    reports: [{ seq: 1, type: 'heartbeat', beat: beat(new Date()) }, { seq: 2, type: 'run', run }] });

  const [status] = await agentStatuses({ agents, backupLog, stores: [store], silentMs: 30 * MIN });
  assert.equal(status?.store, 'cabang1');
  assert.equal(status?.silent, false);
  assert.equal(status?.zone, 'Asia/Makassar');
  assert.deepEqual(status?.jobs.map((j) => [j.name, j.last?.status, j.last?.fileName, j.last?.bytes, j.lastGood?.fileName]),
    [['cabang1/ipos', 'success', 'cabang1_20261128.i5bu', 4_200_000, 'cabang1_20261128.i5bu']]);

  const engine = new AlertEngine({ store: new PostgresAlertStore(pool()), recipients: [], remindMs: 6 * 3_600_000, zone: 'Asia/Jakarta' });
  const check = (now: Date) => checkAgents({ engine, agents, agentSilentMs: 30 * MIN, backupLog, stores: [store], clock: () => now });
  const open = async () => (await engine.open()).map((a) => a.key).sort();
  await check(new Date(Date.now() + DAY));
  assert.deepEqual(await open(), ['agent:cabang1'], 'silent: one cause, one alert');
  await agents.ingest({ store: 'cabang1', instance, host: 'KASIR-01', version: '0.1.0', skewMs: 0, reports: [{ seq: 3, type: 'heartbeat', beat: beat(new Date()) }] });
  await check(new Date(Date.now() + MIN));
  assert.deepEqual(await open(), ['missed:cabang1/ipos'], 'reporting again: silent resolved, the missed backup told');
});
