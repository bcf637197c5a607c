import { Hono } from 'hono';
import { html } from 'hono/html';
import { createAgentToken } from '../../pipeline/agents/tokens.ts';
import type { AgentStatus } from '../../pipeline/agents/agent-status.ts';
import type { Agents } from '../../store/agents.ts';
import { AgentsPage, type AgentCard, type FreshAgentToken } from '../agents-page.tsx';
import { allowed, allowedAction, auditOf, refuse, type WebDeps } from '../web-app.tsx';
import { viewerOf, type WebContext, type WebEnv } from '../web-env.ts';
import { pageViewer } from './overview.tsx';

/** What /agen reads and changes: the agents' status (agent-status.ts) and their tokens. */
export interface WebAgents {
  statuses: () => Promise<AgentStatus[]>;
  store: Pick<Agents, 'tokens' | 'addToken' | 'revokeTokens'>;
}

/** What a store id in a URL may be (the protocol's store id); anything else is none of ours. */
const STORE_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The exact line to run on the shop PC: the dashboard's address (WEB_URL) and the token. */
export const enrollLine = (baseUrl: string, token: string) => `tokobot agent enroll ${baseUrl} ${token}`;

/**
 * /agen (admins and owners): each store's shop agent. Owners also see each store's tokens and make
 * (POST /agen/:id/token, only for stores configured here) or revoke them (POST /agen/:id/cabut),
 * with the CSRF check of every form and the audit trail, refusals included.
 */
export function agentRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const audit = auditOf(deps);
  const ownerOnly = (action: string) => allowedAction(deps, 'owner', action);

  async function cards(owner: boolean): Promise<AgentCard[]> {
    if (!deps.agents) return [];
    const [agents, tokens] = await Promise.all([deps.agents.statuses(), owner ? deps.agents.store.tokens() : Promise.resolve([])]);
    const tokensOf = (store: string) => (owner ? { tokens: tokens.filter((k) => k.store === store) } : {});
    // Owners see every configured store (to give one a token); admins the stores whose agent reported.
    const configured = deps.stores.filter((s) => owner || agents.some((a) => a.store === s.id))
      .map((s) => ({ store: s.id, name: s.name, agent: agents.find((a) => a.store === s.id) ?? null, configured: true, ...tokensOf(s.id) }));
    const strays = agents.filter((a) => !deps.stores.some((s) => s.id === a.store))
      .map((a) => ({ store: a.store, name: a.name, agent: a, configured: false, ...tokensOf(a.store) }));
    return [...configured, ...strays];
  }

  async function page(c: WebContext, fresh?: FreshAgentToken, status: 200 | 201 = 200) {
    const owner = viewerOf(c).role === 'owner';
    return c.html(html`<!doctype html>${<AgentsPage viewer={pageViewer(c)} cards={await cards(owner)} zone={deps.zone} fresh={fresh} />}`, status);
  }

  app.get('/agen', allowed('admin'), (c) => page(c));

  app.post('/agen/:id/token', ownerOnly('agent.token.create'), async (c) => {
    const id = c.req.param('id');
    const store = deps.stores.find((s) => s.id === id);
    if (!store || !deps.agents || !STORE_ID.test(id)) {
      await audit(c, { action: 'agent.token.create', target: id.slice(0, 40), outcome: 'refused', detail: 'not a store configured here' });
      return refuse(c, 404, 'webAgentUnknownStore');
    }
    const made = await createAgentToken(deps.agents.store, store.id, `web:${viewerOf(c).userId}`);
    await audit(c, { action: 'agent.token.create', target: store.id, outcome: 'ok', detail: `token ${made.record.id}` });
    const base = deps.baseUrl ?? new URL(c.req.url).origin;
    return page(c, { store: store.id, name: store.name, enroll: enrollLine(base, made.token) }, 201);
  });

  app.post('/agen/:id/cabut', ownerOnly('agent.token.revoke'), async (c) => {
    const id = c.req.param('id');
    const n = STORE_ID.test(id) && deps.agents ? await deps.agents.store.revokeTokens(id) : 0;
    await audit(c, { action: 'agent.token.revoke', target: id.slice(0, 40), outcome: n ? 'ok' : 'failed', detail: n ? `${n} revoked` : 'no live token' });
    return n ? c.redirect('/agen', 303) : refuse(c, 404, 'webAgentNothingToRevoke');
  });
  return app;
}
