import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { readAgentStatuses } from './agent-reads.ts';
import type { App } from './app.ts';
import type { Alerting } from './alerting.ts';
import { longestGapMs } from './schedules.ts';
import { LOCAL_OPERATOR } from '../bot/access.ts';
import { whatsAppUserId } from '../bot/whatsapp/whatsapp-chat.ts';
import { secretValues } from '../config/secrets.ts';
import type { Role } from '../config/sections.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import { BackupConsole } from '../pipeline/backup/backup-console.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { RestoreTasks } from '../pipeline/backup/restore-tasks.ts';
import { officeStock } from '../pipeline/item-stock.ts';
import type { ItemPictures } from '../pipeline/item-picture.ts';
import { itemPictures } from './core-deps.ts';
import { publishedChanges } from '../pipeline/list-changes.ts';
import type { JobQueue, RestoreTarget } from '../pipeline/ports.ts';
import { startRun, type RunStart } from '../pipeline/runs/start-run.ts';
import { startThroughQueue } from '../pipeline/jobs/queued-sync.ts';
import type { PriceSearch } from '../pipeline/search/price-search.ts';
import { cachedStoreStatuses } from '../pipeline/status.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { WebSignIn } from '../pipeline/web-sign-in.ts';
import { apiViewerOf, WebTokenKeys } from '../pipeline/web-tokens.ts';
import type { OpsStores } from '../store/index.ts';
import type { WebUser } from '../store/web-auth.ts';
import type { LiveRun, WebActions } from '../web/live-progress.ts';
import type { WebAlerts } from '../web/routes/alerts.tsx';
import type { StorePageData } from '../web/store-page.tsx';
import { createWebApp, type WebDeps } from '../web/web-app.tsx';
import { AgentIngest } from '../pipeline/agents/ingest.ts';
import { TOKOBOT_VERSION } from '../version.ts';

export interface WebServer {
  port: number;
  /** A new one-time sign-in link, as the bot sends it on /web. */
  link(user: WebUser): Promise<string>;
  close(): Promise<void>;
}

/** What the dashboard reads besides the app: this process's runners, chat state, search and alert side. */
export interface WebWiring {
  backups: BackupRunner;
  /** This process's sync runner where runs are made (tokobot start): with it the dashboard can start and cancel runs. */
  syncs?: SyncRunner;
  /** The job queue: the dashboard's sync button queues the sync, as /sync does. */
  queue?: Pick<JobQueue, 'sync'>;
  nextBackup: (jobId: string) => Date | null;
  chat: Pick<ChatState, 'user'>;
  /** The alert side once it runs (it starts after the web server). */
  alerting: () => Alerting | undefined;
  /** The bot's search (the service's, prices in memory), so the store page answers as the bot does. */
  search: Pick<PriceSearch, 'search' | 'suggest' | 'item'>;
}

/** The alert engine's state and the running channels, as the alerts page and /api/alerts use them. */
function webAlerts(app: Pick<App, 'alerts'>, alerting: () => Alerting | undefined): WebAlerts {
  return {
    open: () => app.alerts.open(), resolved: (limit) => app.alerts.resolved(limit), mute: (key, until) => app.alerts.mute(key, until),
    channels: () => Object.values(alerting()?.messengers ?? {}).map((m) => ({ channel: m.channel, ...m.state() })),
    test: async (channel) => (await alerting()?.testChannel(channel)) ?? [],
  };
}

/** What the store pages read, from the ops stores, the restored databases (stock per office) and the kept price list files. */
export function storePageData(stores: Pick<OpsStores, 'runs' | 'priceLists'>, target: Pick<RestoreTarget, 'readRestored'>, dataDir: string,
  search: WebWiring['search'], pictures?: Pick<ItemPictures, 'picture'>): StorePageData {
  const published = (store: string) => stores.priceLists.published(store);
  return {
    runs: (store, limit) => stores.runs.recent(store, limit), successesSince: (store, since) => stores.runs.successesSince(store, since), published, search,
    officeStock: (store, kodeitem) => officeStock(target, store, kodeitem), changes: publishedChanges(dataDir, published),
    ...(pictures ? { picture: (store: string, kodeitem: string) => pictures.picture(store, kodeitem) } : {}),
  };
}

/** How far this process's sync of a store or backup of a job is, or undefined when it runs none. */
const progressHere = (wiring: WebWiring, kind: 'sync' | 'backup', id: string) => (kind === 'sync' ? wiring.syncs?.progress(id) : wiring.backups.progress(id));

/** What runs now: this process's runs with the progress their stages report, then other processes' runs with their recorded stage. */
async function liveRuns(app: Pick<App, 'config' | 'backupAlertStores'>, wiring: WebWiring): Promise<LiveRun[]> {
  const here: LiveRun[] = [
    ...app.config.stores.flatMap((s) => { const p = progressHere(wiring, 'sync', s.id); return p ? [{ ...p, card: 'store' as const, id: s.id, here: true }] : []; }),
    ...app.config.jobs.flatMap((j) => { const p = progressHere(wiring, 'backup', j.id); return p ? [{ ...p, card: 'job' as const, id: j.id, here: true }] : []; }),
  ];
  const key = (card: string, id: string) => `${card}:${id}`;
  const known = new Set(here.map((r) => key(r.card, r.id)));
  const recorded = (await app.backupAlertStores.history.running()).map((r): LiveRun => ({ card: r.kind === 'sync' ? 'store' : 'job', id: r.subject, stage: r.stage ?? '', here: false }));
  return [...here, ...recorded.filter((r) => !known.has(key(r.card, r.id)))];
}

