import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { App } from './main/app.ts';

/** The parts of the app the ops pages read. */
export type OpsHttpApp = Pick<App, 'config' | 'opsStores' | 'backupAlertStores' | 'target' | 'alerts' | 'logger'>;
import { AppError, describeError } from './errors.ts';
import { isLoopbackHost } from './loopback.ts';
import { scrubbedJson, secretValues } from './config/secrets.ts';
import type { Messenger } from './pipeline/alerts/ports.ts';
import type { BackupRunner } from './pipeline/backup/backup-runner.ts';
import { storeStatus } from './pipeline/status.ts';

export interface OpsHttpOptions {
  host: string;
  port: number;
  /** HTTP_TOKEN: /status and /metrics want `Authorization: Bearer <token>` when set; required beyond loopback. */
  token?: string;
  backups: BackupRunner;
  nextBackup: (jobId: string) => Date | null;
  /** Whether the Telegram bot is taking updates. */
  telegram: () => { ready: boolean; text: string };
  messengers: () => Messenger[];
  /** The job queue's counts (every process's jobs). */
  queue: { counts(): Promise<{ waiting: number; running: number; givenUp: number }> };
}

/** Figures read from the ops database at each scrape, so they survive restarts and count every process's runs. */
function metrics(app: OpsHttpApp, queue: OpsHttpOptions['queue']): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tokobot_' });
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({ name, help, labelNames, registers: [registry], async collect() { this.reset(); await collect(this); } });
  // Runs by outcome and the duration of the last finished one, for syncs (per store) and backup jobs (per job).
  const { watch } = app.backupAlertStores;
  for (const [kind, key, what] of [['sync', 'store', 'Sync runs'], ['backup', 'job', 'Backup job runs']] as const) {
    gauge(`tokobot_${kind}_runs`, `${what} recorded, by ${key} and outcome`, [key, 'status'], async (g) => {
      for (const r of await watch.tally(kind)) g.set({ [key]: r.subject, status: r.status }, r.runs);
    });
    gauge(`tokobot_${kind}_last_duration_seconds`, `Duration of the last finished of the ${what.toLowerCase()}, by ${key} and outcome`, [key, 'status'], async (g) => {
      for (const r of await watch.lastFinished(kind)) g.set({ [key]: r.subject, status: r.status }, r.seconds);
    });
  }
  gauge('tokobot_backup_age_seconds', 'Age of the newest iPOS backup seen in each store\'s folder', ['store'], async (g) => {
    for (const s of app.config.stores) {
      const status = await storeStatus(app.opsStores, s);
      if (status.newestBackup) g.set({ store: s.id }, Math.round(status.newestBackup.ageHours * 3600));
    }
  });
  gauge('tokobot_workers', 'Worker processes beating now, by machine: their job slots', ['machine'], async (g) => {
    for (const w of await app.opsStores.workers.list()) g.inc({ machine: w.machine }, w.concurrency);
  });
  gauge('tokobot_queue_jobs', 'Jobs in the queue, by state (waiting, running, given up)', ['state'], async (g) => {
    const c = await queue.counts();
    for (const [state, n] of [['waiting', c.waiting], ['running', c.running], ['given_up', c.givenUp]] as const) g.set({ state }, n);
  });
  gauge('tokobot_alerts_open', 'Open alerts, by severity', ['severity'], async (g) => {
    g.set({ severity: 'warning' }, 0);
    g.set({ severity: 'critical' }, 0);
    for (const a of await app.backupAlertStores.alerts.open()) g.inc({ severity: a.severity });
  });
  return registry;
}

type Check = { ok: boolean; text: string };

