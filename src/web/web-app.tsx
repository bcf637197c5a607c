import { randomBytes } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Role, StoreConfig } from '../config/load-config.ts';
import { errorDetail, isAppError } from '../errors.ts';
import type { Lang } from '../i18n/lang.ts';
import type { AgentIngest } from '../pipeline/agents/ingest.ts';
import { PROTOCOL_PATH } from '../pipeline/agents/protocol.ts';
import { t, type TextKey, type TextParams } from '../i18n/text.ts';
import type { BackupConsole } from '../pipeline/backup/backup-console.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { RestoreTasks } from '../pipeline/backup/restore-tasks.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import { SESSION_TTL_MS, type WebSignIn } from '../pipeline/web-sign-in.ts';
import type { WebTokenKeys } from '../pipeline/web-tokens.ts';
import type { RunHistory } from '../store/run-history.ts';
import type { AuditEntry, WebAudit } from '../store/web-audit.ts';
import { csrfMatches, csrfToken } from './csrf.ts';
import { NoticePage } from './pages.tsx';
import { alertsRoutes, type WebAlerts } from './routes/alerts.tsx';
import { apiRoutes, type RunNow } from './routes/api.ts';
import { backupRoutes } from './routes/backups.tsx';
import { overviewRoutes } from './routes/overview.tsx';
import { accessRoutes } from './routes/access.tsx';
import { auditRoutes } from './routes/audit.tsx';
import { kioskRoutes } from './routes/kiosk.tsx';
import { atLeast, need, type WebContext, type WebEnv } from './web-env.ts';
import { storeRoutes } from './routes/store.tsx';
import type { StorePageData } from './store-page.tsx';
import { liveRoutes } from './routes/live.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { agentRoutes, type WebAgents } from './routes/agents.tsx';
import type { LiveRun, WebActions } from './live-progress.ts';

/** What the dashboard shows and who may see it: the pipeline's data and actions, never SQL. */
export interface WebDeps {
  signIn: Pick<WebSignIn, 'redeem' | 'session' | 'end' | 'publicIdOf' | 'sessions' | 'revoke'>;
  /** API tokens and kiosk links (owners make and revoke them on /akses; a kiosk link opens /kios/…). */
  tokens: Pick<WebTokenKeys, 'issue' | 'find' | 'list' | 'revoke'>;
  /** Where the dashboard is reached from outside (WEB_URL): kiosk links are shown with it. */
  baseUrl?: string;
  /** The viewer an API token (`Authorization: Bearer …`) stands for, or null when it is none of ours. */
  apiViewer?: (token: string) => Promise<{ userId: number; role: Role } | null>;
  audit: WebAudit;
  stores: StoreConfig[];
  /** The status of each store, in the order given, in a few queries (the overview of 200 stores). */
  statuses: (stores: StoreConfig[]) => Promise<StoreStatus[]>;
  jobs: () => Promise<JobState[]>;
  /** Syncs and backup runs, newest first, with their stages (every process's). */
  runs: RunHistory['recent'];
  /** The runs recorded as running now, with live stage and progress for those this process runs. */
  running: () => Promise<RunNow[]>;
  alerts: WebAlerts;
  /** Roles as configured now: a session of someone no longer listed signs nobody in. */
  roles: ReadonlyMap<number, Role>;
  langOf: (userId: number) => Promise<Lang>;
  /** The zone of times that belong to no store (backup jobs). */
  zone: string;
  /** Text shown beyond the log has the configured secrets replaced (a failure may quote a connection URL). */
  scrub: (text: string) => string;
  /** What the store pages (/toko/:id) read: runs, the published list, the bot's search, the last sync's changes. */
  storePage: StorePageData;
  /** Served over https: the cookie is Secure. */
  secure: boolean;
  /** Behind a reverse proxy: the client is the last address of X-Forwarded-For (the one the proxy saw). */
  trustProxy?: boolean;
  /** The backup console (/backup/:job) and the restores it started; without it those URLs are not found. */
  backups?: {
    files: Pick<BackupConsole, 'job' | 'files' | 'find' | 'open' | 'remove' | 'retention' | 'verify' | 'tables'>;
    restores: Pick<RestoreTasks, 'get' | 'running' | 'start'>;
  };
  now?: () => Date;
  /** Where an unexpected error of a request is logged, under the reference the page shows. */
  log?: (err: unknown, ref: string) => void;
  /** What runs now: this process's runs with their progress, other processes' with the stage their run log says. */
  live?: () => Promise<LiveRun[]>;
  /** Sync now, back up now, cancel: only where runs are made (tokobot start). Without it no page offers them. */
  actions?: WebActions;
  /** The shop agents (/agen) and their tokens; without it the page lists none. */
  agents?: WebAgents;
  /** The longest gap between a backup job's scheduled runs, or null when it runs on demand only. */
  jobEvery?: (jobId: string) => number | null;
  /** Shop agents' reports (AGENT_INGEST=true), at PROTOCOL_PATH; without it those URLs are not found. */
  ingest?: Pick<AgentIngest, 'hello' | 'reports'>;
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

/** Lets in viewers of at least `min`; others get 401 (how to sign in) or 403 (`text`), as a page or as JSON for /api. */
export function allowed(min: Role, text: TextKey = 'webNotAllowed'): MiddlewareHandler<WebEnv> {
  return need(min, (c, status) => refuse(c, status, status === 403 ? text : c.req.path.startsWith('/api/') ? 'webApiSignIn' : 'webSignInHint'));
}

/**
 * `allowed` for what changes or hands out something: a signed-in viewer below `min` (a URL typed,
 * a form forged) is refused and the attempt recorded as `action` on the route's target. Anonymous
 * attempts are not recorded: anyone could fill the trail with them.
 */
export function allowedAction(deps: Pick<WebDeps, 'audit' | 'now'>, min: Role, action: string): MiddlewareHandler<WebEnv> {
  const audit = auditOf(deps);
  return need(min, async (c, status) => {
    const viewer = c.get('viewer');
    if (viewer) await audit(c, { action, target: (c.req.param('job') ?? c.req.param('id') ?? '').slice(0, 40), outcome: 'refused', detail: `needs ${min}, the viewer is ${viewer.role}` });
    return refuse(c, status, status === 403 ? 'webNotAllowed' : 'webSignInHint');
  });
}

function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  if (forwarded) return forwarded.slice(0, 100);
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

