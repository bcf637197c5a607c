import type { StoreConfig } from '../../config/stores-from.ts';
import { t, type TextKey, type TextParams } from '../../i18n/text.ts';
import type { AgentToken, Agents, IngestBatch } from '../../store/agents.ts';
import type { BackupLog } from '../../store/backup-log.ts';
import type { AlertEngine } from '../alerts/alert-engine.ts';
import { backupAlert } from '../alerts/run-alerts.ts';
import { agentJobName, MAX_BODY_BYTES, reportBatchSchema, type AgentRun, type HelloAnswer, type Refusal, type RefusalBody, type ReportAnswer, type ReportBatch } from './protocol.ts';
import { RequestWindow } from './request-window.ts';
import { tokenHash } from './tokens.ts';

/** How often an agent beats: the head office tells it at hello (the silent-agent alert waits AGENT_SILENT_MINUTES). */
export const HEARTBEAT_SECONDS = 300;
/** Failed authentications one client address may make per minute: a token cannot be guessed fast. */
export const AUTH_FAILURES_PER_MINUTE = 20;
/** Tokens and addresses counted at once: a flood of new ones cannot grow the process without bound. */
const MAX_COUNTED = 10_000;
const MINUTE_MS = 60_000;
/** A bad report's issues, at most this many and this long each: the input is never echoed whole. */
const MAX_ISSUES = 10;
const MAX_ISSUE_CHARS = 200;

export interface IngestDeps {
  agents: Pick<Agents, 'useToken' | 'ingest'>;
  stores: readonly StoreConfig[];
  /** Where the agents' runs are read back to raise or clear their alerts as local runs do. */
  runs: Pick<BackupLog, 'get' | 'latest'>;
  alerts: AlertEngine;
  /** Hurries alert delivery, where this process delivers. */
  kick?: () => void;
  ratePerMinute: number;
  version: string;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => number;
}

/** What the API answers: a status and a JSON body (and, for 429, how long to wait). */
export interface IngestAnswer {
  status: 200 | 400 | 401 | 403 | 413 | 429 | 503;
  body: HelloAnswer | ReportAnswer | RefusalBody;
  retryAfterSeconds?: number;
}

/** Who asks: the Authorization header as sent, and the client's address. */
export interface IngestCaller {
  authorization: string | undefined;
  from: string;
}

const REFUSAL_TEXT: Record<Refusal, TextKey> = {
  'bad-report': 'ingestBadReport', 'token-missing': 'ingestTokenMissing', 'token-unknown': 'ingestTokenUnknown', 'token-revoked': 'ingestTokenRevoked',
  'wrong-store': 'ingestWrongStore', 'too-large': 'ingestTooLarge', 'rate-limited': 'ingestRateLimited', busy: 'ingestBusy',
};
const REFUSAL_STATUS: Record<Refusal, IngestAnswer['status']> = {
  'bad-report': 400, 'token-missing': 401, 'token-unknown': 401, 'token-revoked': 401, 'wrong-store': 403, 'too-large': 413, 'rate-limited': 429, busy: 503,
};

/** A refusal as the protocol says it, in both languages (`text` when another sentence fits better than the refusal's own). */
export function refusal(error: Refusal, params: TextParams = {}, extra: { issues?: string[]; retryAfterSeconds?: number; text?: TextKey } = {}): IngestAnswer {
  const key = extra.text ?? REFUSAL_TEXT[error];
  return {
    status: REFUSAL_STATUS[error], retryAfterSeconds: extra.retryAfterSeconds,
    body: { error, message: { en: t('en', key, params), id: t('id', key, params) }, ...(extra.issues ? { issues: extra.issues } : {}) },
  };
}

export const tooLarge = (): IngestAnswer => refusal('too-large', { max: MAX_BODY_BYTES / 1024 });

