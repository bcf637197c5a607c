import type { Role } from '../config/sections.ts';

/** An API token for an integration, or a kiosk link for a shop's screen (read-only). */
export type TokenKind = 'api' | 'kiosk';

export interface WebToken {
  id: number;
  kind: TokenKind;
  name: string;
  /** What it may see: an API token has its creator's choice; a kiosk is always read-only. */
  role: Role;
  createdBy: number;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * Long-lived secrets made by owners. Only hashes are kept; hashes come from the caller, so any
 * string may be asked for and must never make a method throw.
 */
export interface WebTokens {
  add(kind: TokenKind, tokenHash: string, token: { name: string; role: Role; createdBy: number }): Promise<WebToken>;
  /** The token of this hash and kind unless revoked; notes `now` as last used. */
  find(kind: TokenKind, tokenHash: string, now: Date): Promise<WebToken | null>;
  /** Tokens of a kind not revoked, newest first. */
  list(kind: TokenKind): Promise<WebToken[]>;
  /** Revokes it for good; false when there was no such token of this kind. */
  revoke(kind: TokenKind, id: number): Promise<boolean>;
}
