import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Role, StoreConfig } from '../config/load-config.ts';
import type { Lang } from '../i18n/lang.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import { SESSION_TTL_MS, type WebSignIn } from '../pipeline/web-sign-in.ts';
import type { WebUser } from '../store/web-auth.ts';
import { jobCard, ordered, storeCard, type Card } from './overview.ts';
import { NoticePage, OverviewPage } from './pages.tsx';

/** What the dashboard shows and who may see it: the pipeline's data and actions, never SQL. */
export interface WebDeps {
  signIn: Pick<WebSignIn, 'redeem' | 'session'>;
  stores: StoreConfig[];
  status: (store: StoreConfig) => Promise<StoreStatus>;
  jobs: () => Promise<JobState[]>;
  /** Roles as configured now: a session of someone no longer listed signs nobody in. */
  roles: ReadonlyMap<number, Role>;
  langOf: (userId: number) => Promise<Lang>;
  /** The zone of times that belong to no store (backup jobs). */
  zone: string;
  /** Text shown beyond the log has the configured secrets replaced (a failure may quote a connection URL). */
  scrub: (text: string) => string;
  /** Served over https: the cookie is Secure. */
  secure: boolean;
  now?: () => Date;
}

const COOKIE = 'tokobot_session';
/** No script, no frames, no outside resources: the pages need none, so nothing injected could load any. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const page = (c: Context, body: unknown, status: 200 | 401 | 404 | 410) => c.html(html`<!doctype html>${body}`, status);

/** The dashboard as a Hono app: served by the web server (src/main/web-server.ts), asked directly in tests (app.request). */
export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? (() => new Date());

  app.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  });

  /** The signed-in person with their role as configured now, or null. */
  async function signedIn(c: Context): Promise<WebUser | null> {
    const id = getCookie(c, COOKIE);
    const user = id ? await deps.signIn.session(id) : null;
    const role = user && deps.roles.get(user.userId);
    return user && role ? { userId: user.userId, role } : null;
  }

  async function cards(user: WebUser): Promise<Card[]> {
    const stores = await Promise.all(deps.stores.map(async (s) => storeCard(s, await deps.status(s), deps.zone)));
    // Backup jobs are admin matters, as in the bot's /status.
    const jobs = user.role === 'staff' ? [] : (await deps.jobs()).map((j) => jobCard(j, deps.zone, now()));
    return ordered([...stores, ...jobs]).map((card) => card.lastFailure ? { ...card, lastFailure: { ...card.lastFailure, why: deps.scrub(card.lastFailure.why) } } : card);
  }

  app.get('/masuk/:token', async (c) => {
    const result = await deps.signIn.redeem(c.req.param('token'));
    if ('refused' in result) {
      const text = result.refused === 'used' ? 'webLinkUsed' : result.refused === 'expired' ? 'webLinkExpired' : 'webLinkUnknown';
      return page(c, <NoticePage title="webSignInTitle" text={text} />, result.refused === 'unknown' ? 404 : 410);
    }
    setCookie(c, COOKIE, result.sessionId, { httpOnly: true, sameSite: 'Lax', secure: deps.secure, path: '/', maxAge: SESSION_TTL_MS / 1000 });
    return c.redirect('/', 303);
  });

  app.get('/', async (c) => {
    const user = await signedIn(c);
    if (!user) return page(c, <NoticePage title="webSignInTitle" text="webSignInHint" />, 401);
    const lang = await deps.langOf(user.userId);
    return page(c, <OverviewPage lang={lang} cards={await cards(user)} who={{ id: user.userId, role: user.role }} />, 200);
  });

  app.get('/api/status', async (c) => {
    const user = await signedIn(c);
    if (!user) return c.json({ error: 'not signed in: send /web to the bot for a sign-in link' }, 401);
    const all = await cards(user);
    return c.json({ stores: all.filter((x) => x.kind === 'store'), jobs: all.filter((x) => x.kind === 'job') });
  });

  app.notFound((c) => c.text('not found', 404));
  return app;
}
