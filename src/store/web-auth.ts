import type { Role } from '../config/sections.ts';

/** Who a sign-in link or a session belongs to: the chat user and the role they had when the link was sent. */
export interface WebUser {
  userId: number;
  role: Role;
}

/** Where a session was started from, as the request said (shown to owners; never trusted for access). */
export interface SessionOrigin {
  from: string | null;
  agent: string | null;
}

/** A session as owners see it in the list: `id` is a short public name of it, not its secret. */
export interface SessionInfo extends WebUser, SessionOrigin {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date | null;
}

/** A session's name in the list: the first 16 hex digits of its hash (the hash of a secret, so it reveals nothing). */
export const publicId = (idHash: string) => idHash.slice(0, 16);

/** Why a link did not start a session. */
export type RefusedLink = 'used' | 'expired' | 'unknown';

/**
 * The web dashboard's sign-in links and sessions. Only hashes of their secrets are kept (a copy of
 * the database signs nobody in); hashes come from the caller, so any string may be asked for and
 * must never make a method throw. Rejects only when the store itself cannot be reached.
 */
/** How stale a session's "last seen" may be: it is written again once older than this. */
export const SEEN_PRECISION_MS = 60_000;

export interface WebAuth {
  addLink(tokenHash: string, user: WebUser, expiresAt: Date): Promise<void>;
  /**
   * Marks the link used and returns its user, at most once per link even when asked at the same
   * moment twice: the second answer is 'used'. A link past `expiresAt` at `now` is 'expired'.
   */
  useLink(tokenHash: string, now: Date): Promise<WebUser | RefusedLink>;
  addSession(idHash: string, user: WebUser, expiresAt: Date, origin?: SessionOrigin): Promise<void>;
  /**
   * The session's user, or null when there is none or it expired at `now`; notes `now` as last
   * seen, to the minute (SEEN_PRECISION_MS): every request asks, and a page polled every 2 s
   * must not write to the database each time.
   */
  session(idHash: string, now: Date): Promise<WebUser | null>;
  /** Sessions not expired at `now`, the most recently seen first. */
  sessions(now: Date): Promise<SessionInfo[]>;
  /** Ends the session of this public id (SessionInfo.id); false when there was none. */
  revokeSession(id: string): Promise<boolean>;
}
