import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { App } from './app.ts';
import { secretValues } from '../config/secrets.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { startRun } from '../pipeline/runs/start-run.ts';
import { storeStatus, storeStatuses } from '../pipeline/status.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { WebSignIn } from '../pipeline/web-sign-in.ts';
import type { WebUser } from '../store/web-auth.ts';
import type { LiveRun, WebActions } from '../web/live-progress.ts';
import { createWebApp, type WebDeps } from '../web/web-app.tsx';
import { longestGapMs } from './schedules.ts';

export interface WebServer {
  port: number;
  /** A new one-time sign-in link, as the bot sends it on /web. */
  link(user: WebUser): Promise<string>;
  close(): Promise<void>;
}

/** What the dashboard reads besides the app: this process's runners and chat state. */
export interface WebWiring {
  backups: BackupRunner;
  /** This process's sync runner where runs are made (tokobot start): with it the dashboard can start and cancel runs. */
  syncs?: SyncRunner;
  nextBackup: (jobId: string) => Date | null;
  chat: Pick<ChatState, 'user'>;
}

/** What runs now: this process's runs with the progress their stages report, then other processes' runs with their recorded stage. */
async function liveRuns(app: Pick<App, 'config' | 'backupAlertStores'>, wiring: WebWiring): Promise<LiveRun[]> {
  const here: LiveRun[] = [
    ...app.config.stores.flatMap((s) => { const p = wiring.syncs?.progress(s.id); return p ? [{ ...p, card: 'store' as const, id: s.id, here: true }] : []; }),
    ...app.config.jobs.flatMap((j) => { const p = wiring.backups.progress(j.id); return p ? [{ ...p, card: 'job' as const, id: j.id, here: true }] : []; }),
  ];
  const key = (card: string, id: string) => `${card}:${id}`;
  const known = new Set(here.map((r) => key(r.card, r.id)));
  const recorded = (await app.backupAlertStores.history.running()).map((r): LiveRun => ({ card: r.kind === 'sync' ? 'store' : 'job', id: r.subject, stage: r.stage ?? '', here: false }));
  return [...here, ...recorded.filter((r) => !known.has(key(r.card, r.id)))];
}

function actions(app: Pick<App, 'logger' | 'store' | 'job'>, syncs: SyncRunner, backups: BackupRunner): WebActions {
  return {
    start: (card, id, trigger) => (card === 'store' ? startRun(syncs, app.store(id), id, trigger, app.logger) : startRun(backups, app.job(id), id, trigger, app.logger)),
    cancel: (card, id, by) => (card === 'store' ? syncs : backups).cancel(id, by),
  };
}

/** The dashboard's view of the app: narrow functions over the ops stores and this process's runners. */
export function webDeps(app: Pick<App, 'config' | 'opsStores' | 'backupAlertStores' | 'logger' | 'store' | 'job'>, wiring: WebWiring, signIn: WebSignIn): WebDeps {
  const { config } = app;
  const secrets = secretValues(config);
  // A job's schedule does not change while tokobot runs: its longest gap is worked out once.
  const every = new Map(config.jobs.map((j) => [j.id, j.schedule ? longestGapMs(j.schedule, config.locale.zone) : null]));
  return {
    signIn, audit: app.opsStores.webAudit, stores: config.stores, status: (store) => storeStatus(app.opsStores, store),
    statuses: (stores) => storeStatuses(app.opsStores, stores), jobs: () => wiring.backups.states(wiring.nextBackup),
    roles: config.telegram.roles, langOf: async (id) => (await wiring.chat.user(id)).lang, zone: config.locale.zone,
    scrub: (text) => secrets.reduce((out, secret) => out.replaceAll(secret, '[secret]'), text), secure: config.web.secure,
    live: () => liveRuns(app, wiring), jobEvery: (id) => every.get(id) ?? null,
    ...(wiring.syncs ? { actions: actions(app, wiring.syncs, wiring.backups) } : {}),
  };
}

/** The web dashboard (WEB_PORT) on node:http; `port` 0 picks a free one. Rejects when the port is taken. */
export async function startWebServer(app: App, wiring: WebWiring, port: number): Promise<WebServer> {
  const { config } = app;
  const signIn = new WebSignIn(app.opsStores.web);
  const web = createWebApp(webDeps(app, wiring, signIn));
  const server = createAdaptorServer({ fetch: web.fetch }) as http.Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.web.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    link: async (user) => `${config.web.baseUrl}/masuk/${await signIn.issueLink(user)}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
