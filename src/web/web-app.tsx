import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Role, StoreConfig } from '../config/load-config.ts';
import type { Lang } from '../i18n/lang.ts';
import { t, type TextKey } from '../i18n/text.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import { SESSION_TTL_MS, type WebSignIn } from '../pipeline/web-sign-in.ts';
import type { AuditEntry, WebAudit } from '../store/web-audit.ts';
import { csrfMatches, csrfToken } from './csrf.ts';
import { NoticePage } from './pages.tsx';
import { overviewRoutes } from './routes/overview.tsx';
import { liveRoutes } from './routes/live.ts';
import type { LiveRun, WebActions } from './live-progress.ts';
import { atLeast, type WebContext, type WebEnv } from './web-env.ts';

/** What the dashboard shows and who may see it: the pipeline's data and actions, never SQL. */
export interface WebDeps {
  signIn: Pick<WebSignIn, 'redeem' | 'session' | 'end'>;
  /** The viewer an API token (`Authorization: Bearer …`) stands for, or null when it is none of ours. */
  apiViewer?: (token: string) => Promise<{ userId: number; role: Role } | null>;
  audit: WebAudit;
  stores: StoreConfig[];
  status: (store: StoreConfig) => Promise<StoreStatus>;
  /** status() of many stores in a few queries (the overview of 200 stores); without it, one store at a time. */
  statuses?: (stores: StoreConfig[]) => Promise<StoreStatus[]>;
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
  /** What runs now: this process's runs with their progress, other processes' with the stage their run log says. */
  live?: () => Promise<LiveRun[]>;
  /** Sync now, back up now, cancel: only where runs are made (tokobot start). Without it no page offers them. */
  actions?: WebActions;
  /** The longest gap between a backup job's scheduled runs, or null when it runs on demand only. */
  jobEvery?: (jobId: string) => number | null;
}

export const SESSION_COOKIE = 'tokobot_session';
/** No script but our own, no frames, no outside resources: nothing injected could load anything. */
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Forms here carry a few fields; anything larger is not ours. */
const MAX_BODY = 64 * 1024;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A refusal as /api callers and browsers each read it. */
export function refuse(c: WebContext, status: 400 | 401 | 403 | 404 | 409 | 410 | 413, key: TextKey) {
  if (c.req.path.startsWith('/api/')) return c.json({ error: key, message: t('en', key) }, status);
  return c.html(html`<!doctype html>${<NoticePage title={status === 401 ? 'webSignInTitle' : 'webRefusedTitle'} text={key} lang={c.get('viewer') ? c.get('lang') : undefined} />}`, status);
}

/** Records a state-changing request in the audit trail, as the viewer of `c` from where they are. */
export function auditOf(deps: Pick<WebDeps, 'audit' | 'now'>) {
  return (c: WebContext, e: Pick<AuditEntry, 'action' | 'target' | 'outcome' | 'detail'>) => {
    const v = c.get('viewer');
    return deps.audit.record({ at: (deps.now ?? (() => new Date()))(), userId: v?.userId ?? null, role: v?.role ?? 'none', via: v?.via ?? 'session', from: c.get('from'), ...e });
  };
}

function clientAddress(c: WebContext): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // asked in process (app.request): no socket
  }
}

/** The dashboard as a Hono app: served by the web server (src/main/web-server.ts), asked directly in tests (app.request). */
export function createWebApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const audit = auditOf(deps);

  app.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: with it Chromium sends `Origin: null` on our own forms, and the CSRF check refuses them.
    // same-origin still tells other sites nothing (no sign-in link or page address leaves in a Referer).
    c.header('Referrer-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  app.use(bodyLimit({ maxSize: MAX_BODY, onError: (c) => refuse(c as WebContext, 413, 'webTooLarge') }));

  /** Who is asking, with the role they have now (a session or token of someone no longer listed is nobody). */
  app.use(async (c, next) => {
    c.set('from', clientAddress(c));
    c.set('viewer', null);
    c.set('lang', 'id');
    const bearer = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (bearer && c.req.path.startsWith('/api/')) {
      const found = deps.apiViewer ? await deps.apiViewer(bearer) : null;
      const now = found && deps.roles.get(found.userId);
      if (found && now) c.set('viewer', { userId: found.userId, role: lower(found.role, now), via: 'token', csrf: '' });
    } else if (sessionId) {
      const user = await deps.signIn.session(sessionId);
      const role = user && deps.roles.get(user.userId);
      if (user && role) {
        c.set('viewer', { userId: user.userId, role, via: 'session', csrf: csrfToken(sessionId) });
        c.set('lang', await deps.langOf(user.userId));
      }
    }
    await next();
  });

  /** Every state-changing request of a session carries its CSRF token and, when the browser says, comes from this site. */
  app.use(async (c, next) => {
    const viewer = c.get('viewer');
    if (!STATE_CHANGING.has(c.req.method) || viewer?.via !== 'session') return next();
    const origin = c.req.header('origin');
    const sameSite = !origin || origin === new URL(c.req.url).origin;
    const form = (c.req.header('content-type') ?? '').match(/form/) ? await c.req.parseBody() : {};
    const given = c.req.header('x-csrf-token') ?? (typeof form._csrf === 'string' ? form._csrf : undefined);
    if (sameSite && csrfMatches(getCookie(c, SESSION_COOKIE) ?? '', given)) return next();
    await audit(c, { action: `${c.req.method} ${c.req.path}`, target: '', outcome: 'refused', detail: sameSite ? 'CSRF token missing or wrong' : `from another site: ${origin}` });
    return refuse(c, 403, 'webCsrf');
  });

  app.get('/masuk/:token', async (c) => {
    const result = await deps.signIn.redeem(c.req.param('token'), { from: c.get('from'), agent: c.req.header('user-agent')?.slice(0, 200) ?? null });
    if ('refused' in result) {
      const text = result.refused === 'used' ? 'webLinkUsed' : result.refused === 'expired' ? 'webLinkExpired' : 'webLinkUnknown';
      return refuse(c, result.refused === 'unknown' ? 404 : 410, text);
    }
    setCookie(c, SESSION_COOKIE, result.sessionId, { httpOnly: true, sameSite: 'Lax', secure: deps.secure, path: '/', maxAge: SESSION_TTL_MS / 1000 });
    return c.redirect('/', 303);
  });

  app.post('/keluar', async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id && c.get('viewer')) await deps.signIn.end(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  app.route('/', overviewRoutes(deps));
  app.route('/', liveRoutes(deps));

  app.notFound((c) => refuse(c, 404, 'webNotFound'));
  return app;
}

/** An API token acts with the role it was made with, never more than its maker has now. */
const lower = (made: Role, now: Role): Role => (atLeast(now, made) ? made : now);
