import { Hono } from 'hono';
import { html } from 'hono/html';
import { getCookie } from 'hono/cookie';
import type { Role } from '../../config/sections.ts';
import type { TokenKind } from '../../store/web-tokens.ts';
import { AccessPage, TOKEN_NAME_MAX, type Fresh } from '../access-pages.tsx';
import { allowedAction, auditOf, refuse, SESSION_COOKIE, type WebDeps } from '../web-app.tsx';
import { atLeast, viewerOf, type WebContext, type WebEnv } from '../web-env.ts';
import { pageViewer } from './overview.tsx';

const ROLES: readonly Role[] = ['staff', 'admin', 'owner'];
/** Token ids are database serials; anything else is not one of ours. */
const TOKEN_ID = /^[1-9]\d{0,9}$/;
const SESSION_ID = /^[0-9a-f]{16}$/;

/**
 * /akses (owners only): live sessions, API tokens and kiosk links, each revocable. Every POST is
 * recorded in the audit trail, refusals included (a lower role forging the form is refused here
 * even with a valid CSRF token).
 */
export function accessRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const audit = auditOf(deps);

  const ownerOnly = (action: string) => allowedAction(deps, 'owner', action);

  async function page(c: WebContext, fresh?: Fresh, status: 200 | 201 = 200) {
    const data = {
      zone: deps.zone, sessions: await deps.signIn.sessions(), thisSession: deps.signIn.publicIdOf(getCookie(c, SESSION_COOKIE) ?? ''),
      apiTokens: await deps.tokens.list('api'), kiosks: await deps.tokens.list('kiosk'),
    };
    return c.html(html`<!doctype html>${<AccessPage viewer={pageViewer(c)} data={data} fresh={fresh} />}`, status);
  }

  /** The form's `name`, trimmed, or null when empty or too long. */
  async function nameOf(c: WebContext): Promise<string | null> {
    const body = await c.req.parseBody();
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    return name && name.length <= TOKEN_NAME_MAX ? name : null;
  }

  app.get('/akses', ownerOnly('access.view'), (c) => page(c));

  app.post('/akses/sesi/:id/cabut', ownerOnly('session.revoke'), async (c) => {
    const id = c.req.param('id');
    const ended = SESSION_ID.test(id) && await deps.signIn.revoke(id);
    await audit(c, { action: 'session.revoke', target: id.slice(0, 40), outcome: ended ? 'ok' : 'failed', detail: ended ? '' : 'no such session' });
    return ended ? c.redirect('/akses', 303) : refuse(c, 404, 'webSessionGone');
  });

  app.post('/akses/token', ownerOnly('token.create'), async (c) => {
    const name = await nameOf(c);
    const role = (await c.req.parseBody()).role;
    const viewer = viewerOf(c);
    if (!name) return refused(c, 'token.create', 'webBadName', 'bad name');
    if (typeof role !== 'string' || !ROLES.includes(role as Role) || !atLeast(viewer.role, role as Role)) {
      return refused(c, 'token.create', 'webBadRole', `bad role: ${String(role).slice(0, 20)}`);
    }
    const made = await deps.tokens.issue('api', { name, role: role as Role, createdBy: viewer.userId });
    await audit(c, { action: 'token.create', target: String(made.token.id), outcome: 'ok', detail: `${name} (${role})` });
    return page(c, { kind: 'api', name, value: made.secret }, 201);
  });

  app.post('/akses/kios', ownerOnly('kiosk.create'), async (c) => {
    const name = await nameOf(c);
    if (!name) return refused(c, 'kiosk.create', 'webBadName', 'bad name');
    // Stored as admin: the kiosk shows what an admin's overview shows (stores and backup jobs), read-only.
    const made = await deps.tokens.issue('kiosk', { name, role: 'admin', createdBy: viewerOf(c).userId });
    await audit(c, { action: 'kiosk.create', target: String(made.token.id), outcome: 'ok', detail: name });
    const base = deps.baseUrl ?? new URL(c.req.url).origin;
    return page(c, { kind: 'kiosk', name, value: `${base}/kios/${made.secret}` }, 201);
  });

  for (const [path, kind] of [['token', 'api'], ['kios', 'kiosk']] as [string, TokenKind][]) {
    const action = `${kind === 'api' ? 'token' : 'kiosk'}.revoke`;
    app.post(`/akses/${path}/:id/cabut`, ownerOnly(action), async (c) => {
      const id = c.req.param('id');
      const done = TOKEN_ID.test(id) && await deps.tokens.revoke(kind, Number(id));
      await audit(c, { action, target: id.slice(0, 40), outcome: done ? 'ok' : 'failed', detail: done ? '' : 'no such token' });
      return done ? c.redirect('/akses', 303) : refuse(c, 404, 'webTokenGone');
    });
  }

  /** A bad form: 400 with why, recorded, nothing made. */
  async function refused(c: WebContext, action: string, key: 'webBadName' | 'webBadRole', detail: string) {
    await audit(c, { action, target: '', outcome: 'refused', detail });
    return refuse(c, 400, key);
  }
  return app;
}
