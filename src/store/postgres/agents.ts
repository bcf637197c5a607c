import type pg from 'pg';
import { agentJobName, type AgentRun } from '../../pipeline/agents/protocol.ts';
import type { AgentRecord, AgentToken, Agents, IngestBatch, IngestResult } from '../agents.ts';
import { inTransaction } from './in-transaction.ts';

const toToken = (r: Record<string, unknown>): AgentToken => ({
  id: r.id as number, store: r.store as string, createdBy: r.created_by as string, createdAt: r.created_at as Date,
  lastUsedAt: r.last_used_at as Date | null, revokedAt: r.revoked_at as Date | null,
});

const toAgent = (r: Record<string, unknown>): AgentRecord => ({
  store: r.store as string, instance: r.instance as string, host: r.host as string, version: r.version as string,
  firstSeenAt: r.first_seen_at as Date, beatAt: r.beat_at as Date | null, reportAt: r.report_at as Date,
  lastSeq: Number(r.last_seq), skewMs: Number(r.skew_ms), disk: r.disk as AgentRecord['disk'], diskMinFreeBytes: Number(r.disk_min_free),
  jobs: r.jobs as AgentRecord['jobs'], timeZone: r.time_zone as string, outboxPending: r.outbox_pending as number,
});

const FINISHED = new Set(['success', 'failed']);

/**
 * Writes one run report: the first report of a run creates its record, a later one (higher seq)
 * replaces what it says; the record's id is the run's id in the backup run log. Answers whether
 * this report ended the run (it was not ended before).
 */
async function putRun(c: pg.PoolClient, store: string, seq: number, run: AgentRun): Promise<{ runId: number; finished: boolean }> {
  const before = await c.query('SELECT id, status FROM backup_runs WHERE agent_run = $1', [run.id]);
  const values = [agentJobName(store, run.job), run.trigger, run.status, run.stage, JSON.stringify(run.stages), run.startedAt, run.finishedAt,
    run.fileName, run.bytes, run.sha256, JSON.stringify(run.destinations), run.verification && JSON.stringify(run.verification), run.error,
    run.failure && JSON.stringify(run.failure), run.id, seq];
  const res = await c.query(`INSERT INTO backup_runs (job, trigger, status, stage, stages, started_at, finished_at, file_name, bytes, sha256,
      destinations, verification, error, failure, agent_run, agent_seq)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT (agent_run) DO UPDATE SET trigger = EXCLUDED.trigger, status = EXCLUDED.status, stage = EXCLUDED.stage, stages = EXCLUDED.stages,
      started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, file_name = EXCLUDED.file_name, bytes = EXCLUDED.bytes,
      sha256 = EXCLUDED.sha256, destinations = EXCLUDED.destinations, verification = EXCLUDED.verification, error = EXCLUDED.error,
      failure = EXCLUDED.failure, agent_seq = EXCLUDED.agent_seq
    WHERE backup_runs.agent_seq < EXCLUDED.agent_seq AND backup_runs.job = EXCLUDED.job
    RETURNING id`, values);
  const was = before.rows[0] as { id: string; status: string } | undefined;
  // No row back: the run id is another store's, or this report is older than what is stored; it changes nothing.
  if (!res.rows[0]) return { runId: was ? Number(was.id) : 0, finished: false };
  return { runId: Number(res.rows[0].id), finished: FINISHED.has(run.status) && !(was && FINISHED.has(was.status)) };
}

/** Shop agents in the ops database: tables agent_tokens and agents, their runs in backup_runs. */
export class PgAgents implements Agents {
  constructor(private readonly pool: pg.Pool) {}

  async addToken(store: string, tokenHash: string, createdBy: string): Promise<AgentToken> {
    const res = await this.pool.query('INSERT INTO agent_tokens (store, token_hash, created_by) VALUES ($1, $2, $3) RETURNING *', [store, tokenHash, createdBy]);
    return toToken(res.rows[0]);
  }

  async revokeTokens(store: string): Promise<number> {
    const res = await this.pool.query('UPDATE agent_tokens SET revoked_at = now() WHERE store = $1 AND revoked_at IS NULL', [store]);
    return res.rowCount ?? 0;
  }

  async tokens(store?: string): Promise<AgentToken[]> {
    const res = await this.pool.query('SELECT * FROM agent_tokens WHERE ($1::text IS NULL OR store = $1) ORDER BY created_at DESC, id DESC', [store ?? null]);
    return res.rows.map(toToken);
  }

  async useToken(tokenHash: string): Promise<AgentToken | null> {
    const res = await this.pool.query(`UPDATE agent_tokens SET last_used_at = CASE WHEN revoked_at IS NULL THEN now() ELSE last_used_at END
      WHERE token_hash = $1 RETURNING *`, [tokenHash]);
    return res.rows[0] ? toToken(res.rows[0]) : null;
  }

  ingest(batch: IngestBatch): Promise<IngestResult> {
    return inTransaction(this.pool, async (c) => {
      // One batch of a store at a time: the row lock orders them, so seq checks never race.
      await c.query(`INSERT INTO agents (store, instance, host, version) VALUES ($1, $2, $3, $4) ON CONFLICT (store) DO NOTHING`,
        [batch.store, batch.instance, batch.host, batch.version]);
      const row = (await c.query('SELECT instance, last_seq FROM agents WHERE store = $1 FOR UPDATE', [batch.store])).rows[0] as { instance: string; last_seq: string };
      // A reinstalled agent (new instance) numbers its reports from 1 again.
      let lastSeq = row.instance === batch.instance ? Number(row.last_seq) : 0;
      const result: IngestResult = { accepted: 0, duplicates: 0, lastSeq, finished: [] };
      for (const report of [...batch.reports].sort((a, b) => a.seq - b.seq)) {
        if (report.seq <= lastSeq) { result.duplicates++; continue; }
        if (report.type === 'run') {
          const put = await putRun(c, batch.store, report.seq, report.run);
          if (put.finished) result.finished.push({ job: agentJobName(batch.store, report.run.job), runId: put.runId });
        } else {
          const b = report.beat;
          await c.query(`UPDATE agents SET beat_at = now(), disk = $2, disk_min_free = $3, jobs = $4, time_zone = $5, outbox_pending = $6 WHERE store = $1`,
            [batch.store, JSON.stringify(b.disk), b.diskMinFreeBytes, JSON.stringify(b.jobs), b.timeZone, b.outboxPending]);
        }
        lastSeq = report.seq;
        result.accepted++;
      }
      await c.query(`UPDATE agents SET instance = $2, host = $3, version = $4, report_at = now(), skew_ms = $5, last_seq = $6 WHERE store = $1`,
        [batch.store, batch.instance, batch.host, batch.version, Math.round(batch.skewMs), lastSeq]);
      result.lastSeq = lastSeq;
      return result;
    });
  }

  async list(): Promise<AgentRecord[]> {
    return (await this.pool.query('SELECT * FROM agents ORDER BY store')).rows.map(toAgent);
  }

  async get(store: string): Promise<AgentRecord | null> {
    const res = await this.pool.query('SELECT * FROM agents WHERE store = $1', [store]);
    return res.rows[0] ? toAgent(res.rows[0]) : null;
  }
}
