import { LOCAL_OPERATOR } from './access.ts';
import type { CoreDeps, Who } from './context.ts';
import type { Reply } from './reply.ts';
import { spanText } from '../i18n/agent-words.ts';
import { t } from '../i18n/text.ts';
import { createAgentToken } from '../pipeline/agents/tokens.ts';
import type { AgentStatus } from '../pipeline/agents/agent-status.ts';

/** Who made a token, for its audit ("telegram:123", "whatsapp:62812…", "terminal"). */
const maker = (who: Who) => (who.id === LOCAL_OPERATOR ? 'terminal' : who.id < 0 ? `whatsapp:${-who.id}` : `telegram:${who.id}`);

function stateText(a: AgentStatus | undefined, lang: Who['lang']): string {
  if (!a) return t(lang, 'storeStateNone');
  const age = a.beatAgeMs === null ? '∞' : spanText(a.beatAgeMs, lang);
  return t(lang, a.silent ? 'storeStateSilent' : 'storeStateOk', { host: a.host, age });
}

/** /agen: every configured store with its agent's state and live tokens (and agents of stores not configured here). */
export async function storeListReply(deps: CoreDeps, who: Who): Promise<Reply> {
  if (!deps.agentTokens || !deps.agents) return { severity: 'info', lines: [t(who.lang, 'storeOff')] };
  const [agents, tokens] = await Promise.all([deps.agents(), deps.agentTokens.tokens()]);
  const live = (store: string) => tokens.filter((k) => k.store === store && !k.revokedAt).length;
  const lines = deps.stores.map((s) => t(who.lang, 'storeLine', { name: s.name, store: s.id, state: stateText(agents.find((a) => a.store === s.id), who.lang), tokens: live(s.id) }));
  for (const a of agents.filter((x) => !x.configured)) {
    lines.push(t(who.lang, 'storeLine', { name: a.name, store: a.store, state: `${stateText(a, who.lang)} · ${t(who.lang, 'storeStateStray')}`, tokens: live(a.store) }));
  }
  const silent = agents.some((a) => a.configured && a.silent);
  return { severity: silent ? 'warning' : 'info', title: t(who.lang, 'storeListTitle'), lines: [...lines, '', t(who.lang, 'storeUsage')] };
}

/** /agen add ID: a new token for a configured store, with the enroll line; in a private chat only (a group would read the token). */
export async function storeAddReply(deps: CoreDeps, who: Who, id: string): Promise<Reply> {
  if (who.chat.kind !== 'private') return { severity: 'warning', lines: [t(who.lang, 'storeAddPrivate', { store: id || 'ID' })] };
  if (!deps.agentTokens) return { severity: 'info', lines: [t(who.lang, 'storeOff')] };
  const store = deps.stores.find((s) => s.id === id);
  if (!store) return { severity: 'warning', lines: [t(who.lang, 'storeUnknown', { store: id, list: deps.stores.map((s) => s.id) })] };
  const { token } = await createAgentToken(deps.agentTokens, store.id, maker(who));
  return { severity: 'info', title: store.name, lines: [t(who.lang, 'storeTokenMade', { name: store.name, store: store.id }), '', `tokobot agent enroll ${deps.headOfficeUrl ?? '<WEB_URL>'} ${token}`, '', t(who.lang, 'storeTokenAfter', { store: store.id })] };
}

/** /agen revoke ID: every live token of the store; its agent is refused from its next report. */
export async function storeRevokeReply(deps: CoreDeps, who: Who, id: string): Promise<Reply> {
  if (!deps.agentTokens) return { severity: 'info', lines: [t(who.lang, 'storeOff')] };
  const name = deps.stores.find((s) => s.id === id)?.name ?? id;
  const n = id ? await deps.agentTokens.revokeTokens(id) : 0;
  return n ? { severity: 'info', lines: [t(who.lang, 'storeRevoked', { name, n, store: id })] } : { severity: 'warning', lines: [t(who.lang, 'storeNothingToRevoke', { name })] };
}
