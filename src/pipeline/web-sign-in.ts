import { createHash, randomBytes } from 'node:crypto';
import { publicId, type RefusedLink, type SessionInfo, type SessionOrigin, type WebAuth, type WebUser } from '../store/web-auth.ts';

/** A link is for opening at once, from the chat it was sent to: ten minutes is enough and leaks little. */
export const LINK_TTL_MS = 10 * 60_000;
/** A phone or shop PC stays signed in for a month; a new link is one /web away. */
export const SESSION_TTL_MS = 30 * 86_400_000;
/** 32 random bytes: no guessing, in a link or in a cookie. */
const SECRET_BYTES = 32;

/** A new secret for a link, a cookie or a token; shown once, kept only as `hashOf` it. */
export const secret = () => randomBytes(SECRET_BYTES).toString('base64url');
export const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Sign-in to the web dashboard without passwords: the bot sends a one-time link, opening it starts
 * a session. Secrets are handed out once and kept only as hashes.
 */
export class WebSignIn {
  constructor(private readonly auth: WebAuth, private readonly now = () => new Date()) {}

  /** A new one-time link token for this user and the role they have now. */
  async issueLink(user: WebUser): Promise<string> {
    const token = secret();
    await this.auth.addLink(hashOf(token), user, new Date(this.now().getTime() + LINK_TTL_MS));
    return token;
  }

  /** Uses the link: a new session id (for the cookie) and its user, or why the link is refused. */
  async redeem(token: string, origin?: SessionOrigin): Promise<{ sessionId: string; user: WebUser } | { refused: RefusedLink }> {
    const user = await this.auth.useLink(hashOf(token), this.now());
    if (typeof user === 'string') return { refused: user };
    const sessionId = secret();
    await this.auth.addSession(hashOf(sessionId), user, new Date(this.now().getTime() + SESSION_TTL_MS), origin);
    return { sessionId, user };
  }

  /** The user of a session id from a cookie, or null (none, expired, or not ours). */
  session(sessionId: string): Promise<WebUser | null> {
    return this.auth.session(hashOf(sessionId), this.now());
  }

  /** Signs this session out (the person pressed "sign out"). */
  async end(sessionId: string): Promise<void> {
    await this.auth.revokeSession(this.publicIdOf(sessionId));
  }

  /** The name a session has in the sessions list (to mark "this session"); reveals nothing of the secret. */
  publicIdOf(sessionId: string): string {
    return publicId(hashOf(sessionId));
  }

  /** Live sessions, the most recently seen first (for owners). */
  sessions(): Promise<SessionInfo[]> {
    return this.auth.sessions(this.now());
  }

  /** Ends the session of this public id (an owner revoked it); false when there was none. */
  revoke(id: string): Promise<boolean> {
    return this.auth.revokeSession(id);
  }
}
