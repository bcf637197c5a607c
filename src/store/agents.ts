import type { AgentJob, AgentRun, DiskReport, Heartbeat } from '../pipeline/agents/protocol.ts';

/** A store's agent token as the head office keeps it: never the token itself, only its SHA-256. */
export interface AgentToken {
  id: number;
  store: string;
  /** Who made it ("telegram:123", "cli", "web:…"), for the audit. */
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A shop agent as its reports tell it: one per store (the newest instance wins). */
export interface AgentRecord {
  store: string;
  /** The agent's install (ReportBatch.agent.instance). */
  instance: string;
  host: string;
  version: string;
  firstSeenAt: Date;
  /** The last heartbeat's arrival, by the head office's clock (never the agent's). */
  beatAt: Date | null;
  /** The last batch's arrival. */
  reportAt: Date;
  /** The highest report seq of this instance stored. */
  lastSeq: number;
  /** How far the agent's clock was ahead of the head office's (ms) at its last batch. */
  skewMs: number;
  disk: DiskReport[];
  diskMinFreeBytes: number;
  jobs: AgentJob[];
  timeZone: string;
  outboxPending: number;
}

/** One batch's reports, already checked, with their times moved onto the head office's clock. */
export interface IngestBatch {
  store: string;
  instance: string;
  host: string;
  version: string;
  skewMs: number;
  reports: ({ seq: number; type: 'run'; run: AgentRun } | { seq: number; type: 'heartbeat'; beat: Heartbeat })[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  lastSeq: number;
  /** The runs this batch ended (success or failed) for the first time: what alerts are raised or cleared by. */
  finished: { job: string; runId: number }[];
}

/**
 * The head office's side of shop agents, in the ops database: the per-store tokens, each agent's
 * latest state, and the agents' runs, written into the same run log as local backup runs (job
 * named agentJobName(store, job)), so that /status, alerts, metrics and the dashboard read them
 * alike.
 */
export interface Agents {
  /** Stores a new token's hash for `store`; the caller made the token and shows it once. */
  addToken(store: string, tokenHash: string, createdBy: string): Promise<AgentToken>;
  /** Revokes every live token of `store`; how many were. */
  revokeTokens(store: string): Promise<number>;
  /** Tokens (of one store, or all), newest first, revoked ones included. */
  tokens(store?: string): Promise<AgentToken[]>;
  /** The token with this hash (revoked too: the caller says which it is), noting its use (to within a few minutes: lastUsedAt). */
  useToken(tokenHash: string): Promise<AgentToken | null>;
  /**
   * Applies one batch in one transaction, idempotently: a report whose seq this instance already
   * stored is a duplicate and changes nothing; a run report updates the run with the same agent
   * run id (created at its first report); a heartbeat updates the agent's state. A new instance of
   * a store's agent starts its sequence again.
   */
  ingest(batch: IngestBatch): Promise<IngestResult>;
  /** Every store's agent that ever reported, by store id. */
  list(): Promise<AgentRecord[]>;
  get(store: string): Promise<AgentRecord | null>;
}
