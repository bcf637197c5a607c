import { createHash, randomBytes } from 'node:crypto';
import type { AgentToken, Agents } from '../../store/agents.ts';

/** What the head office keeps of a token: its SHA-256, in hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token for `store`'s agent: shown once to whoever made it; only its hash is stored. */
export async function createAgentToken(agents: Pick<Agents, 'addToken'>, store: string, createdBy: string): Promise<{ token: string; record: AgentToken }> {
  const token = `tka_${store}_${randomBytes(24).toString('base64url')}`;
  return { token, record: await agents.addToken(store, tokenHash(token), createdBy) };
}
