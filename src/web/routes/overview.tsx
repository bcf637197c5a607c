import { Hono } from 'hono';
import { html } from 'hono/html';
import { jobCard, ordered, storeCard, type Card } from '../overview.ts';
import { OverviewPage, type PageViewer } from '../pages.tsx';
import { allowed, refuse, type WebDeps } from '../web-app.tsx';
import type { Role } from '../../config/sections.ts';
import { t, type Lang } from '../../i18n/text.ts';
import type { LiveRun } from '../live-progress.ts';
import { ACTION_NOTICES, type ActionNotice } from './live.ts';
import { viewerOf, type WebContext, type WebEnv } from '../web-env.ts';

/** The page's viewer: language and who, with the CSRF token its forms carry. */
export const pageViewer = (c: WebContext): PageViewer => {
  const v = viewerOf(c);
  return { lang: c.get('lang'), who: { id: v.userId, role: v.role, csrf: v.csrf } };
};

/** The configured stores' cards, as configured (a failure's text scrubbed of secrets): the overview, /api/status and /api/stores. */
export async function storeCards(deps: Pick<WebDeps, 'stores' | 'statuses' | 'zone' | 'scrub'>): Promise<Card[]> {
  const statuses = await deps.statuses(deps.stores);
  return deps.stores.map((s, i) => storeCard(s, statuses[i]!, deps.zone)).map(scrubbed(deps.scrub));
}

const scrubbed = (scrub: (text: string) => string) => (card: Card): Card =>
  card.lastFailure ? { ...card, lastFailure: { ...card.lastFailure, why: scrub(card.lastFailure.why) } } : card;

/** The overview's cards as `role` may see them, worst first, failure texts scrubbed of secrets, running ones with their progress (also the kiosk's). */
export async function overviewCards(deps: WebDeps, role: Role): Promise<Card[]> {
  const now = deps.now ?? (() => new Date());
  // Asked at once: the page waits for the slowest, not for their sum. Backup jobs are admin matters, as in the bot's /status.
  const [stores, live, jobStates] = await Promise.all([storeCards(deps), deps.live?.() ?? Promise.resolve([] as LiveRun[]),
    role === 'staff' ? Promise.resolve([]) : deps.jobs()]);
  const syncing = new Map(live.filter((r) => r.card === 'store').map((r) => [r.id, r]));
  const jobs = jobStates.map((j) => jobCard(j, deps.zone, now(), deps.jobEvery?.(j.job.id) ?? null)).map(scrubbed(deps.scrub));
  return ordered([...stores.map((card) => withLive(card, syncing.get(card.id))), ...jobs]);
}

/** Every store and backup job as cards (`/`) and as JSON (`/api/status`). */
export function overviewRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/', async (c) => {
    if (!c.get('viewer')) return refuse(c, 401, 'webSignInHint');
    const all = await overviewCards(deps, viewerOf(c).role);
    return c.html(html`<!doctype html>${<OverviewPage viewer={pageViewer(c)} cards={all} actions={!!deps.actions} notice={notice(c, c.get('lang'), all)} />}`);
  });

  app.get('/api/status', allowed('staff'), async (c) => {
    const role = viewerOf(c).role;
    // Shop agents are admin matters, like backup jobs (and /agen).
    const [all, agents] = await Promise.all([overviewCards(deps, role), role !== 'staff' && deps.agents ? deps.agents.statuses() : Promise.resolve(null)]);
    return c.json({ stores: all.filter((x) => x.kind === 'store'), jobs: all.filter((x) => x.kind === 'job'), ...(agents?.length ? { agents } : {}) });
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
