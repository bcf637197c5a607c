import type pg from 'pg';
import type { Role } from '../../config/sections.ts';
import type { TokenKind, WebToken, WebTokens } from '../web-tokens.ts';

const HASH = /^[0-9a-f]{64}$/;

const tokenOf = (r: Record<string, unknown>): WebToken => ({
  id: Number(r.id), kind: r.kind as TokenKind, name: String(r.name), role: r.role as Role, createdBy: Number(r.created_by),
  createdAt: r.created_at as Date, lastUsedAt: (r.last_used_at as Date | null) ?? null,
});

/** API and kiosk tokens in the ops database (table web_tokens, migration 10). */
export class PgWebTokens implements WebTokens {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async add(kind: TokenKind, tokenHash: string, t: { name: string; role: Role; createdBy: number }): Promise<WebToken> {
    const res = await this.pool.query('INSERT INTO web_tokens (kind, token_hash, name, role, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [kind, tokenHash, t.name, t.role, t.createdBy]);
    return tokenOf(res.rows[0]);
  }

  async find(kind: TokenKind, tokenHash: string, now: Date): Promise<WebToken | null> {
    if (!HASH.test(tokenHash)) return null;
    const res = await this.pool.query(`UPDATE web_tokens SET last_used_at = $3 WHERE kind = $1 AND token_hash = $2 AND revoked_at IS NULL
      RETURNING *`, [kind, tokenHash, now]);
    return res.rows[0] ? tokenOf(res.rows[0]) : null;
  }

  async list(kind: TokenKind): Promise<WebToken[]> {
    const res = await this.pool.query('SELECT * FROM web_tokens WHERE kind = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC', [kind]);
    return res.rows.map(tokenOf);
  }

  async revoke(kind: TokenKind, id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return false;
    const res = await this.pool.query('UPDATE web_tokens SET revoked_at = now() WHERE kind = $1 AND id = $2 AND revoked_at IS NULL', [kind, id]);
    return (res.rowCount ?? 0) > 0;
  }
}
