import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token of a session: an HMAC of its secret id, so it is fixed for the session, needs no
 * storage, and cannot be made without the cookie another site cannot read. Forms carry it as
 * `_csrf`, scripts as the `x-csrf-token` header.
 */
export function csrfToken(sessionId: string): string {
  return createHmac('sha256', sessionId).update('tokobot csrf').digest('base64url');
}

/** True when `given` is the session's token (compared in constant time). */
export function csrfMatches(sessionId: string, given: string | undefined): boolean {
  if (!given) return false;
  const want = Buffer.from(csrfToken(sessionId));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}
