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
import { readAgentStatuses } from './main/agent-reads.ts';
import type { AgentStatus } from './pipeline/agents/agent-status.ts';

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
  const gauge: GaugeOf = (name, help, labelNames, collect) =>
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
  agentGauges(app, gauge);
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

type GaugeOf = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) => Gauge;

/**
 * The shop agents (when any reported): each store's agent's heartbeat age, disk, outbox and clock,
 * and each of its jobs' last good backup. Their runs also count in tokobot_backup_runs and
 * tokobot_backup_last_duration_seconds, as job "<store>/<job>" (the same run log). One read serves
 * every gauge of a scrape.
 */
function agentGauges(app: OpsHttpApp, gauge: GaugeOf): void {
  let read: { at: number; agents: Promise<AgentStatus[]> } | null = null;
  const agents = () => {
    if (!read || Date.now() - read.at > 1000) read = { at: Date.now(), agents: readAgentStatuses(app) };
    return read.agents;
  };
  const perAgent = (name: string, help: string, value: (a: AgentStatus) => number | null) => gauge(name, help, ['store'], async (g) => {
    for (const a of await agents()) { const v = value(a); if (v !== null) g.set({ store: a.store }, v); }
  });
  perAgent('tokobot_agent_heartbeat_age_seconds', 'Seconds since each store\'s shop agent last sent a heartbeat (head office clock)', (a) => (a.beatAgeMs === null ? null : Math.round(a.beatAgeMs / 1000)));
  perAgent('tokobot_agent_silent', '1 when the store\'s shop agent sent no heartbeat for longer than AGENT_SILENT_MINUTES', (a) => (a.silent ? 1 : 0));
  perAgent('tokobot_agent_outbox_pending', 'Reports waiting in the shop agent\'s outbox at its last heartbeat', (a) => a.outboxPending);
  perAgent('tokobot_agent_clock_skew_seconds', 'How far the shop PC\'s clock is ahead of the head office\'s', (a) => Math.round(a.skewMs / 1000));
  gauge('tokobot_agent_disk_free_bytes', 'Free space of each folder the shop agent writes to, at its last heartbeat', ['store', 'dir'], async (g) => {
    for (const a of await agents()) for (const d of a.disk) g.set({ store: a.store, dir: d.dir }, d.freeBytes);
  });
  gauge('tokobot_agent_backup_last_success_timestamp_seconds', 'When the last good backup of each shop agent\'s job started (Unix time)', ['store', 'job'], async (g) => {
    for (const a of await agents()) for (const j of a.jobs) if (j.lastGood) g.set({ store: a.store, job: j.id }, Math.floor(j.lastGood.startedAt.getTime() / 1000));
  });
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
 * Prometheus format and /status as JSON (the checks' details, stores, backup jobs, shop agents, open alerts),
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
        const body = { health: { status: verdict(all), checks: all }, stores, jobs, agents: await readAgentStatuses(app), queue, alerts: await app.alerts.open() };
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