  // First, so that it answers before any middleware below runs: agents sign in with their store's
  // bearer token, never a session, and send batches larger than the dashboard's forms.
  if (deps.ingest) app.route(PROTOCOL_PATH, ingestRoutes(deps.ingest, (c) => clientAddress(c, deps.trustProxy ?? false)));

  app.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    // Never a Referer to another site (a kiosk or sign-in URL is a secret). Not 'no-referrer': with it
    // browsers send `Origin: null` on form POSTs (Fetch spec, "serializing a request origin"), which
    // the CSRF check below must then refuse.
    c.header('Referrer-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  app.use(bodyLimit({ maxSize: MAX_BODY, onError: (c) => refuse(c as WebContext, 413, 'webTooLarge') }));

  /** Who is asking, with the role they have now (a session or token of someone no longer listed is nobody). */
  app.use(async (c, next) => {
    c.set('from', clientAddress(c, deps.trustProxy ?? false));
    c.set('viewer', null);
    c.set('lang', 'id');
    const bearer = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (bearer && c.req.path.startsWith('/api/')) {
      const found = deps.apiViewer ? await deps.apiViewer(bearer) : null;
      const now = found && deps.roles.get(found.userId);
      if (found && now) c.set('viewer', { userId: found.userId, role: actingRole(found.role, now), via: 'token', csrf: '' });
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
  app.route('/', accessRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', kioskRoutes(deps));
  app.route('/', apiRoutes(deps));
  app.route('/', alertsRoutes(deps));
  app.route('/', storeRoutes(deps));
  app.route('/', backupRoutes(deps));
  app.route('/', liveRoutes(deps));
  app.route('/', agentRoutes(deps));

  app.notFound((c) => refuse(c, 404, 'webNotFound'));

  /**
   * What a route did not handle: a failure tokobot knows (a destination out of reach, a backup file
   * that is damaged…) is said as it is, in the reader's language; anything else is a bug, said with
   * a reference that finds its detail in the log.
   */
  app.onError((err, c) => {
    const ctx = c as WebContext;
    const signedIn = !!ctx.get('viewer');
    const lang = signedIn ? ctx.get('lang') : 'id';
    const ref = randomBytes(4).toString('hex');
    if (!isAppError(err)) deps.log?.(err, ref);
    const said = (l: Lang): { key: TextKey; params: TextParams } =>
      (isAppError(err) ? { key: 'webFailed', params: { why: deps.scrub(errorDetail(err, l)) } } : { key: 'webUnexpected', params: { ref } });
    const status = isAppError(err) && err.kind === 'unreachable' ? 503 : 500;
    if (ctx.req.path.startsWith('/api/')) return ctx.json({ error: said('en').key, message: t('en', said('en').key, said('en').params) }, status);
    const { key, params } = said(lang);
    return ctx.html(html`<!doctype html>${<NoticePage title="webRefusedTitle" text={key} params={params} lang={signedIn ? lang : undefined} />}`, status);
  });
  return app;
}

/** A token (API or kiosk) acts with the role it was made with, never more than its maker has now. */
export const actingRole = (made: Role, now: Role): Role => (atLeast(now, made) ? made : now);
