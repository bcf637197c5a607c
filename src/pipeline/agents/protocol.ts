import { z } from 'zod';
import { ERROR_KINDS, ERROR_SYSTEMS } from '../../errors.ts';

/**
 * What a shop agent (`tokobot agent`) and the head office's tokobot say to each other: JSON over
 * HTTPS, the store's token in `Authorization: Bearer …`. Both sides parse with these schemas, so a
 * field changes in one place. Every request is untrusted on the head office's side.
 *
 *   POST {base}/api/agent/v1/hello    {}           → HelloAnswer   (enrol, doctor: is the token good?)
 *   POST {base}/api/agent/v1/reports  ReportBatch  → ReportAnswer
 *
 * Refusals answer with a status and a RefusalBody: 400 bad-report, 401 token-missing,
 * token-unknown or token-revoked, 403 wrong-store, 413 too-large, 429 rate-limited (with
 * Retry-After in seconds), 503 busy (the head office cannot store reports now; try later).
 */
export const PROTOCOL_PATH = '/api/agent/v1';

/** The most reports in one batch, and the largest request body the head office reads. */
export const MAX_BATCH = 200;
export const MAX_BODY_BYTES = 512 * 1024;

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/);
const iso = z.string().datetime({ offset: true });
const text = (max: number) => z.string().max(max);

const stage = z.object({ name: text(40), startedAt: iso, endedAt: iso.optional() }).strict();
const copy = z.object({ destination: text(500), location: text(1000).optional(), error: text(2000).optional() }).strict();
/** The most tables of a run's restore check a report carries (iPOS has about 300); a longer check is sent with its differing tables only. */
export const MAX_CHECKED_TABLES = 2000;
const count = z.number().int().nonnegative();
const tableRows = z.object({ table: text(200), source: count.nullable(), restored: count.nullable() }).strict();
/** Optional: agents before issue 17 send none. */
const restoreCheck = z.object({
  checked: count, mismatches: count, tables: z.array(tableRows).max(MAX_CHECKED_TABLES), notMade: z.enum(['lz4', 'zstd', 'newer-format']).optional(),
}).strict();
const verification = z.object({ ok: z.boolean(), detail: text(2000), tables: count.optional(), rows: count.optional(), restoreCheck: restoreCheck.optional() }).strict();

/** One backup run on the agent, whole, as it stands at the moment of the report (start, each stage, end). */
export const agentRunSchema = z.object({
  /** The agent's own id of the run (a UUID): the same run reported again updates one record. */
  id: z.string().uuid(),
  job: id,
  jobType: z.enum(['postgres', 'mysql']),
  trigger: text(40),
  status: z.enum(['pending', 'running', 'success', 'failed']),
  stage: text(40).nullable(),
  stages: z.array(stage).max(20),
  /** The agent's clock; the head office moves them by the batch's skew. */
  startedAt: iso,
  finishedAt: iso.nullable(),
  fileName: text(255).nullable(),
  bytes: z.number().int().nonnegative().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  destinations: z.array(copy).max(20),
  verification: verification.nullable(),
  /** English (what run logs keep), and the Indonesian when the agent had it. */
  error: text(4000).nullable(),
  errorId: text(4000).optional(),
  failure: z.object({ kind: z.enum(ERROR_KINDS), system: z.enum(ERROR_SYSTEMS) }).strict().nullable(),
}).strict();
export type AgentRun = z.infer<typeof agentRunSchema>;

/** The free space of one folder the agent writes to. */
export const diskSchema = z.object({ dir: text(1000), freeBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }).strict();
export type DiskReport = z.infer<typeof diskSchema>;

/** One backup job the agent runs, as its heartbeat tells it (the head office knows the agent's jobs from these). */
export const agentJobSchema = z.object({ id, type: z.enum(['postgres', 'mysql']), schedule: text(100).nullable(), nextRun: iso.nullable() }).strict();
export type AgentJob = z.infer<typeof agentJobSchema>;

/** The agent is alive: sent every few minutes, and at start. */
export const heartbeatSchema = z.object({
  at: iso,
  /** When the agent process started (agent clock). */
  startedAt: iso,
  timeZone: text(64),
  disk: z.array(diskSchema).max(20),
  jobs: z.array(agentJobSchema).max(50),
  /** Reports waiting in the agent's outbox besides this batch. */
  outboxPending: z.number().int().nonnegative(),
  /** The disk's free-space floor the agent was set up with (DISK_MIN_FREE_MB), in bytes. */
  diskMinFreeBytes: z.number().nonnegative(),
}).strict();
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export const reportSchema = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int().positive(), type: z.literal('run'), run: agentRunSchema }).strict(),
  z.object({ seq: z.number().int().positive(), type: z.literal('heartbeat'), beat: heartbeatSchema }).strict(),
]);
export type Report = z.infer<typeof reportSchema>;

/**
 * Reports in the order the agent made them (seq grows by one per report of one agent instance).
 * `instance` is the agent's install (a UUID written at enrolment): a reinstalled agent starts its
 * sequence again under a new instance.
 */
export const reportBatchSchema = z.object({
  store: id,
  agent: z.object({ instance: z.string().uuid(), host: text(255), version: text(40) }).strict(),
  /** The agent's clock when it sent this batch: the head office's arrival time minus this is the skew. */
  sentAt: iso,
  reports: z.array(reportSchema).min(1).max(MAX_BATCH),
}).strict();
export type ReportBatch = z.infer<typeof reportBatchSchema>;

/** The head office took the batch: `lastSeq` is the highest seq it holds of this instance (everything up to it can go). */
export const reportAnswerSchema = z.object({ accepted: z.number().int().nonnegative(), duplicates: z.number().int().nonnegative(), lastSeq: z.number().int().nonnegative() }).strict();
export type ReportAnswer = z.infer<typeof reportAnswerSchema>;

/** The token is good: which store it is for, and where that store's backups are expected. */
export const helloAnswerSchema = z.object({
  store: z.object({ id, name: text(200), timeZone: text(64), dropboxFolder: text(1000).nullable() }).strict(),
  headOffice: z.object({ version: text(40) }).strict(),
  heartbeatSeconds: z.number().int().positive(),
}).strict();
export type HelloAnswer = z.infer<typeof helloAnswerSchema>;

export const REFUSALS = ['bad-report', 'token-missing', 'token-unknown', 'token-revoked', 'wrong-store', 'too-large', 'rate-limited', 'busy'] as const;
export type Refusal = typeof REFUSALS[number];

/** What a refusal's body says: the reason, and what to do in both of the owner's languages. */
export const refusalBodySchema = z.object({ error: z.enum(REFUSALS), message: z.object({ en: z.string(), id: z.string() }), issues: z.array(z.string()).optional() });
export type RefusalBody = z.infer<typeof refusalBodySchema>;

/** The name a job of an agent's store goes by at the head office (run log, alerts, metrics): never a configured job's id (they have no '/'). */
export function agentJobName(store: string, job: string): string {
  return `${store}/${job}`;
}
