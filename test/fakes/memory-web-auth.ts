import { publicId, SEEN_PRECISION_MS, type RefusedLink, type SessionInfo, type SessionOrigin, type WebAuth, type WebUser } from '../../src/store/web-auth.ts';
import type { AuditEntry, WebAudit } from '../../src/store/web-audit.ts';
import type { TokenKind, WebToken, WebTokens } from '../../src/store/web-tokens.ts';

/** Sign-in links and sessions for unit tests, kept as the database keeps them (hashes, expiry, used). */
export class MemoryWebAuth implements WebAuth {
  readonly links = new Map<string, { user: WebUser; expiresAt: Date; usedAt: Date | null }>();
  readonly sessionRows = new Map<string, { user: WebUser; createdAt: Date; expiresAt: Date; lastSeenAt: Date | null; origin: SessionOrigin }>();

  async addLink(tokenHash: string, user: WebUser, expiresAt: Date): Promise<void> {
    this.links.set(tokenHash, { user: { ...user }, expiresAt, usedAt: null });
  }

  async useLink(tokenHash: string, now: Date): Promise<WebUser | RefusedLink> {
    const link = this.links.get(tokenHash);
    if (!link) return 'unknown';
    if (link.usedAt) return 'used';
    if (link.expiresAt <= now) return 'expired';
    link.usedAt = now;
    return { ...link.user };
  }

  async addSession(idHash: string, user: WebUser, expiresAt: Date, origin?: SessionOrigin): Promise<void> {
    this.sessionRows.set(idHash, { user: { ...user }, createdAt: new Date(), expiresAt, lastSeenAt: null, origin: origin ?? { from: null, agent: null } });
  }

  async session(idHash: string, now: Date): Promise<WebUser | null> {
    const s = this.sessionRows.get(idHash);
    if (!s || s.expiresAt <= now) return null;
    if (!s.lastSeenAt || s.lastSeenAt.getTime() < now.getTime() - SEEN_PRECISION_MS) s.lastSeenAt = now;
    return { ...s.user };
  }

  async sessions(now: Date): Promise<SessionInfo[]> {
    const seen = (s: SessionInfo) => (s.lastSeenAt ?? s.createdAt).getTime();
    return [...this.sessionRows].filter(([, s]) => s.expiresAt > now)
      .map(([hash, s]): SessionInfo => ({ ...s.user, ...s.origin, id: publicId(hash), createdAt: s.createdAt, expiresAt: s.expiresAt, lastSeenAt: s.lastSeenAt }))
      .sort((a, b) => seen(b) - seen(a) || a.id.localeCompare(b.id));
  }

  async revokeSession(id: string): Promise<boolean> {
    const hash = /^[0-9a-f]{16}$/.test(id) ? [...this.sessionRows.keys()].find((h) => publicId(h) === id) : undefined;
    return hash !== undefined && this.sessionRows.delete(hash);
  }
}

/** API and kiosk tokens for unit tests. */
export class MemoryWebTokens implements WebTokens {
  private readonly rows: (WebToken & { hash: string; revoked: boolean })[] = [];

  async add(kind: TokenKind, tokenHash: string, t: { name: string; role: WebToken['role']; createdBy: number }): Promise<WebToken> {
    const row = { id: this.rows.length + 1, kind, ...t, createdAt: new Date(), lastUsedAt: null, hash: tokenHash, revoked: false };
    this.rows.push(row);
    return strip(row);
  }

  async find(kind: TokenKind, tokenHash: string, now: Date): Promise<WebToken | null> {
    const row = this.rows.find((r) => r.kind === kind && r.hash === tokenHash && !r.revoked);
    if (!row) return null;
    row.lastUsedAt = now;
    return strip(row);
  }

  async list(kind: TokenKind): Promise<WebToken[]> {
    return this.rows.filter((r) => r.kind === kind && !r.revoked).reverse().map(strip);
  }

  async revoke(kind: TokenKind, id: number): Promise<boolean> {
    const row = this.rows.find((r) => r.kind === kind && r.id === id && !r.revoked);
    if (row) row.revoked = true;
    return row !== undefined;
  }
}

function strip({ hash: _hash, revoked: _revoked, ...token }: WebToken & { hash: string; revoked: boolean }): WebToken {
  return token;
}

/** The audit trail for unit tests. */
export class MemoryWebAudit implements WebAudit {
  readonly entries: (AuditEntry & { id: number })[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push({ ...entry, id: this.entries.length + 1 });
  }

  async list(limit: number, beforeId?: number): Promise<(AuditEntry & { id: number })[]> {
    return this.entries.filter((e) => beforeId === undefined || e.id < beforeId).reverse().slice(0, Math.max(0, limit));
  }
}
