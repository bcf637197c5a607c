import { Hono } from 'hono';
import { html } from 'hono/html';
import { jobCard, ordered, storeCard, type Card } from '../overview.ts';
import { OverviewPage, type PageViewer } from '../pages.tsx';
import { allowed, refuse, type WebDeps } from '../web-app.tsx';
import type { Role } from '../../config/sections.ts';
import { viewerOf, type WebContext, type WebEnv } from '../web-env.ts';

/** An /api refusal for `need`: not signed in, or a role too low. */

/** The page's viewer: language and who, with the CSRF token its forms carry. */
export const pageViewer = (c: WebContext): PageViewer => {
  const v = viewerOf(c);
  return { lang: c.get('lang'), who: { id: v.userId, role: v.role, csrf: v.csrf } };
};

/** The configured stores' cards, as configured (a failure's text scrubbed of secrets): the overview, /api/status and /api/stores. */
export async function storeCards(deps: Pick<WebDeps, 'stores' | 'status' | 'zone' | 'scrub'>): Promise<Card[]> {
  return (await Promise.all(deps.stores.map(async (s) => storeCard(s, await deps.status(s), deps.zone)))).map(scrubbed(deps.scrub));
}

const scrubbed = (scrub: (text: string) => string) => (card: Card): Card =>
  card.lastFailure ? { ...card, lastFailure: { ...card.lastFailure, why: scrub(card.lastFailure.why) } } : card;

/** The overview's cards as `role` may see them, worst first, failure texts scrubbed of secrets (also the kiosk's). */
export async function overviewCards(deps: WebDeps, role: Role): Promise<Card[]> {
  const now = deps.now ?? (() => new Date());
  // Backup jobs are admin matters, as in the bot's /status.
  const jobs = role === 'staff' ? [] : (await deps.jobs()).map((j) => jobCard(j, deps.zone, now())).map(scrubbed(deps.scrub));
  return ordered([...await storeCards(deps), ...jobs]);
}

/** Every store and backup job as cards (`/`) and as JSON (`/api/status`). */
export function overviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/', async (c) => {
    if (!c.get('viewer')) return refuse(c, 401, 'webSignInHint');
    return c.html(html`<!doctype html>${<OverviewPage viewer={pageViewer(c)} cards={await overviewCards(deps, viewerOf(c).role)} />}`);
  });

  app.get('/api/status', allowed('staff'), async (c) => {
    const all = await overviewCards(deps, viewerOf(c).role);
    return c.json({ stores: all.filter((x) => x.kind === 'store'), jobs: all.filter((x) => x.kind === 'job') });
  });
  return app;
}
