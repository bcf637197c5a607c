import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { App } from './app.ts';
import { secretValues } from '../config/secrets.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import { BackupConsole } from '../pipeline/backup/backup-console.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { RestoreTasks } from '../pipeline/backup/restore-tasks.ts';
import { storeStatus } from '../pipeline/status.ts';
import { WebSignIn } from '../pipeline/web-sign-in.ts';
import type { WebUser } from '../store/web-auth.ts';
import { createWebApp } from '../web/web-app.tsx';

export interface WebServer {
  port: number;
  /** A new one-time sign-in link, as the bot sends it on /web. */
  link(user: WebUser): Promise<string>;
  close(): Promise<void>;
}

/** What the dashboard reads besides the app: this process's backup runner and chat state. */
interface WebWiring {
  backups: BackupRunner;
  nextBackup: (jobId: string) => Date | null;
  chat: Pick<ChatState, 'user'>;
}

/** The web dashboard (WEB_PORT) on node:http; `port` 0 picks a free one. Rejects when the port is taken. */
export async function startWebServer(app: App, wiring: WebWiring, port: number): Promise<WebServer> {
  const { config } = app;
  const signIn = new WebSignIn(app.opsStores.web);
  const secrets = secretValues(config);
  const files = new BackupConsole(app.backups, config.jobs);
  const web = createWebApp({
    signIn, audit: app.opsStores.webAudit, stores: config.stores, status: (store) => storeStatus(app.opsStores, store), jobs: () => wiring.backups.states(wiring.nextBackup),
    roles: config.telegram.roles, langOf: async (id) => (await wiring.chat.user(id)).lang, zone: config.locale.zone,
    scrub: (text) => secrets.reduce((out, secret) => out.replaceAll(secret, '[secret]'), text), secure: config.web.secure,
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
