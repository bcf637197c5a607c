import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { percentOf, progressText, stageText, type CardKind, type LiveRun } from '../live-progress.ts';
import { allowed, allowedAction, auditOf, refuse, type WebDeps } from '../web-app.tsx';
import { atLeast, viewerOf, type Viewer, type WebContext, type WebEnv } from '../web-env.ts';

/**
 * The overview's own script, read once: it follows RUNNING cards by polling /api/live every 2 s
 * while something runs (see the file for why polling, not server-sent events). The build copies
 * src/web/static next to the compiled routes (scripts/build.js).
 */
const LIVE_JS = readFileSync(new URL('../static/live.js', import.meta.url), 'utf8');

/** What a finished action tells the overview to say (the `aksi` query): a fixed set, so a crafted link can only show one of these. */
export const ACTION_NOTICES = {
  started: { store: 'webActionSyncStarted', job: 'webActionBackupStarted' },
  busy: { store: 'webActionBusy', job: 'webActionBusy' },
  elsewhere: { store: 'webActionBusyElsewhere', job: 'webActionBusyElsewhere' },
  cancelled: { store: 'webActionCancelled', job: 'webActionCancelled' },
  idle: { store: 'webActionNotRunning', job: 'webActionNotRunning' },
  failed: { store: 'webActionFailed', job: 'webActionFailed' },
} as const;
export type ActionNotice = keyof typeof ACTION_NOTICES;

/** The runs a viewer may follow: backup jobs are admin matters (as on the overview). */
const visible = (runs: LiveRun[], viewer: Viewer) => (atLeast(viewer.role, 'admin') ? runs : runs.filter((r) => r.card === 'store'));

/** Who stopped a run, as its error records it. */
const by = (v: Viewer) => `web ${v.role} (web:${v.userId})`;

/** Sync now, back up now and cancel (admins and owners), /api/live and the script that polls it. */
export function liveRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const audit = auditOf(deps);

  app.get('/static/live.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(LIVE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  app.get('/api/live', allowed('staff'), async (c) => {
    const lang = c.get('lang');
    const runs = visible(await (deps.live?.() ?? Promise.resolve([])), viewerOf(c));
    return c.json({ runs: runs.map((r) => ({ ...r, stageText: stageText(lang, r.stage), percent: percentOf(r), text: progressText(lang, r) })) });
  });


  async function known(card: CardKind, id: string): Promise<boolean> {
    return card === 'store' ? deps.stores.some((s) => s.id === id) : (await deps.jobs()).some((j) => j.job.id === id);
  }

  /** Back to the overview, at the card, saying how it went. */
  const back = (c: WebContext, notice: ActionNotice, card: CardKind, id: string) =>
    c.redirect(`/?aksi=${notice}&jenis=${card}&id=${encodeURIComponent(id)}#${card}-${encodeURIComponent(id)}`, 303);

  const actionOf = (card: CardKind, what: 'start' | 'cancel') => `${card === 'store' ? 'sync' : 'backup'}.${what}`;

  function act(card: CardKind, what: 'start' | 'cancel') {
    const action = actionOf(card, what);
    return async (c: WebContext) => {
      const id = c.req.param('id') ?? '';
      if (!(await known(card, id))) {
        await audit(c, { action, target: id.slice(0, 100), outcome: 'refused', detail: 'no such store or job' });
        return refuse(c, 404, 'webNotFound');
      }
      if (!deps.actions) {
        await audit(c, { action, target: id, outcome: 'refused', detail: 'runs are made by tokobot start, not here' });
        return refuse(c, 409, 'webActionsOff');
      }
      const viewer = viewerOf(c);
      if (what === 'cancel') {
        const stopped = deps.actions.cancel(card, id, by(viewer));
        await audit(c, { action, target: id, outcome: stopped ? 'ok' : 'refused', detail: stopped ? `stopped at ${stopped.stage}` : 'not running here' });
        return back(c, stopped ? 'cancelled' : 'idle', card, id);
      }
      const result = await deps.actions.start(card, id, `web:${viewer.userId}`);
      if ('started' in result) {
        await audit(c, { action, target: id, outcome: 'ok', detail: 'started' });
        return back(c, 'started', card, id);
      }
      if ('busy' in result) {
        await audit(c, { action, target: id, outcome: 'refused', detail: result.busy ? `already running (${result.busy})` : 'running in another process' });
        return back(c, result.busy ? 'busy' : 'elsewhere', card, id);
      }
      await audit(c, { action, target: id, outcome: 'failed', detail: deps.scrub(result.failed).slice(0, 500) });
      return back(c, 'failed', card, id);
    };
  }

  for (const [path, card, what] of [['/toko/:id/sync', 'store', 'start'], ['/toko/:id/batal', 'store', 'cancel'],
    ['/backup/:id/jalankan', 'job', 'start'], ['/backup/:id/batal', 'job', 'cancel']] as const) {
    app.post(path, allowedAction(deps, 'admin', actionOf(card, what)), act(card, what));
  }
  return app;
}
