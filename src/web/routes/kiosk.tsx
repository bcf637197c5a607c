import { Hono } from 'hono';
import { html } from 'hono/html';
import { KioskPage } from '../kiosk-page.tsx';
import { NoticePage } from '../pages.tsx';
import { actingRole, type WebDeps } from '../web-app.tsx';
import type { WebEnv } from '../web-env.ts';
import { overviewCards } from './overview.tsx';

/**
 * /kios/:token: the read-only overview for a shop's screen. The token in the URL is the only key
 * and opens this page only: no cookie is set, so it signs nobody in to anything else. It shows
 * stores and backup jobs (the screen is put up by an owner to watch backups at a glance) at most
 * as its creator may see them now; a creator no longer listed, like a revoked link, shows nothing.
 */
export function kioskRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const now = deps.now ?? (() => new Date());
  app.get('/kios/:token', async (c) => {
    const kiosk = await deps.tokens.find('kiosk', c.req.param('token'));
    const creatorRole = kiosk && deps.roles.get(kiosk.createdBy);
    if (!kiosk || !creatorRole) {
      // Unknown and revoked look the same to the store (it keeps no name of a revoked secret): one clear 404.
      return c.html(html`<!doctype html>${<NoticePage title="webKioskGoneTitle" text="webKioskGone" />}`, 404);
    }
    const lang = await deps.langOf(kiosk.createdBy);
    const cards = await overviewCards(deps, actingRole(kiosk.role, creatorRole));
    return c.html(html`<!doctype html>${<KioskPage lang={lang} zone={deps.zone} now={now()} cards={cards} />}`);
  });
  return app;
}
