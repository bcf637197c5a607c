import type { StoreConfig } from '../../config/load-config.ts';
import { STORE_ZONE } from '../../config/time-zone.ts';
import type { AgentRecord, Agents } from '../../store/agents.ts';
import type { BackupLog, BackupRun, BackupStatus } from '../../store/backup-log.ts';
import type { DiskReport } from './protocol.ts';
import { agentJobName } from './protocol.ts';

/** Beyond this, a shop PC's clock is worth telling about (its run times are moved by it at the head office). */
export const SKEW_SHOWN_MS = 2 * 60_000;

/** A run of an agent's job, as the status shows it. */
export interface AgentRunSummary {
  status: BackupStatus;
  startedAt: Date;
  finishedAt: Date | null;
  fileName: string | null;
  bytes: number | null;
  error: string | null;
}

export interface AgentJobStatus {
  /** The job's id on the agent ("nightly"). */
  id: string;
  /** Its name at the head office: run log, alerts, metrics ("cabang1/nightly"). */
  name: string;
  type: string;
  schedule: string | null;
  nextRun: Date | null;
  last: AgentRunSummary | null;
  lastGood: AgentRunSummary | null;
}

/** A store's shop agent as /status, `tokobot status`, the metrics and the dashboard show it. */
export interface AgentStatus {
  store: string;
  /** The store's name at the head office, or its id when it is not (or no longer) configured there. */
  name: string;
  configured: boolean;
  /** The zone the store's times are shown in: the store's, else the agent's. */
  zone: string;
  host: string;
  version: string;
  beatAt: Date | null;
  /** Since the last heartbeat (head office clock); null before the first. */
  beatAgeMs: number | null;
  /** No heartbeat for longer than `silentMs` (AGENT_SILENT_MINUTES). */
  silent: boolean;
  silentMs: number;
  disk: DiskReport[];
  diskMinFreeBytes: number;
  /** The folder with the least free space, when one is below the agent's floor. */
  diskLow: DiskReport | null;
  skewMs: number;
  outboxPending: number;
  jobs: AgentJobStatus[];
}

export interface AgentStatusReads {
  agents: Pick<Agents, 'list'>;
  backupLog: Pick<BackupLog, 'latest'>;
  stores: Pick<StoreConfig, 'id' | 'name' | 'timeZone'>[];
  silentMs: number;
}

const summary = (r: BackupRun | undefined): AgentRunSummary | null => (r
  ? { status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, fileName: r.fileName, bytes: r.bytes, error: r.error }
  : null);

/** Whether the agent's last heartbeat is older than `silentMs` (or it never sent one). */
export function isSilent(a: Pick<AgentRecord, 'beatAt'>, silentMs: number, now: Date): boolean {
  return !a.beatAt || now.getTime() - a.beatAt.getTime() > silentMs;
}

/** The folder whose free space is below the agent's floor (the emptiest), or null. */
export function lowDisk(a: Pick<AgentRecord, 'disk' | 'diskMinFreeBytes'>): DiskReport | null {
  if (!(a.diskMinFreeBytes > 0)) return null;
  const low = a.disk.filter((d) => d.freeBytes < a.diskMinFreeBytes).sort((x, y) => x.freeBytes - y.freeBytes);
  return low[0] ?? null;
}

/** Every agent that ever reported, by store id, with its jobs' last and last good runs (one run log query for all). */
export async function agentStatuses(r: AgentStatusReads, now = new Date()): Promise<AgentStatus[]> {
  const agents = (await r.agents.list()).sort((a, b) => a.store.localeCompare(b.store));
  if (!agents.length) return [];
  const names = agents.flatMap((a) => a.jobs.map((j) => agentJobName(a.store, j.id)));
  const latest = names.length ? await r.backupLog.latest(names) : new Map();
  return agents.map((a) => {
    const store = r.stores.find((s) => s.id === a.store);
    return {
      store: a.store, name: store?.name ?? a.store, configured: Boolean(store), zone: store?.timeZone ?? (a.timeZone || STORE_ZONE),
      host: a.host, version: a.version, beatAt: a.beatAt, beatAgeMs: a.beatAt ? Math.max(0, now.getTime() - a.beatAt.getTime()) : null,
      silent: isSilent(a, r.silentMs, now), silentMs: r.silentMs, disk: a.disk, diskMinFreeBytes: a.diskMinFreeBytes, diskLow: lowDisk(a),
      skewMs: a.skewMs, outboxPending: a.outboxPending,
      jobs: a.jobs.map((j) => {
        const name = agentJobName(a.store, j.id);
        const runs = latest.get(name);
        return { id: j.id, name, type: j.type, schedule: j.schedule, nextRun: j.nextRun ? new Date(j.nextRun) : null, last: summary(runs?.last), lastGood: summary(runs?.lastGood) };
      }),
    };
  });
}

/** Whether an agent needs looking at: silent, short of disk, or a job's last run failed. */
export function agentTrouble(a: AgentStatus): 'error' | 'warning' | null {
  if (a.silent || a.jobs.some((j) => j.last?.status === 'failed')) return 'error';
  return a.diskLow ? 'warning' : null;
}
