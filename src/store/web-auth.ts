import type { Role } from '../config/sections.ts';

/** Who a sign-in link or a session belongs to: the chat user and the role they had when the link was sent. */
export interface WebUser {
  userId: number;
  role: Role;
}

/** Why a link did not start a session. */
export type RefusedLink = 'used' | 'expired' | 'unknown';

/**
 * The web dashboard's sign-in links and sessions. Only hashes of their secrets are kept (a copy of
 * the database signs nobody in); hashes come from the caller, so any string may be asked for and
 * must never make a method throw. Rejects only when the store itself cannot be reached.
 */
export interface WebAuth {
  addLink(tokenHash: string, user: WebUser, expiresAt: Date): Promise<void>;
  /**
   * Marks the link used and returns its user, at most once per link even when asked at the same
   * moment twice: the second answer is 'used'. A link past `expiresAt` at `now` is 'expired'.
   */
  useLink(tokenHash: string, now: Date): Promise<WebUser | RefusedLink>;
  addSession(idHash: string, user: WebUser, expiresAt: Date): Promise<void>;
  /** The session's user, or null when there is none or it expired at `now`. */
  session(idHash: string, now: Date): Promise<WebUser | null>;
}
