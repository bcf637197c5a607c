import { agentJobName } from '../../src/pipeline/agents/protocol.ts';
import type { AgentRecord, AgentToken, Agents, IngestBatch, IngestResult } from '../../src/store/agents.ts';
import { MemoryBackupLog } from './memory-backup-log.ts';

/**
 * Shop agents in memory, as PgAgents keeps them: the runs go into `log` (a MemoryBackupLog, as
 * backup_runs holds local and agent runs alike), each agent run once by its UUID.
 */
export class MemoryAgents implements Agents {
  readonly tokenList: (AgentToken & { hash: string })[] = [];
  readonly agents = new Map<string, AgentRecord>();
  /** Agent run UUID → its run id in `log`, and the seq of the report that wrote it last. */
  private readonly runs = new Map<string, { id: number; store: string; seq: number }>();

  constructor(readonly log = new MemoryBackupLog(), private readonly clock: () => Date = () => new Date()) {}

  async addToken(store: string, hash: string, createdBy: string): Promise<AgentToken> {
    const t = { id: this.tokenList.length + 1, store, hash, createdBy, createdAt: this.clock(), lastUsedAt: null, revokedAt: null };
    this.tokenList.push(t);
    return { ...t };
  }

  async revokeTokens(store: string): Promise<number> {
    const live = this.tokenList.filter((t) => t.store === store && !t.revokedAt);
    for (const t of live) t.revokedAt = this.clock();
    return live.length;
  }

  async tokens(store?: string): Promise<AgentToken[]> {
    return this.tokenList.filter((t) => !store || t.store === store).reverse().map(({ hash: _hash, ...t }) => ({ ...t }));
  }

  async useToken(hash: string): Promise<AgentToken | null> {
    const t = this.tokenList.find((x) => x.hash === hash);
    if (!t) return null;
    if (!t.revokedAt) t.lastUsedAt = this.clock();
    const { hash: _hash, ...rest } = t;
    return { ...rest };
  }

  async ingest(batch: IngestBatch): Promise<IngestResult> {
    const now = this.clock();
    const known = this.agents.get(batch.store);
    const agent: AgentRecord = known ?? { store: batch.store, instance: batch.instance, host: batch.host, version: batch.version, firstSeenAt: now,
      beatAt: null, reportAt: now, lastSeq: 0, skewMs: 0, disk: [], diskMinFreeBytes: 0, jobs: [], timeZone: '', outboxPending: 0 };
    let lastSeq = agent.instance === batch.instance ? agent.lastSeq : 0;
    const result: IngestResult = { accepted: 0, duplicates: 0, lastSeq, finished: [] };
    for (const report of [...batch.reports].sort((a, b) => a.seq - b.seq)) {
      if (report.seq <= lastSeq) { result.duplicates++; continue; }
      if (report.type === 'run') {
        const r = report.run;
        const job = agentJobName(batch.store, r.job);
        const seen = this.runs.get(r.id);
        if (!seen || (seen.store === batch.store && seen.seq < report.seq)) {
          const id = seen?.id ?? await this.log.start(job, r.trigger);
          const before = this.log.runs.find((x) => x.id === id)!;
          const wasFinished = before.status === 'success' || before.status === 'failed';
          Object.assign(before, { trigger: r.trigger, status: r.status, stage: r.stage, stages: r.stages, startedAt: new Date(r.startedAt),
            finishedAt: r.finishedAt ? new Date(r.finishedAt) : null, fileName: r.fileName, bytes: r.bytes, sha256: r.sha256,
            destinations: r.destinations, verification: r.verification, error: r.error, failure: r.failure });
          this.runs.set(r.id, { id, store: batch.store, seq: report.seq });
          if (!wasFinished && (r.status === 'success' || r.status === 'failed')) result.finished.push({ job, runId: id });
        }
      } else {
        const b = report.beat;
        Object.assign(agent, { beatAt: now, disk: b.disk, diskMinFreeBytes: b.diskMinFreeBytes, jobs: b.jobs, timeZone: b.timeZone, outboxPending: b.outboxPending });
      }
      lastSeq = report.seq;
      result.accepted++;
    }
    Object.assign(agent, { instance: batch.instance, host: batch.host, version: batch.version, reportAt: now, skewMs: Math.round(batch.skewMs), lastSeq });
    this.agents.set(batch.store, agent);
    result.lastSeq = lastSeq;
    return result;
  }

  async list(): Promise<AgentRecord[]> {
    return [...this.agents.values()].sort((a, b) => a.store.localeCompare(b.store)).map((a) => ({ ...a }));
  }

  async get(store: string): Promise<AgentRecord | null> {
    const a = this.agents.get(store);
    return a ? { ...a } : null;
  }
}
