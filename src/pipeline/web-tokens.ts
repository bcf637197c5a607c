import type { Role } from '../config/sections.ts';
import type { TokenKind, WebToken, WebTokens } from '../store/web-tokens.ts';
import { hashOf, secret } from './web-sign-in.ts';

/**
 * Long-lived secrets owners hand out: API tokens for integrations and kiosk links for a shop's
 * screen. Like sign-in links, a secret is returned once, at creation, and kept only as its hash.
 */
export class WebTokenKeys {
  constructor(private readonly tokens: WebTokens, private readonly now = () => new Date()) {}

  /** A new token and its secret (shown to its creator once, never again). */
  async issue(kind: TokenKind, token: { name: string; role: Role; createdBy: number }): Promise<{ token: WebToken; secret: string }> {
    const value = secret();
    return { token: await this.tokens.add(kind, hashOf(value), token), secret: value };
  }

  /** The token this secret belongs to, unless revoked; any string may be asked. */
  find(kind: TokenKind, value: string): Promise<WebToken | null> {
    return this.tokens.find(kind, hashOf(value), this.now());
  }

  list(kind: TokenKind): Promise<WebToken[]> {
    return this.tokens.list(kind);
  }

  revoke(kind: TokenKind, id: number): Promise<boolean> {
    return this.tokens.revoke(kind, id);
  }
}

/**
 * Who an API token stands for: its creator, with the role it was made with. The dashboard lowers
 * that to the creator's role of the moment and refuses it when the creator is no longer listed.
 */
export function apiViewerOf(keys: Pick<WebTokenKeys, 'find'>) {
  return async (value: string): Promise<{ userId: number; role: Role } | null> => {
    const token = await keys.find('api', value);
    return token && { userId: token.createdBy, role: token.role };
  };
}
