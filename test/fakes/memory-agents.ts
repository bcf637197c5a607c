import type { AgentRecord, AgentToken, Agents, IngestBatch, IngestResult } from '../../src/store/agents.ts';

/**
 * The head office's Agents store in memory, for the front ends' and monitors' unit tests: tokens
 * as PgAgents keeps them, agents' state set by the test (`put`). ingest() only records heartbeats'
 * state; runs belong to the real store's tests.
 */
export class MemoryAgents implements Agents {
  readonly tokenList: (AgentToken & { hash: string })[] = [];
  readonly agents = new Map<string, AgentRecord>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Sets a store's agent as its reports would have (the defaults: a healthy agent with no jobs). */
  put(store: string, fields: Partial<AgentRecord> = {}): AgentRecord {
    const now = this.clock();
    const record: AgentRecord = { store, instance: '00000000-0000-4000-8000-000000000000', host: `pc-${store}`, version: '1.0.0', firstSeenAt: now, beatAt: now,
      reportAt: now, lastSeq: 1, skewMs: 0, disk: [], diskMinFreeBytes: 0, jobs: [], timeZone: 'Asia/Jakarta', outboxPending: 0, ...fields };
    this.agents.set(store, record);
    return record;
  }

  async addToken(store: string, tokenHash: string, createdBy: string): Promise<AgentToken> {
    const token = { id: this.tokenList.length + 1, store, createdBy, createdAt: this.clock(), lastUsedAt: null, revokedAt: null, hash: tokenHash };
    this.tokenList.push(token);
    return strip(token);
  }

  async revokeTokens(store: string): Promise<number> {
    const live = this.tokenList.filter((t) => t.store === store && !t.revokedAt);
    for (const t of live) t.revokedAt = this.clock();
    return live.length;
  }

  async tokens(store?: string): Promise<AgentToken[]> {
    return this.tokenList.filter((t) => !store || t.store === store).map(strip).reverse();
  }

  async useToken(tokenHash: string): Promise<AgentToken | null> {
    const t = this.tokenList.find((x) => x.hash === tokenHash);
    if (!t) return null;
    t.lastUsedAt = this.clock();
    return strip(t);
  }

  async ingest(batch: IngestBatch): Promise<IngestResult> {
    for (const r of batch.reports) {
      if (r.type !== 'heartbeat') continue;
      this.put(batch.store, { instance: batch.instance, host: batch.host, version: batch.version, skewMs: batch.skewMs, disk: r.beat.disk,
        diskMinFreeBytes: r.beat.diskMinFreeBytes, jobs: r.beat.jobs, timeZone: r.beat.timeZone, outboxPending: r.beat.outboxPending, lastSeq: r.seq });
    }
    return { accepted: batch.reports.length, duplicates: 0, lastSeq: batch.reports.at(-1)?.seq ?? 0, finished: [] };
  }

  async list(): Promise<AgentRecord[]> {
    return [...this.agents.values()];
  }

  async get(store: string): Promise<AgentRecord | null> {
    return this.agents.get(store) ?? null;
  }
}

const strip = ({ hash: _hash, ...t }: AgentToken & { hash: string }): AgentToken => ({ ...t });
