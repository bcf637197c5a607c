import type pg from 'pg';
import type { Role } from '../../config/sections.ts';
import { publicId, SEEN_PRECISION_MS, type RefusedLink, type SessionInfo, type SessionOrigin, type WebAuth, type WebUser } from '../web-auth.ts';

/** The shape of every hash the dashboard makes (sha256, hex); nothing else is sent to the server (a NUL alone would make it fail). */
const HASH = /^[0-9a-f]{64}$/;

const PUBLIC_ID = /^[0-9a-f]{16}$/;

const userOf = (row: { user_id: string; role: string }): WebUser => ({ userId: Number(row.user_id), role: row.role as Role });

/** Sign-in links and sessions in the ops database (tables web_links and web_sessions, migration 9). */
export class PgWebAuth implements WebAuth {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async addLink(tokenHash: string, user: WebUser, expiresAt: Date): Promise<void> {
    // Links are few and short-lived: those long expired go as a new one is made.
    await this.pool.query("DELETE FROM web_links WHERE expires_at < now() - interval '1 day'");
    await this.pool.query('INSERT INTO web_links (token_hash, user_id, role, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenHash, user.userId, user.role, expiresAt]);
  }

  async useLink(tokenHash: string, now: Date): Promise<WebUser | RefusedLink> {
    if (!HASH.test(tokenHash)) return 'unknown';
    // One UPDATE decides: of two requests at once, only one finds used_at still empty.
    const used = await this.pool.query(`UPDATE web_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
      RETURNING user_id, role`, [tokenHash, now]);
    if (used.rows[0]) return userOf(used.rows[0]);
    const found = await this.pool.query('SELECT used_at FROM web_links WHERE token_hash = $1', [tokenHash]);
    if (!found.rows[0]) return 'unknown';
    return found.rows[0].used_at ? 'used' : 'expired';
  }

  async addSession(idHash: string, user: WebUser, expiresAt: Date, origin?: SessionOrigin): Promise<void> {
    await this.pool.query('DELETE FROM web_sessions WHERE expires_at < now()');
    await this.pool.query('INSERT INTO web_sessions (id_hash, user_id, role, expires_at, from_addr, agent) VALUES ($1, $2, $3, $4, $5, $6)',
      [idHash, user.userId, user.role, expiresAt, origin?.from ?? null, origin?.agent ?? null]);
  }

  async session(idHash: string, now: Date): Promise<WebUser | null> {
    if (!HASH.test(idHash)) return null;
    // Read, and written only when last seen a while ago: a read alone commits without waiting for the disk.
    const res = await this.pool.query(`WITH found AS (SELECT user_id, role FROM web_sessions WHERE id_hash = $1 AND expires_at > $2),
      seen AS (UPDATE web_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND expires_at > $2 AND (last_seen_at IS NULL OR last_seen_at < $3))
      SELECT user_id, role FROM found`, [idHash, now, new Date(now.getTime() - SEEN_PRECISION_MS)]);
    return res.rows[0] ? userOf(res.rows[0]) : null;
  }

  async sessions(now: Date): Promise<SessionInfo[]> {
    const res = await this.pool.query(`SELECT * FROM web_sessions WHERE expires_at > $1
      ORDER BY coalesce(last_seen_at, created_at) DESC, id_hash`, [now]);
    return res.rows.map((r) => ({
      ...userOf(r), id: publicId(r.id_hash), createdAt: r.created_at, expiresAt: r.expires_at, lastSeenAt: r.last_seen_at, from: r.from_addr, agent: r.agent,
    }));
  }

  async revokeSession(id: string): Promise<boolean> {
    if (!PUBLIC_ID.test(id)) return false;
    const res = await this.pool.query('DELETE FROM web_sessions WHERE left(id_hash, 16) = $1', [id]);
    return (res.rowCount ?? 0) > 0;
  }
}
