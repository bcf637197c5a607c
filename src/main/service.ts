import { InputFile, type Bot } from 'grammy';
import { AppError } from '../errors.ts';
import type { App } from './app.ts';
import { CommandCore } from '../bot/core.ts';
import type { CoreDeps } from '../bot/context.ts';
import { createTelegramBot, registerMenus } from '../bot/telegram/telegram-bot.ts';
import { ChatState } from '../pipeline/chat-state.ts';
import { IndexCache } from '../pipeline/search/index-cache.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { startAlerting, type Alerting } from './alerting.ts';
import { createSchedules } from './schedules.ts';
import { startSyncWatch, type SyncWatchOptions } from './sync-watch.ts';
import { openJobs, startWorker, type Worker } from './worker.ts';
import { syncThroughQueue } from '../pipeline/jobs/queued-sync.ts';
import type { SyncProgressFn } from '../pipeline/sync/run-tracker.ts';
import type { StoreConfig } from '../config/load-config.ts';
import { checkOpsHttpExposure } from '../ops-http.ts';
import { startOpsHttp } from './ops-http-server.ts';
import type { WhatsAppClient } from '../adapters/whatsapp/whatsapp-client.ts';
import { qrPng, WhatsAppMessenger } from '../adapters/whatsapp/whatsapp-messenger.ts';
import { answerWhatsApp } from '../bot/whatsapp/whatsapp-chat.ts';
import type { NetworkRetryOptions } from '../adapters/telegram/network-retry.ts';
import { DROPBOX_API } from '../adapters/dropbox/dropbox-client.ts';
import { proxyFor, shownProxy } from '../adapters/proxy-agent.ts';
import { TelegramConnection } from './telegram-connection.ts';
import { coreDeps } from './core-deps.ts';
import { startWebServer, type WebServer } from './web-server.ts';
import { startChangeNotices } from './change-notices.ts';

export interface Service {
  bot: Bot;
  core: CommandCore;
  runner: SyncRunner;
  backups: BackupRunner;
  alerting: Alerting;
  /** The bot's connection to Telegram, made in the background. */
  telegram: TelegramConnection;
  /** The port of the ops HTTP server, when HTTP_PORT is set. */
  httpPort?: number;
  /** The port of the web dashboard, when WEB_PORT is set. */
  webPort?: number;
  stop(): Promise<void>;
}

/** `tokobot start`: the Telegram bot, the sync schedule and the folder watch in one process, stopped cleanly on SIGTERM. */
export interface ServiceOptions {
  alertIntervalMs?: number;
  /** A channel down for this long is alerted on through the others (tests shorten it). */
  channelGraceMs?: number;
  /** The WhatsApp client to drive (tests); by default whatsapp-web.js with the machine's Chromium. */
  whatsappClient?: () => WhatsAppClient;
  /** How Telegram is tried again when unreachable, at start and later (tests shorten the waits). */
  telegramRetry?: NetworkRetryOptions;
  /** The folder watch's waits (tests shorten them). */
  syncWatch?: SyncWatchOptions;
  /** The worker's heartbeat (tests shorten it). */
  workerBeatMs?: number;
  /** How often publications are looked for to tell their price changes (tests shorten it). */
  changeNoticeMs?: number;
}

/**
 * whatsapp-web.js driving the machine's Chromium, imported only when WhatsApp is on: with
 * puppeteer it adds about 38 MB to the service's memory (npm run bench:rss).
 */
async function whatsAppWebClient(app: App): Promise<() => WhatsAppClient> {
  const { createWhatsAppClient } = await import('../adapters/whatsapp/whatsapp-client.ts');
  return () => createWhatsAppClient({ dataDir: app.config.dataDir, chromiumPath: app.config.whatsapp.chromiumPath });
}

/** The QR that links WhatsApp, as a picture to each owner in Telegram (at most once a minute: it changes every ~20 s), while the bot is connected. */
function qrToOwners(app: App, bot: Bot, telegram: TelegramConnection, owners: number[]): (qr: string) => void {
  let last = 0;
  return (qr) => {
    if (Date.now() - last < 60_000 || !owners.length || !telegram.state().ready) return;
    last = Date.now();
    void (async () => {
      const png = await qrPng(qr);
      for (const id of owners) {
        await bot.api.sendPhoto(id, new InputFile(png, 'whatsapp-qr.png'), {
          caption: 'Tautkan WhatsApp tokobot: di HP, buka WhatsApp → Perangkat tertaut → Tautkan perangkat, lalu pindai kode ini.\n' +
            'Link tokobot\'s WhatsApp: on the phone, WhatsApp → Linked devices → Link a device, then scan this code.',
        });
      }
    })().catch((err) => app.logger.warn({ err }, 'could not send the WhatsApp QR code to the owners'));
  };
}

