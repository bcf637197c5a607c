import type { StoreConfig } from '../../config/load-config.ts';
import type { AgentRecord, Agents } from '../../store/agents.ts';
import type { BackupLog } from '../../store/backup-log.ts';
import { isSilent, lowDisk } from '../agents/agent-status.ts';
import { agentJobName } from '../agents/protocol.ts';
import type { AlertEngine } from './alert-engine.ts';
import { storeParams } from './alert-messages.ts';
import { missedAlert, missedRun, setAlert } from './scheduled-runs.ts';

const MB = 1024 * 1024;
/** AGENT_SILENT_MINUTES' default, for callers that do not say. */
const DEFAULT_SILENT_MS = 30 * 60_000;

export interface AgentMonitorDeps {
  engine: Pick<AlertEngine, 'raise' | 'clear'>;
  agents?: Pick<Agents, 'list' | 'tokens'>;
  agentSilentMs?: number;
  backupLog: Pick<BackupLog, 'latest'>;
  stores: Pick<StoreConfig, 'id' | 'name' | 'timeZone'>[];
  clock: () => Date;
}

/** The alerts one store's agent can have open: a key per kind, and one per scheduled job. */
const keys = {
  silent: (store: string) => `agent:${store}`,
  disk: (store: string) => `agent-disk:${store}`,
  missed: (store: string, job: string) => `missed:${agentJobName(store, job)}`,
};

/**
 * The shop agents' dead man's switch, two causes kept apart: the agent itself gone quiet (no
 * heartbeat for AGENT_SILENT_MINUTES: the PC is off, offline, or the agent stopped), and, while
 * it is up, a scheduled backup that did not start (what the agent's heartbeat says it runs, read
 * in its zone). A silent agent's jobs are left alone: the one cause gives one alert, and the
 * missed backups are judged again once it reports. Failed runs are alerted as they arrive
 * (backupAlert, from the ingest). A low disk is the agent's own floor (DISK_MIN_FREE_MB there).
 * Only stores configured here with a live token are watched: revoking a store's tokens retires its PC.
 */
export async function checkAgents(d: AgentMonitorDeps): Promise<void> {
  if (!d.agents) return;
  const now = d.clock();
  const [agents, tokens] = await Promise.all([d.agents.list(), d.agents.tokens()]);
  const live = new Set(tokens.filter((k) => !k.revokedAt).map((k) => k.store));
  const names = agents.flatMap((a) => a.jobs.map((j) => agentJobName(a.store, j.id)));
  const latest = names.length ? await d.backupLog.latest(names) : new Map();
  for (const agent of agents) {
    const store = d.stores.find((s) => s.id === agent.store);
    if (!store || !live.has(agent.store)) {
      // A store no longer configured here, or whose tokens were all revoked (its PC retired), is no
      // longer watched: its agent cannot report, and what it had open is over.
      await clearAll(d, agent);
      continue;
    }
    const silent = isSilent(agent, d.agentSilentMs ?? DEFAULT_SILENT_MS, now);
    // An agent that sent runs but never a heartbeat last reported with its last batch.
    const lastReport = agent.beatAt ?? agent.reportAt;
    const where = { host: agent.host, ...storeParams({ timeZone: store.timeZone ?? agent.timeZone }) };
    await setAlert(d.engine, silent, { key: keys.silent(agent.store), kind: 'agent-silent', severity: 'critical', subject: store.name,
      params: { ...where, last: lastReport.toISOString(), minutes: Math.floor((now.getTime() - lastReport.getTime()) / 60_000) } });
    const low = lowDisk(agent);
    await setAlert(d.engine, Boolean(low), { key: keys.disk(agent.store), kind: 'agent-disk-low', severity: 'warning', subject: store.name,
      params: { ...where, dir: low?.dir ?? '-', free: Math.floor((low?.freeBytes ?? 0) / MB), min: Math.floor(agent.diskMinFreeBytes / MB) } });
    if (silent) continue;
    for (const job of agent.jobs) {
      if (!job.schedule) continue;
      const last = latest.get(agentJobName(agent.store, job.id))?.last;
      // The schedule comes from the agent: one it wrote that this cron cannot read is its doctor's matter, not an alert here.
      const result = await missedRun(job.schedule, agent.timeZone || undefined, last, now).catch(() => null);
      if (!result) continue;
      await setAlert(d.engine, result.missed, missedAlert(keys.missed(agent.store, job.id), agentJobName(agent.store, job.id), result.due, last,
        { ...where, agentStore: store.name, agentJob: job.id }));
    }
  }
}

async function clearAll(d: AgentMonitorDeps, agent: AgentRecord): Promise<void> {
  await d.engine.clear(keys.silent(agent.store));
  await d.engine.clear(keys.disk(agent.store));
  for (const job of agent.jobs) await d.engine.clear(keys.missed(agent.store, job.id));
}
