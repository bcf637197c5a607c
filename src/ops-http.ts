import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { App } from './app.ts';
import { describeError } from './errors.ts';
import type { Messenger } from './pipeline/alerts/ports.ts';
import type { BackupRunner } from './pipeline/backup/backup-runner.ts';
import { storeStatus } from './pipeline/status.ts';

export interface OpsHttpOptions {
  host: string;
  port: number;
  backups: BackupRunner;
  nextBackup: (jobId: string) => Date | null;
  /** Whether the Telegram bot is taking updates. */
  telegram: () => { ready: boolean; text: string };
  messengers: () => Messenger[];
}

/** Figures read from the ops database at each scrape, so they survive restarts and count every process's runs. */
function metrics(app: App): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tokobot_' });
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({ name, help, labelNames, registers: [registry], async collect() { this.reset(); await collect(this); } });
  // Runs by outcome and the duration of the last finished one, for syncs (per store) and backup jobs (per job).
  for (const [kind, table, key, what] of [['sync', 'sync_runs', 'store', 'Sync runs'], ['backup', 'backup_runs', 'job', 'Backup job runs']] as const) {
    gauge(`tokobot_${kind}_runs`, `${what} recorded, by ${key} and outcome`, [key, 'status'], async (g) => {
      const rows = (await app.ops.query(`SELECT ${key} AS k, status, count(*)::int AS n FROM ${table} GROUP BY 1, 2`)).rows;
      for (const r of rows) g.set({ [key]: r.k, status: r.status }, r.n);
    });
    gauge(`tokobot_${kind}_last_duration_seconds`, `Duration of the last finished of the ${what.toLowerCase()}, by ${key} and outcome`, [key, 'status'], async (g) => {
      const rows = (await app.ops.query(`SELECT DISTINCT ON (${key}) ${key} AS k, status, extract(epoch FROM finished_at - started_at) AS s
        FROM ${table} WHERE finished_at IS NOT NULL ORDER BY ${key}, started_at DESC`)).rows;
      for (const r of rows) g.set({ [key]: r.k, status: r.status }, Number(r.s));
    });
  }
  gauge('tokobot_backup_age_seconds', 'Age of the newest iPOS backup seen in each store\'s folder', ['store'], async (g) => {
    for (const s of app.config.stores) {
      const status = await storeStatus(app.ops, app.history, s);
      if (status.newestBackup) g.set({ store: s.id }, Math.round(status.newestBackup.ageHours * 3600));
    }
  });
  gauge('tokobot_alerts_open', 'Open alerts, by severity', ['severity'], async (g) => {
    g.set({ severity: 'warning' }, 0);
    g.set({ severity: 'critical' }, 0);
    for (const r of (await app.ops.query('SELECT severity, count(*)::int AS n FROM alerts WHERE resolved_at IS NULL GROUP BY 1')).rows) g.set({ severity: r.severity }, r.n);
  });
  return registry;
}

async function health(app: App, o: OpsHttpOptions) {
  const checks: Record<string, { ok: boolean; text: string }> = { process: { ok: true, text: `up ${Math.round(process.uptime())} s` } };
  try {
    await app.ops.query('SELECT 1');
    checks.opsDatabase = { ok: true, text: 'reachable' };
  } catch (err) {
    checks.opsDatabase = { ok: false, text: describeError(err) };
  }
  checks.restoreServer = { ok: checks.opsDatabase.ok, text: `${app.target.kind}: ${checks.opsDatabase.ok ? 'accepting connections' : 'unreachable'}` };
  const tg = o.telegram();
  checks.telegram = { ok: tg.ready, text: tg.text };
  for (const m of o.messengers()) if (m.channel === 'whatsapp') checks.whatsapp = { ok: m.state().ready, text: m.state().text };
  // The ops database carries everything else; a channel that is down is "degraded", not "down".
  const status = !checks.opsDatabase.ok ? 'down' : Object.values(checks).every((c) => c.ok) ? 'ok' : 'degraded';
  return { status, checks };
}

/**
 * The operator's view over HTTP (off unless HTTP_PORT is set): /healthz (200, or 503 when the ops
 * database is unreachable), /metrics in Prometheus format, /status as JSON.
 */
export async function startOpsHttp(app: App, o: OpsHttpOptions): Promise<{ port: number; close(): Promise<void> }> {
  const registry = metrics(app);
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => { res.writeHead(status, { 'content-type': type }); res.end(body); };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
      if (url.pathname === '/healthz') {
        const h = await health(app, o);
        return send(h.status === 'down' ? 503 : 200, 'application/json', `${JSON.stringify(h, null, 2)}\n`);
      }
      if (url.pathname === '/metrics') return send(200, registry.contentType, await registry.metrics());
      if (url.pathname === '/status') {
        const stores = [];
        for (const s of app.config.stores) stores.push(await storeStatus(app.ops, app.history, s));
        const jobs = (await o.backups.states(o.nextBackup)).map((j) => ({ ...j, job: { id: j.job.id, type: j.job.type, schedule: j.job.schedule } }));
        return send(200, 'application/json', `${JSON.stringify({ stores, jobs, alerts: await app.alerts.open() }, null, 2)}\n`);
      }
      send(404, 'text/plain', 'not found: try /healthz, /metrics or /status\n');
    })().catch((err) => {
      app.logger.warn({ err, url: req.url }, 'ops http request failed');
      if (!res.headersSent) send(500, 'text/plain', `${describeError(err)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
