import { Hono } from 'hono';
import { html } from 'hono/html';
import { jobCard, ordered, storeCard, type Card } from '../overview.ts';
import { OverviewPage, type PageViewer } from '../pages.tsx';
import { refuse, type WebDeps } from '../web-app.tsx';
import { t, type Lang } from '../../i18n/text.ts';
import type { LiveRun } from '../live-progress.ts';
import { ACTION_NOTICES, type ActionNotice } from './live.ts';
import { need, viewerOf, type Viewer, type WebContext, type WebEnv } from '../web-env.ts';

/** The page's viewer: language and who, with the CSRF token its forms carry. */
export const pageViewer = (c: WebContext): PageViewer => {
  const v = viewerOf(c);
  return { lang: c.get('lang'), who: { id: v.userId, role: v.role, csrf: v.csrf } };
};

/** Every store and backup job as cards (`/`) and as JSON (`/api/status`). */
export function overviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const now = deps.now ?? (() => new Date());

  async function cards(viewer: Viewer): Promise<Card[]> {
    // Asked at once: the page waits for the slowest, not for their sum. Backup jobs are admin matters, as in the bot's /status.
    const [statuses, live, jobStates] = await Promise.all([deps.statuses?.(deps.stores) ?? Promise.all(deps.stores.map((s) => deps.status(s))),
      deps.live?.() ?? Promise.resolve([] as LiveRun[]), viewer.role === 'staff' ? Promise.resolve([]) : deps.jobs()]);
    const syncing = new Map(live.filter((r) => r.card === 'store').map((r) => [r.id, r]));
    const stores = deps.stores.map((s, i) => withLive(storeCard(s, statuses[i]!, deps.zone), syncing.get(s.id)));
    const jobs = jobStates.map((j) => jobCard(j, deps.zone, now(), deps.jobEvery?.(j.job.id) ?? null));
    return ordered([...stores, ...jobs]).map((card) => card.lastFailure ? { ...card, lastFailure: { ...card.lastFailure, why: deps.scrub(card.lastFailure.why) } } : card);
  }

  app.get('/', async (c) => {
    if (!c.get('viewer')) return refuse(c, 401, 'webSignInHint');
    const all = await cards(viewerOf(c));
    return c.html(html`<!doctype html>${<OverviewPage viewer={pageViewer(c)} cards={all} actions={!!deps.actions} notice={notice(c, c.get('lang'), all)} />}`);
  });

  app.get('/api/status', need('staff', (c, status) => refuse(c, status, status === 401 ? 'webApiSignIn' : 'webNotAllowed')), async (c) => {
    const all = await cards(viewerOf(c));
    return c.json({ stores: all.filter((x) => x.kind === 'store'), jobs: all.filter((x) => x.kind === 'job') });
  });
  return app;
}

/** A store's sync seen running (by its lock) shows its progress when a run record or this process's runner knows it. */
const withLive = (card: Card, run: LiveRun | undefined): Card => (card.state === 'RUNNING' && run ? { ...card, live: run } : card);

/** What the action that led here did (`?aksi=…&jenis=…&id=…`), about a card on the page; anything else says nothing. */
function notice(c: WebContext, lang: Lang, cards: Card[]): string | undefined {
  const { aksi, jenis, id } = c.req.query();
  const card = cards.find((x) => x.kind === jenis && x.id === id);
  if (!card || !aksi || !Object.hasOwn(ACTION_NOTICES, aksi)) return undefined;
  return t(lang, ACTION_NOTICES[aksi as ActionNotice][card.kind], { name: card.name });
}