/** One line per outside system that tokobot start talks to besides Telegram (whose connection logs its own). */
function logConnections(app: App): void {
  const { config, logger } = app;
  const folders = [...config.stores.flatMap((s) => (s.source.type === 'dropbox' ? [s.source.folder] : [])),
    ...config.jobs.flatMap((j) => j.destinations.flatMap((d) => (d.type === 'dropbox' ? [d.folder] : [])))];
  if (folders.length) {
    const root = config.dropbox.apiUrl ?? DROPBOX_API;
    const via = proxyFor(root, config.proxy);
    logger.info({}, `dropbox: ${new URL(root).host} for ${[...new Set(folders)].join(', ')}${via ? ` through the proxy ${shownProxy(via)}` : ''}`);
  }
  if (config.whatsapp.enabled) logger.info({}, `whatsapp: linking through Chromium at ${config.whatsapp.chromiumPath}`);
}

/**
 * Starts everything at once: syncs, backups, monitors, alert delivery and the ops HTTP server do
 * not wait for any outside service. Telegram (and WhatsApp) connect in the background and are
 * tried again until they answer; alerts meanwhile go through the channel that works.
 */
export async function startService(app: App, options: ServiceOptions = {}): Promise<Service> {
  const { telegram, http: httpConfig } = app.config;
  const token = telegram.token;
  if (!token) throw new AppError('config', 'telegram', 'TELEGRAM_BOT_TOKEN: required by tokobot start (get one from @BotFather)');
  if (httpConfig.port !== undefined) checkOpsHttpExposure(httpConfig.host, httpConfig.token); // before anything starts
  logConnections(app);
  const runner = new SyncRunner(app.sync, app.logger);
  const chat = new ChatState(app.opsStores.chats);
  const owners = [...telegram.roles].filter(([, role]) => role === 'owner').map(([id]) => id);
  // The index cache is shared with tokobot ask: the service writes it for each new publication it loads.
  const search = new PriceSearch(app.opsStores.priceLists, { indexCache: new IndexCache(app.config.dataDir) });
  const backups = new BackupRunner(app.backups, app.config.jobs, app.logger);
  await runner.recover();
  await backups.recover();
  const schedules = createSchedules(app);
  const slots = app.config.worker.concurrency;
  const jobs = await openJobs(app, slots);
  const langOf = async (id: number) => (await chat.user(id)).lang;
  const connection = new TelegramConnection({
    token, apiRoot: telegram.apiRoot, proxy: app.config.proxy, webhook: telegram.webhook, logger: app.logger, retry: options.telegramRetry,
    setUp: (api) => registerMenus(api, telegram.roles, telegram.publicMode, langOf, telegram.ownerGroups, app.logger),
  });
  // The core and the bot need each other: the bot hands the core its updates, the core tells the
  // owners and tests the alert channels through the bot. Both are set below, before the bot is
  // connected (and so before the first update is taken), so the core never meets them unset.
  const late: { bot?: Bot; alerting?: Alerting; web?: WebServer } = {};
  const webPort = app.config.web.port;
  const notifyOwners: CoreDeps['notifyOwners'] = async (text) => {
    for (const id of owners) await late.bot?.api.sendMessage(id, text(await langOf(id)));
  };
  // /sync and the dashboard's sync button queue the sync like every other (this process's worker or another takes it).
  const queuedSync = (store: StoreConfig, trigger: string, onProgress: SyncProgressFn) =>
    syncThroughQueue({ queue: jobs.queue, runs: app.opsStores.runs, localProgress: (id) => runner.progress(id) }, store, trigger, onProgress);
  const core = new CommandCore(coreDeps(app, { search, syncRunner: runner, backupRunner: backups, chat, notifyOwners, queuedSync,
    nextSync: schedules.nextSync, nextBackup: schedules.nextBackup, alerting: () => late.alerting,
    ...(webPort === undefined ? {} : { webLink: (user) => late.web!.link(user) }) }));
  for (const store of app.config.stores) await search.warm(store.id); // before the first question, not during it
  // A new list is loaded (and its index cached for tokobot ask) once published, not at the next question; the sync's reply does not wait for it.
  runner.onFinished((outcome, store) => {
    if (outcome.status === 'success') void search.warm(store.id).catch((err) => app.logger.warn({ err, store: store.id }, 'could not load the new price list ahead of questions'));
  });
  const stopping = new AbortController();
  const bot = late.bot = createTelegramBot({
    signal: stopping.signal, retry: { ...options.telegramRetry, ...connection.pollingHooks }, proxy: app.config.proxy,
    token, apiRoot: telegram.apiRoot, core, roles: telegram.roles,
    publicMode: telegram.publicMode, ownerGroups: telegram.ownerGroups, logger: app.logger, onMigrate: (from, to) => chat.recordMigration(from, to),
    pictureFileIds: app.opsStores.pictureFileIds,
  });
  // First of what listens or runs: a port already taken stops tokobot before anything else started.
  const opsHttp = httpConfig.port === undefined ? undefined : await startOpsHttp(app, {
    host: httpConfig.host, port: httpConfig.port, token: httpConfig.token, backups, nextBackup: schedules.nextBackup,
    telegram: () => connection.state(), messengers: () => Object.values(late.alerting?.messengers ?? {}), queue: jobs.queue,
  });
  if (opsHttp) app.logger.info({}, `ops http: /healthz, /metrics and /status on ${httpConfig.host}:${opsHttp.port}`);
  const web = late.web = webPort === undefined ? undefined
    : await startWebServer(app, { backups, syncs: runner, nextBackup: schedules.nextBackup, chat, search, alerting: () => late.alerting, queue: jobs.queue }, webPort).catch(async (err) => { await opsHttp?.close(); throw err; });
  if (web) app.logger.info({}, `web dashboard on ${app.config.web.host}:${web.port} (sign-in links: ${app.config.web.baseUrl}/masuk/…)`);
  let whatsapp: WhatsAppMessenger | undefined;
  if (app.config.whatsapp.enabled) {
    const createClient = options.whatsappClient ?? await whatsAppWebClient(app);
    whatsapp = new WhatsAppMessenger({ createClient, logger: app.logger, onQr: qrToOwners(app, bot, connection, owners) });
    whatsapp.onMessage((from, text, message) => answerWhatsApp(core, app.config.whatsapp.allowed, from, text, message));
    void whatsapp.start();
  }
  // Each publication's price changes to the owners, whichever process published it; once Telegram answers.
  const notices = startChangeNotices(app, { langOf, intervalMs: options.changeNoticeMs, queued: () => late.alerting?.loop.kick(0) });
  runner.onFinished((outcome) => { if (outcome.status === 'success') notices.kick(); });
  const alerting = late.alerting = startAlerting(app, { api: bot.api, telegram: connection, chat, syncRunner: runner, backupRunner: backups, whatsapp,
    intervalMs: options.alertIntervalMs, channelGraceMs: options.channelGraceMs });
  // Last of what starts: jobs (and the schedules, which the workers fire) once every listener is in place.
  const worker: Worker | undefined = slots > 0 ? await startWorker(app, jobs, { syncs: runner, backups }, { concurrency: slots, beatMs: options.workerBeatMs }) : undefined;
  if (!worker) app.logger.info({}, 'worker: none here (WORKER_CONCURRENCY=0); syncs and backups are left to tokobot worker processes');
  const watch = startSyncWatch(app, (store) => jobs.queue.sync(store.id, 'watch'), options.syncWatch);
  connection.start(bot);
  return {
    bot, core, runner, backups, httpPort: opsHttp?.port, webPort: web?.port, telegram: connection,
    alerting,
    async stop() {
      await watch.stop();
      await notices.stop();
      stopping.abort();
      await connection.stop();
      await (worker ? worker.stop() : Promise.all([runner.shutdown(30_000), backups.shutdown(30_000)]));
      await jobs.close();
      await alerting.stop();
      await whatsapp?.stop();
      await opsHttp?.close();
      await web?.close();
    },
  };
}