/** A zod issue in one short line: where, then what. */
const issueLine = (i: { path: PropertyKey[]; message: string }) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`.slice(0, MAX_ISSUE_CHARS);

/** `iso` on the head office's clock: the agent's clock was `skewMs` ahead. */
const shifted = (iso: string, skewMs: number) => new Date(Date.parse(iso) - skewMs).toISOString();

/** The run with every agent time moved onto the head office's clock. */
export function runOnOurClock(run: AgentRun, skewMs: number): AgentRun {
  return {
    ...run, startedAt: shifted(run.startedAt, skewMs), finishedAt: run.finishedAt && shifted(run.finishedAt, skewMs),
    stages: run.stages.map((s) => ({ ...s, startedAt: shifted(s.startedAt, skewMs), ...(s.endedAt ? { endedAt: shifted(s.endedAt, skewMs) } : {}) })),
  };
}

/**
 * The protocol's server side (protocol.ts), apart from HTTP: who the token is, whether it may ask
 * now, and what its reports change. Every input is untrusted; the token itself is never kept,
 * logged or echoed (only its hash is looked up).
 */
export class AgentIngest {
  private readonly perToken: RequestWindow;
  private readonly failuresPerAddress: RequestWindow;
  private readonly now: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? Date.now;
    this.perToken = new RequestWindow(deps.ratePerMinute, MINUTE_MS, MAX_COUNTED, this.now);
    this.failuresPerAddress = new RequestWindow(AUTH_FAILURES_PER_MINUTE, MINUTE_MS, MAX_COUNTED, this.now);
  }

  /** `POST …/hello`: whether the token is good, and for which store. */
  async hello(caller: IngestCaller): Promise<IngestAnswer> {
    const who = await this.authenticate(caller);
    if ('status' in who) return who;
    const s = who.store;
    const answer: HelloAnswer = {
      store: { id: s.id, name: s.name, timeZone: s.timeZone ?? 'UTC', dropboxFolder: s.source.type === 'dropbox' ? s.source.folder : null },
      headOffice: { version: this.deps.version }, heartbeatSeconds: HEARTBEAT_SECONDS,
    };
    return { status: 200, body: answer };
  }

  /** `POST …/reports`: `body` reads the request's text (bounded to MAX_BODY_BYTES), once the caller is known. */
  async reports(caller: IngestCaller, body: () => Promise<string>): Promise<IngestAnswer> {
    const arrival = this.now();
    const who = await this.authenticate(caller);
    if ('status' in who) return who;
    const batch = this.parse(await body());
    if ('status' in batch) return batch;
    // A valid token of one store reporting for another: a forgery, or an agent.json copied between shops.
    if (batch.store !== who.token.store) return refusal('wrong-store', { store: who.token.store, claimed: batch.store });
    const skewMs = Date.parse(batch.sentAt) - arrival;
    const ingest: IngestBatch = {
      store: batch.store, instance: batch.agent.instance, host: batch.agent.host, version: batch.agent.version, skewMs,
      reports: batch.reports.map((r) => (r.type === 'run' ? { ...r, run: runOnOurClock(r.run, skewMs) } : r)),
    };
    let result;
    try {
      result = await this.deps.agents.ingest(ingest);
    } catch (err) {
      this.deps.logger.warn({ store: batch.store, reason: (err as Error).message }, 'agent reports not stored; the agent retries');
      return refusal('busy');
    }
    await this.alertOn(batch, who.store, result.finished);
    return { status: 200, body: { accepted: result.accepted, duplicates: result.duplicates, lastSeq: result.lastSeq } };
  }

  /**
   * Runs this batch ended raise or clear their job's alert, exactly as a local backup run does. The
   * reports are stored by now: a failure here is logged, not answered (a retry would be a duplicate
   * and change nothing), and the monitors still see the run in the log.
   */
  private async alertOn(batch: ReportBatch, store: StoreConfig, finished: { job: string; runId: number }[]): Promise<void> {
    if (!finished.length) return;
    try {
      const latest = await this.deps.runs.latest(finished.map((f) => f.job));
      const sent = batch.reports.flatMap((r) => (r.type === 'run' ? [r.run] : []));
      for (const f of finished) {
        const run = await this.deps.runs.get(f.runId);
        if (!run) continue;
        // The log keeps English only; the agent's Indonesian text of the same failure, when it sent one.
        const same = sent.find((r) => agentJobName(batch.store, r.job) === f.job && r.error === run.error && r.errorId);
        await backupAlert(this.deps.alerts, same ? { ...run, errorId: same.errorId } : run, latest.get(f.job)?.lastGood, batch.agent.host, store);
      }
      this.deps.kick?.();
    } catch (err) {
      this.deps.logger.error({ store: batch.store, reason: (err as Error).message }, 'agent runs stored but their alerts could not be raised');
    }
  }

  private parse(body: string): ReportBatch | IngestAnswer {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      return refusal('bad-report', { version: this.deps.version }, { issues: ['(body): not JSON'] });
    }
    const parsed = reportBatchSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.slice(0, MAX_ISSUES).map(issueLine);
    return refusal('bad-report', { version: this.deps.version }, { issues });
  }

  /**
   * The token's record and its configured store, or the refusal: an address that failed too often
   * is held off before any lookup, and a token over its rate before the database is asked.
   */
  private async authenticate(caller: IngestCaller): Promise<{ token: AgentToken; store: StoreConfig } | IngestAnswer> {
    const wait = this.failuresPerAddress.retryAfter(caller.from);
    if (wait) return refusal('rate-limited', { seconds: wait }, { retryAfterSeconds: wait });
    const bearer = /^Bearer\s+(\S{1,500})$/i.exec(caller.authorization ?? '')?.[1];
    if (!bearer) return this.failed(caller, refusal('token-missing'));
    const hash = tokenHash(bearer);
    const over = this.perToken.retryAfter(hash);
    if (over) return refusal('rate-limited', { seconds: over }, { retryAfterSeconds: over });
    let token: AgentToken | null;
    try {
      token = await this.deps.agents.useToken(hash);
    } catch (err) {
      this.deps.logger.warn({ reason: (err as Error).message }, 'agent token could not be checked; the agent retries');
      return refusal('busy');
    }
    if (!token) return this.failed(caller, refusal('token-unknown'));
    if (token.revokedAt) return this.failed(caller, refusal('token-revoked', { store: token.store }));
    // Counted only once known: unknown tokens never take room from real ones.
    this.perToken.take(hash);
    const store = this.deps.stores.find((s) => s.id === token.store);
    if (!store) return refusal('wrong-store', { store: token.store }, { text: 'ingestStoreUnknown' });
    return { token, store };
  }

  private failed(caller: IngestCaller, answer: IngestAnswer): IngestAnswer {
    this.failuresPerAddress.take(caller.from);
    return answer;
  }
}