function actions(app: Pick<App, 'logger' | 'store' | 'job' | 'opsStores'>, syncs: SyncRunner, backups: BackupRunner, queue?: Pick<JobQueue, 'sync'>): WebActions {
  // Queued, the answer waits until a worker has started it (up to 15 s), so that the page shows the store running and follows it.
  const startSync = (id: string, trigger: string): Promise<RunStart> => (queue
    ? startThroughQueue({ queue, runs: app.opsStores.runs }, app.store(id).id, trigger).then((): RunStart => ({ started: true }))
    : startRun(syncs, app.store(id), id, trigger, app.logger));
  return {
    start: (card, id, trigger) => (card === 'store' ? startSync(id, trigger) : startRun(backups, app.job(id), id, trigger, app.logger)),
    cancel: (card, id, by) => (card === 'store' ? syncs : backups).cancel(id, by),
  };
}

/** The dashboard's view of the app: narrow functions over the ops stores and this process's runners. */
export function webDeps(app: Pick<App, 'config' | 'opsStores' | 'backupAlertStores' | 'logger' | 'store' | 'job' | 'alerts' | 'backups' | 'target'>,
  wiring: WebWiring, signIn: WebSignIn): WebDeps {
  const { config } = app;
  const secrets = secretValues(config);
  // A job's schedule does not change while tokobot runs: its longest gap is worked out once.
  const every = new Map(config.jobs.map((j) => [j.id, j.schedule ? longestGapMs(j.schedule, config.locale.zone) : null]));
  const tokens = new WebTokenKeys(app.opsStores.webTokens);
  const files = new BackupConsole(app.backups, config.jobs);
  return {
    signIn, tokens, apiViewer: apiViewerOf(tokens), baseUrl: config.web.baseUrl, audit: app.opsStores.webAudit,
    stores: config.stores,
    statuses: cachedStoreStatuses(app.opsStores), jobs: () => wiring.backups.states(wiring.nextBackup),
    runs: (options) => app.backupAlertStores.history.recent(options),
    running: async () => (await app.backupAlertStores.history.running()).map((r) => ({
      ...r, progress: progressHere(wiring, r.kind, r.subject) ?? null })),
    alerts: webAlerts(app, wiring.alerting),
    roles: dashboardRoles(config.telegram.roles, config.whatsapp.allowed), langOf: async (id) => (await wiring.chat.user(id)).lang, zone: config.locale.zone,
    scrub: (text) => secrets.reduce((out, secret) => out.replaceAll(secret, '[secret]'), text), secure: config.web.secure, trustProxy: config.web.trustProxy,
    storePage: storePageData(app.opsStores, app.target, config.dataDir, wiring.search, itemPictures(app)),
    backups: { files, restores: new RestoreTasks(files) },
    agents: { statuses: () => readAgentStatuses(app), store: app.opsStores.agents },
    live: () => liveRuns(app, wiring), jobEvery: (id) => every.get(id) ?? null,
    log: (err, ref) => app.logger.error({ err, ref }, 'web request failed unexpectedly'),
    ...(wiring.syncs ? { actions: actions(app, wiring.syncs, wiring.backups, wiring.queue) } : {}),
    ...(config.agents.ingest ? { ingest: agentIngest(app, wiring.alerting) } : {}),
  };
}

/** The shop agents' reports into the ops database; their alerts delivered at once where this process delivers them (tokobot start). */
function agentIngest(app: Pick<App, 'config' | 'opsStores' | 'backups' | 'alerts' | 'logger'>, alerting: WebWiring['alerting']): AgentIngest {
  return new AgentIngest({
    agents: app.opsStores.agents, stores: app.config.stores, runs: app.backups.log, alerts: app.alerts, kick: () => alerting()?.loop.kick(),
    ratePerMinute: app.config.agents.ratePerMinute, version: TOKOBOT_VERSION, logger: app.logger,
  });
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

/**
 * Who may sign in: the Telegram roles, the allowed WhatsApp numbers as staff (all that
 * WHATSAPP_ALLOWED_NUMBERS grants in the chat too) under the negative ids the WhatsApp chat gives
 * them, and the person at this machine's terminal as the owner (`tokobot web --link`, as in
 * `tokobot chat`): only a shell on this machine can make their link.
 */
export function dashboardRoles(telegram: ReadonlyMap<number, Role>, whatsAppAllowed: readonly string[]): ReadonlyMap<number, Role> {
  return new Map<number, Role>([[LOCAL_OPERATOR, 'owner'], ...whatsAppAllowed.map((n): [number, Role] => [whatsAppUserId(n), 'staff']), ...telegram]);
}
