import { findStore } from '../config/load-config.ts';
import { formatTime } from '../i18n/format-time.ts';
import type { Lang } from '../i18n/lang.ts';
import { t } from '../i18n/text.ts';
import type { App } from '../main/app.ts';
import { createAgentToken } from '../pipeline/agents/tokens.ts';
import type { AgentRecord, AgentToken } from '../store/agents.ts';
import { cliLang, print, tell } from './print.ts';
import { withApp } from './with-app.ts';

/** Who made a token from here, for the audit of tokens (store list shows it). */
const MADE_BY = 'cli';

/**
 * `tokobot store add ID`: a new token for the store's agent, printed once with the line to run on
 * the shop PC. The store's older tokens stay valid until `tokobot store revoke`, as /agen add and
 * the dashboard's button do: making a token (to set up a second PC, or to read the enrol line
 * again) never cuts off a shop that reports now. A token lost or copied: revoke, then add.
 */
export const add = (id: string) => withApp(async (app) => {
  const lang = cliLang();
  const store = findStore(app.config.stores, id);
  const older = (await app.opsStores.agents.tokens(store.id)).filter((x) => !x.revokedAt).length;
  const { token } = await createAgentToken(app.opsStores.agents, store.id, MADE_BY);
  print(t(lang, 'cliStoreTokenMade', { store: store.id, name: store.name }));
  print(`  ${token}`);
  print(t(lang, 'cliStoreEnrollHint'));
  print(`  tokobot agent enroll ${app.config.web.baseUrl} ${token}`);
  if (older) tell(`${t(lang, 'cliStoreOlderLive', { count: older, store: store.id })}\n`);
  if (!app.config.agents.ingest) tell(`${t(lang, 'cliStoreIngestOff')}\n`);
  return 0;
});

/** `tokobot store revoke ID`: every live token of the store; its agent is refused from its next request. */
export const revoke = (id: string) => withApp(async (app) => {
  const lang = cliLang();
  // A store removed from the config may still hold tokens: those can be revoked too.
  const known = app.config.stores.some((s) => s.id === id) || (await app.opsStores.agents.tokens(id)).length > 0;
  if (!known) findStore(app.config.stores, id);
  const count = await app.opsStores.agents.revokeTokens(id);
  print(t(lang, count ? 'cliStoreRevokedCount' : 'cliStoreNothingToRevoke', { store: id, count }));
  return 0;
});

interface StoreAgents {
  store: string;
  name: string | null;
  configured: boolean;
  tokens: AgentToken[];
  agent: AgentRecord | null;
}

/** Every configured store, then stores no longer configured that still have tokens or an agent. */
async function storeAgents(app: App): Promise<StoreAgents[]> {
  const [tokens, agents] = await Promise.all([app.opsStores.agents.tokens(), app.opsStores.agents.list()]);
  const ids = [...new Set([...app.config.stores.map((s) => s.id), ...tokens.map((x) => x.store), ...agents.map((a) => a.store)])];
  return ids.map((id) => {
    const store = app.config.stores.find((s) => s.id === id);
    return { store: id, name: store?.name ?? null, configured: !!store, tokens: tokens.filter((x) => x.store === id), agent: agents.find((a) => a.store === id) ?? null };
  });
}

function storeLines(s: StoreAgents, lang: Lang, zone: string): string[] {
  const when = (d: Date | null) => (d ? formatTime(d, zone, lang) : t(lang, 'cliStoreNever'));
  const head = `${s.store}${s.name && s.name !== s.store ? ` (${s.name})` : ''}${s.configured ? '' : ` ${t(lang, 'cliStoreNotConfigured')}`}`;
  const tokens = s.tokens.length ? s.tokens.map((x) => t(lang, 'cliStoreTokenLine', {
    id: x.id, created: when(x.createdAt), by: x.createdBy, used: when(x.lastUsedAt),
    state: x.revokedAt ? t(lang, 'cliStoreTokenRevokedAt', { at: when(x.revokedAt) }) : t(lang, 'cliStoreTokenLive'),
  })) : [t(lang, 'cliStoreNoTokens', { store: s.store })];
  const a = s.agent;
  const agent = a ? t(lang, 'cliStoreAgentLine', {
    host: a.host, version: a.version, report: when(a.reportAt), beat: when(a.beatAt), skew: `${a.skewMs >= 0 ? '+' : ''}${Math.round(a.skewMs / 1000)} s`,
  }) : t(lang, 'cliStoreNoAgent');
  return [head, ...tokens.map((line) => `  ${line}`), `  ${agent}`];
}

/** `tokobot store list [--json]`: each store's tokens (never the tokens themselves) and its agent as last heard. */
export const list = (json: boolean) => withApp(async (app) => {
  const all = await storeAgents(app);
  if (json) {
    print(JSON.stringify({ stores: all }, null, 2));
    return 0;
  }
  const lang = cliLang();
  print(all.map((s) => storeLines(s, lang, app.config.locale.zone).join('\n')).join('\n'));
  return 0;
});
