import type pg from 'pg';
import type { AuditEntry, WebAudit } from '../web-audit.ts';

/** The audit trail in the ops database (table web_audit, migration 10). */
export class PgWebAudit implements WebAudit {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async record(e: AuditEntry): Promise<void> {
    await this.pool.query(`INSERT INTO web_audit (at, user_id, role, via, action, target, from_addr, outcome, detail)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [e.at, e.userId, e.role, e.via, e.action, e.target, e.from, e.outcome, e.detail]);
  }

  async list(limit: number, beforeId?: number): Promise<(AuditEntry & { id: number })[]> {
    const res = await this.pool.query(`SELECT * FROM web_audit WHERE ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1`,
      [Math.max(0, Math.min(limit, 1000)), Number.isSafeInteger(beforeId) ? beforeId : null]);
    return res.rows.map((r) => ({
      id: Number(r.id), at: r.at, userId: r.user_id === null ? null : Number(r.user_id), role: r.role, via: r.via, action: r.action,
      target: r.target, from: r.from_addr, outcome: r.outcome, detail: r.detail,
    }));
  }
}
