import type { StoreConfig } from '../../src/config/load-config.ts';
import { agentStatuses } from '../../src/pipeline/agents/agent-status.ts';
import type { WebAgents } from '../../src/web/routes/agents.tsx';
import type { AgentRecord } from '../../src/store/agents.ts';
import { MemoryAgents } from '../fakes/memory-agents.ts';
import { MemoryBackupLog } from '../fakes/memory-backup-log.ts';

const MIN = 60_000;

/** Sets a store's agent as its reports would have left it (by default a healthy one, beating at `now`, with no jobs). */
export function putAgent(agents: MemoryAgents, now: Date, store: string, fields: Partial<AgentRecord> = {}): AgentRecord {
  const record: AgentRecord = { store, instance: '00000000-0000-4000-8000-000000000000', host: `pc-${store}`, version: '1.0.0', firstSeenAt: now, beatAt: now,
    reportAt: now, lastSeq: 1, skewMs: 0, disk: [], diskMinFreeBytes: 0, jobs: [], timeZone: 'Asia/Jakarta', outboxPending: 0, ...fields };
  agents.agents.set(store, record);
  return record;
}
const GB = 1024 ** 3;
export const SILENT_MS = 30 * MIN;

/**
 * Two shop agents as their reports left them at `now`: `a` healthy (its nightly backup good,
 * 6 minutes since its heartbeat, a clock 3 minutes fast, 2 reports queued); `b` silent for 2 hours,
 * short of disk, its last backup failed. The run log and agents store are in memory.
 */
export async function agentWorld(now: Date, stores: Pick<StoreConfig, 'id' | 'name' | 'timeZone'>[]) {
  let clock = now;
  const log = new MemoryBackupLog(() => clock);
  const agents = new MemoryAgents(log, () => clock);
  const nightly = { id: 'nightly', type: 'postgres' as const, schedule: '0 2 * * *', nextRun: null };
  const at = (ms: number) => { clock = new Date(now.getTime() - ms); };
  at(8 * 3_600_000);
  const good = await log.start('a/nightly', 'schedule');
  await log.update(good, { fileName: 'a-20261129.i5bu', bytes: 36_700_160 }, 'success');
  const goodB = await log.start('b/nightly', 'schedule');
  await log.update(goodB, { fileName: 'b-20261128.i5bu', bytes: 20_000_000 }, 'success');
  at(3 * 3_600_000);
  const bad = await log.start('b/nightly', 'schedule');
  await log.update(bad, { error: 'pg_dump: connection refused' }, 'failed');
  clock = now;
  putAgent(agents, now, 'a', { host: 'KASIR-A', version: '1.4.0', beatAt: new Date(now.getTime() - 6 * MIN), skewMs: 3 * MIN, outboxPending: 2, jobs: [nightly],
    disk: [{ dir: 'D:\\tokobot', freeBytes: 120 * GB, totalBytes: 500 * GB }], diskMinFreeBytes: 2 * GB });
  putAgent(agents, now, 'b', { host: 'KASIR-B', version: '1.3.9', beatAt: new Date(now.getTime() - 2 * 3_600_000), jobs: [nightly],
    disk: [{ dir: '/var/lib/tokobot', freeBytes: 0.5 * GB, totalBytes: 50 * GB }], diskMinFreeBytes: 2 * GB });
  const web: WebAgents = { statuses: () => agentStatuses({ agents, backupLog: log, stores, silentMs: SILENT_MS }, now), store: agents };
  return { agents, log, web };
}
