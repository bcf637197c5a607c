import { Hono } from 'hono';
import { alertTitle } from '../../pipeline/alerts/alert-messages.ts';
import type { OpenAlert, ResolvedAlert } from '../../pipeline/alerts/alert-types.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import type { RunKind, RunRecord } from '../../store/run-history.ts';
import { allowed, refuse, type WebDeps } from '../web-app.tsx';
import { atLeast, viewerOf, type WebContext, type WebEnv } from '../web-env.ts';
import { alertsNow } from './alerts.tsx';
import { storeCards } from './overview.tsx';

/** Runs per /api/runs answer: 50 unless asked, never more than 500 (a year of daily syncs of one store fits). */
const RUNS_DEFAULT = 50;
const RUNS_MAX = 500;

/** A run recorded as running, with what this process knows of it now (null when another process runs it). */
export interface RunNow extends RunRecord {
  progress: { stage: string; done?: number; total?: number; rows?: number; text?: string; destination?: string } | null;
}

const span = (from: Date | string, to: Date | string | null | undefined) => (to ? new Date(to).getTime() - new Date(from).getTime() : null);

function runJson(r: RunRecord, scrub: (text: string) => string) {
  return {
    kind: r.kind, id: r.id, subject: r.subject, trigger: r.trigger, status: r.status, stage: r.stage, startedAt: r.startedAt, finishedAt: r.finishedAt,
    durationMs: span(r.startedAt, r.finishedAt), error: r.error && scrub(r.error),
    stages: r.stages.map((s) => ({ name: s.name, startedAt: s.startedAt, endedAt: s.endedAt ?? null, durationMs: span(s.startedAt, s.endedAt) })),
  };
}

function backupJson(r: BackupRun, scrub: (text: string) => string) {
  return { id: r.id, trigger: r.trigger, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, file: r.fileName, bytes: r.bytes, sha256: r.sha256,
    copies: r.destinations.length, error: r.error && scrub(r.error) };
}

/** The limit asked for, or null when it is not a whole number from 1 to RUNS_MAX. */
function limitOf(text: string | undefined): number | null {
  if (text === undefined) return RUNS_DEFAULT;
  const n = /^\d{1,3}$/.test(text) ? Number(text) : 0;
  return n >= 1 && n <= RUNS_MAX ? n : null;
}

/** Staff see syncs only: backup jobs are admin matters, as on the overview. */
const kindsFor = (c: WebContext): RunKind | undefined => (atLeast(viewerOf(c).role, 'admin') ? undefined : 'sync');

/**
 * The JSON API (/api/…): the dashboard's data for integrations (API token) and scripts (session),
 * with the same roles as the pages. Times are ISO strings; refusals are {error, message}.
 */
export function apiRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const staff = allowed('staff');
  const admin = allowed('admin');

  app.get('/api/stores', staff, async (c) => c.json({ stores: await storeCards(deps) }));

  app.get('/api/runs', staff, async (c) => {
    const limit = limitOf(c.req.query('limit'));
    if (limit === null) return refuse(c, 400, 'webApiBadLimit');
    let kind = kindsFor(c);
    const subject = c.req.query('store') || undefined;
    if (subject !== undefined && !deps.stores.some((s) => s.id === subject)) {
      if (!(await deps.jobs()).some((j) => j.job.id === subject)) return refuse(c, 404, 'webApiUnknownStore');
      if (kind === 'sync') return refuse(c, 403, 'webNotAllowed');
      kind = 'backup';
    } else if (subject !== undefined) kind = 'sync';
    const runs = await deps.runs({ ...(kind ? { kind } : {}), ...(subject ? { subject } : {}), limit });
    return c.json({ runs: runs.map((r) => runJson(r, deps.scrub)) });
  });

  app.get('/api/running', staff, async (c) => {
    const kind = kindsFor(c);
    const runs = (await deps.running()).filter((r) => !kind || r.kind === kind);
    return c.json({ running: runs.map((r) => ({ ...runJson(r, deps.scrub), progress: r.progress })) });
  });

  app.get('/api/jobs', admin, async (c) => c.json({
    jobs: (await deps.jobs()).map(({ job, nextRun, running, last, lastGood }) => ({
      id: job.id, type: job.type, schedule: job.schedule ?? null, destinations: job.destinations.map((d) => ({ ...d })), verify: job.verify,
      encrypted: Boolean(job.passphrase), nextRun, running, last: last ? backupJson(last, deps.scrub) : null, lastGood: lastGood ? backupJson(lastGood, deps.scrub) : null,
    })),
  }));

  app.get('/api/alerts', admin, async (c) => {
    const { open, resolved, channels } = await alertsNow(deps);
    const json = (a: OpenAlert | ResolvedAlert) => ({ ...a, title: alertTitle(a, { lang: 'en', zone: deps.zone }) });
    return c.json({ open: open.map(json), resolved: resolved.map(json), channels });
  });
  return app;
}
