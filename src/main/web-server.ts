import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { App } from './app.ts';
import { secretValues } from '../config/secrets.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import { BackupConsole } from '../pipeline/backup/backup-console.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import type { WebAlerts } from '../web/routes/alerts.tsx';
import type { Alerting } from './alerting.ts';
import { apiViewerOf, WebTokenKeys } from '../pipeline/web-tokens.ts';
import { whatsAppUserId } from '../bot/whatsapp/whatsapp-chat.ts';
import type { Role } from '../config/sections.ts';
import { officeStock } from '../pipeline/item-stock.ts';
import { publishedChanges } from '../pipeline/list-changes.ts';
import type { PriceSearch } from '../pipeline/search/price-search.ts';
import { RestoreTasks } from '../pipeline/backup/restore-tasks.ts';
import { storeStatus } from '../pipeline/status.ts';
import { WebSignIn } from '../pipeline/web-sign-in.ts';
import type { OpsStores } from '../store/index.ts';
import type { WebUser } from '../store/web-auth.ts';
import type { RestoreTarget } from '../pipeline/ports.ts';
import { createWebApp } from '../web/web-app.tsx';
import type { StorePageData } from '../web/store-page.tsx';

export interface WebServer {
  port: number;
  /** A new one-time sign-in link, as the bot sends it on /web. */
  link(user: WebUser): Promise<string>;
  close(): Promise<void>;
}

/** What the dashboard reads besides the app: this process's runners, chat state and alert side. */
interface WebWiring {
  backups: BackupRunner;
  syncs: Pick<SyncRunner, 'progress'>;
  nextBackup: (jobId: string) => Date | null;
  chat: Pick<ChatState, 'user'>;
  /** The alert side once it runs (it starts after the web server). */
  alerting: () => Alerting | undefined;
  /** The bot's search (the service's, prices in memory), so the store page answers as the bot does. */
  search: Pick<PriceSearch, 'search' | 'suggest' | 'item'>;
}

/** The alert engine's state and the running channels, as the alerts page and /api/alerts use them. */
function webAlerts(app: App, alerting: () => Alerting | undefined): WebAlerts {
  return {
    open: () => app.alerts.open(), resolved: (limit) => app.alerts.resolved(limit), mute: (key, until) => app.alerts.mute(key, until),
    channels: () => Object.values(alerting()?.messengers ?? {}).map((m) => ({ channel: m.channel, ...m.state() })),
    test: async (channel) => (await alerting()?.testChannel(channel)) ?? [],
  };
}

/** What the store pages read, from the ops stores, the restored databases (stock per office) and the kept price list files. */
export function storePageData(stores: Pick<OpsStores, 'runs' | 'priceLists'>, target: Pick<RestoreTarget, 'readRestored'>, dataDir: string,
  search: WebWiring['search']): StorePageData {
  const published = (store: string) => stores.priceLists.published(store);
  return {
    runs: (store, limit) => stores.runs.recent(store, limit), successesSince: (store, since) => stores.runs.successesSince(store, since), published, search,
    officeStock: (store, kodeitem) => officeStock(target, store, kodeitem), changes: publishedChanges(dataDir, published),
  };
}

/** The web dashboard (WEB_PORT) on node:http; `port` 0 picks a free one. Rejects when the port is taken. */
export async function startWebServer(app: App, wiring: WebWiring, port: number): Promise<WebServer> {
  const { config } = app;
  const signIn = new WebSignIn(app.opsStores.web);
  const tokens = new WebTokenKeys(app.opsStores.webTokens);
  const secrets = secretValues(config);
  const files = new BackupConsole(app.backups, config.jobs);
  const web = createWebApp({
    signIn, tokens, apiViewer: apiViewerOf(tokens), baseUrl: config.web.baseUrl, audit: app.opsStores.webAudit, stores: config.stores, status: (store) => storeStatus(app.opsStores, store), jobs: () => wiring.backups.states(wiring.nextBackup),
    runs: (options) => app.backupAlertStores.history.recent(options),
    running: async () => (await app.backupAlertStores.history.running()).map((r) => ({
      ...r, progress: (r.kind === 'sync' ? wiring.syncs.progress(r.subject) : wiring.backups.progress(r.subject)) ?? null })),
    alerts: webAlerts(app, wiring.alerting),
    roles: dashboardRoles(config.telegram.roles, config.whatsapp.allowed), langOf: async (id) => (await wiring.chat.user(id)).lang, zone: config.locale.zone,
    scrub: (text) => secrets.reduce((out, secret) => out.replaceAll(secret, '[secret]'), text), secure: config.web.secure, trustProxy: config.web.trustProxy,
    storePage: storePageData(app.opsStores, app.target, config.dataDir, wiring.search),
    backups: { files, restores: new RestoreTasks(files) },
  });
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
 * Who may sign in: the Telegram roles, and the allowed WhatsApp numbers as staff (all that
 * WHATSAPP_ALLOWED_NUMBERS grants in the chat too), under the negative ids the WhatsApp chat gives them.
 */
export function dashboardRoles(telegram: ReadonlyMap<number, Role>, whatsAppAllowed: readonly string[]): ReadonlyMap<number, Role> {
  return new Map<number, Role>([...whatsAppAllowed.map((n): [number, Role] => [whatsAppUserId(n), 'staff']), ...telegram]);
}