/** Each part up or down, with what the operator needs to know (shown on /status, behind the token). */
async function checks(app: OpsHttpApp, o: Pick<OpsHttpOptions, 'telegram' | 'messengers'>): Promise<Record<string, Check>> {
  const all: Record<string, Check> = { process: { ok: true, text: `up ${Math.round(process.uptime())} s` } };
  try {
    await app.backupAlertStores.watch.ping();
    all.opsDatabase = { ok: true, text: 'reachable' };
  } catch (err) {
    all.opsDatabase = { ok: false, text: describeError(err) };
  }
  all.restoreServer = { ok: all.opsDatabase.ok, text: `${app.target.kind}: ${all.opsDatabase.ok ? 'accepting connections' : 'unreachable'}` };
  const tg = o.telegram();
  all.telegram = { ok: tg.ready, text: tg.text };
  for (const m of o.messengers()) if (m.channel === 'whatsapp') all.whatsapp = { ok: m.state().ready, text: m.state().text };
  return all;
}

/**
 * The overall verdict: the ops database carries everything else, so without it tokobot is
 * "down"; a channel that is down only makes it "degraded".
 */
function verdict(all: Record<string, Check>): 'ok' | 'degraded' | 'down' {
  return !all.opsDatabase?.ok ? 'down' : Object.values(all).every((c) => c.ok) ? 'ok' : 'degraded';
}

/** Refuses to open /status and /metrics to the network without a token: they show hosts, users, paths and ids. Decided by the configured address, not by who connects. */
export function checkOpsHttpExposure(host: string, token: string | undefined): void {
  if (token || isLoopbackHost(host)) return;
  throw new AppError('config', 'tokobot', `HTTP_HOST=${host} is not a loopback address, so /status and /metrics would be open to the network without a password. ` +
    'Set HTTP_TOKEN to a long random string (e.g. the output of openssl rand -hex 24); clients then send "Authorization: Bearer <HTTP_TOKEN>". ' +
    'Or set HTTP_HOST=127.0.0.1 (/healthz needs no token).');
}

/** Compares hashes, so that neither the content nor the length of the token leaks through timing. */
function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/**
 * The operator's view over HTTP (off unless HTTP_PORT is set): /healthz (200, or 503 when the ops
 * database is unreachable) for anyone, with up/down per part and nothing else; /metrics in
 * Prometheus format and /status as JSON (the checks' details, stores, backup jobs, open alerts),
 * behind HTTP_TOKEN when one is set, which it must be beyond loopback.
 */
export function opsHttpHandler(app: OpsHttpApp, o: Omit<OpsHttpOptions, 'host' | 'port'>): http.RequestListener {
  const registry = metrics(app, o.queue);
  const secrets = secretValues(app.config);
  return (req, res) => {
    const send = (status: number, type: string, body: string) => { res.writeHead(status, { 'content-type': type }); res.end(body); };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
      if (url.pathname === '/healthz') {
        const all = await checks(app, o);
        const status = verdict(all);
        const parts = Object.fromEntries(Object.entries(all).map(([name, c]) => [name, c.ok ? 'ok' : 'down']));
        return send(status === 'down' ? 503 : 200, 'application/json', `${JSON.stringify({ status, checks: parts }, null, 2)}\n`);
      }
      if ((url.pathname === '/metrics' || url.pathname === '/status') && !authorized(req, o.token)) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="tokobot"' });
        return res.end('401: send "Authorization: Bearer <HTTP_TOKEN>"\n');
      }
      if (url.pathname === '/metrics') return send(200, registry.contentType, await registry.metrics());
      if (url.pathname === '/status') {
        const all = await checks(app, o);
        const stores = [];
        for (const s of app.config.stores) stores.push(await storeStatus(app.opsStores, s));
        const jobs = (await o.backups.states(o.nextBackup)).map((j) => ({ ...j, job: { id: j.job.id, type: j.job.type, schedule: j.job.schedule } }));
        const queue = { ...(await o.queue.counts()), workers: await app.opsStores.workers.list() };
        const body = { health: { status: verdict(all), checks: all }, stores, jobs, queue, alerts: await app.alerts.open() };
        return send(200, 'application/json', `${scrubbedJson(body, secrets)}\n`);
      }
      send(404, 'text/plain', 'not found: try /healthz, /metrics or /status\n');
    })().catch((err) => {
      app.logger.warn({ err, url: req.url }, 'ops http request failed');
      // The reason goes to the log only: this answer may reach someone without the token.
      if (!res.headersSent) send(500, 'text/plain', 'internal error: see tokobot\'s log\n');
    });
  };
}
