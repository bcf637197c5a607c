import type { RefusedLink, WebAuth, WebUser } from '../../src/store/web-auth.ts';

/** Sign-in links and sessions for unit tests, kept as the database keeps them (hashes, expiry, used). */
export class MemoryWebAuth implements WebAuth {
  readonly links = new Map<string, { user: WebUser; expiresAt: Date; usedAt: Date | null }>();
  readonly sessions = new Map<string, { user: WebUser; expiresAt: Date }>();

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

  async addSession(idHash: string, user: WebUser, expiresAt: Date): Promise<void> {
    this.sessions.set(idHash, { user: { ...user }, expiresAt });
  }

  async session(idHash: string, now: Date): Promise<WebUser | null> {
    const s = this.sessions.get(idHash);
    return s && s.expiresAt > now ? { ...s.user } : null;
  }
}
