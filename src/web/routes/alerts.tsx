import { Hono } from 'hono';
import { html } from 'hono/html';
import { MAX_MUTE_HOURS, type OpenAlert, type ResolvedAlert } from '../../pipeline/alerts/alert-types.ts';
import type { Channel, MessengerState } from '../../pipeline/alerts/ports.ts';
import type { ChannelTest } from '../../main/alerting.ts';
import { AlertsPage } from '../alerts-page.tsx';
import { allowed, allowedAction, auditOf, refuse, type WebDeps } from '../web-app.tsx';
import { type WebContext, type WebEnv } from '../web-env.ts';
import { pageViewer } from './overview.tsx';

/** The alert side as the dashboard uses it: the alert engine's state and this process's channels. */
export interface WebAlerts {
  open(): Promise<OpenAlert[]>;
  /** The most recently resolved, newest first. */
  resolved(limit: number): Promise<ResolvedAlert[]>;
  /** Mutes the open alert `key` until `until` (null unmutes); how many were changed (0: none open with that key). */
  mute(key: string, until: Date | null): Promise<number>;
  /** Each running alert channel and whether it can send now (none before the alert side runs). */
  channels(): (MessengerState & { channel: Channel })[];
  /** Sends a test message on `channel` to every recipient who has it; one result per attempt. */
  test(channel: Channel): Promise<ChannelTest[]>;
}

/** How many resolved alerts the page and /api/alerts show. */
const HISTORY = 50;
const HOUR = 3_600_000;
/** Keys are ours ("sync:pusat", "backup-failed:db"): anything longer is not one. */
const MAX_KEY = 200;

/** Open alerts, their recent history and the channels, params scrubbed of secrets (an error text may quote a URL): page and API. */
export async function alertsNow(deps: Pick<WebDeps, 'alerts' | 'scrub'>) {
  const shown = (a: OpenAlert): OpenAlert => ({
    key: a.key, kind: a.kind, severity: a.severity, subject: a.subject, openedAt: a.openedAt, lastSentAt: a.lastSentAt, mutedUntil: a.mutedUntil,
    params: Object.fromEntries(Object.entries(a.params).map(([k, v]) => [k, typeof v === 'string' ? deps.scrub(v) : v])),
  });
  const [open, resolved] = await Promise.all([deps.alerts.open(), deps.alerts.resolved(HISTORY)]);
  return { open: open.map(shown), resolved: resolved.map((a): ResolvedAlert => ({ ...shown(a), resolvedAt: a.resolvedAt })), channels: deps.alerts.channels().map((c) => ({ ...c, text: deps.scrub(c.text), ...(c.detail ? { detail: deps.scrub(c.detail) } : {}) })) };
}

/** /peringatan: open alerts and their history, mute and unmute, a test message per channel (admins and owners). */
export function alertsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const audit = auditOf(deps);
  const now = deps.now ?? (() => new Date());
  const admin = allowed('admin');
  const page = async (c: WebContext, test?: { channel: Channel; results: ChannelTest[] }) =>
    c.html(html`<!doctype html>${<AlertsPage viewer={pageViewer(c)} zone={deps.zone} now={now()} {...await alertsNow(deps)} test={test} />}`);

  app.get('/peringatan', admin, (c) => page(c));

  /** Mutes (hours given) or unmutes one open alert; refused with nothing changed when the key or the hours are not right. */
  const muting = (unmute: boolean) => async (c: WebContext) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key : '';
    const hoursText = typeof form.hours === 'string' ? form.hours : '';
    const action = unmute ? 'alert.unmute' : 'alert.mute';
    const hours = /^\d{1,4}$/.test(hoursText) ? Number(hoursText) : 0;
    if (!unmute && (hours < 1 || hours > MAX_MUTE_HOURS)) {
      await audit(c, { action, target: key.slice(0, MAX_KEY), outcome: 'refused', detail: `hours: ${hoursText.slice(0, 20)}` });
      return refuse(c, 400, 'webAlertsBadHours');
    }
    const changed = key && key.length <= MAX_KEY ? await deps.alerts.mute(key, unmute ? null : new Date(now().getTime() + hours * HOUR)) : 0;
    await audit(c, { action, target: key.slice(0, MAX_KEY), outcome: changed ? 'ok' : 'refused', detail: changed ? (unmute ? '' : `${hours} h`) : 'no open alert with that key' });
    return changed ? c.redirect('/peringatan', 303) : refuse(c, 404, 'webAlertsUnknown');
  };
  app.post('/peringatan/bisukan', allowedAction(deps, 'admin', 'alert.mute'), muting(false));
  app.post('/peringatan/bunyikan', allowedAction(deps, 'admin', 'alert.unmute'), muting(true));

  app.post('/peringatan/tes', allowedAction(deps, 'admin', 'alert.test'), async (c) => {
    const form = await c.req.parseBody();
    const channel = deps.alerts.channels().find((x) => x.channel === form.channel)?.channel;
    if (!channel) {
      await audit(c, { action: 'alert channel test', target: String(form.channel ?? '').slice(0, 40), outcome: 'refused', detail: 'unknown channel' });
      return refuse(c, 400, 'webAlertsBadChannel');
    }
    const results = (await deps.alerts.test(channel)).map((r) => (r.error ? { ...r, error: deps.scrub(r.error) } : r));
    const failed = results.filter((r) => r.error || r.off);
    await audit(c, { action: 'alert channel test', target: channel, outcome: failed.length ? 'failed' : 'ok',
      detail: `${results.length - failed.length} of ${results.length} sent${failed.length ? `: ${failed.map((r) => `${r.to} ${r.error ?? 'off'}`).join('; ')}` : ''}`.slice(0, 500) });
    return page(c, { channel, results });
  });
  return app;
}
