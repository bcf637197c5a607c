import { loadConfig } from '../config/load-config.ts';
import { AppError } from '../errors.ts';
import { t } from '../i18n/text.ts';
import { createLogger } from '../log.ts';
import { createApp } from '../main/app.ts';
import { startWebServer } from '../main/web-server.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { ChatState } from '../pipeline/chat-state.ts';
import { IndexCache } from '../pipeline/search/index-cache.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { LOCAL_OPERATOR } from '../bot/access.ts';
import { cliIo, cliLang, print } from './print.ts';

/**
 * `tokobot web`: the web dashboard alone, until SIGTERM or SIGINT. People sign in with the links
 * the bot of a `tokobot start` on the same ops database sends (WEB_URL pointing here); with
 * `--link`, the person at this terminal gets one too, as the owner, as `tokobot chat` makes them.
 */
export async function web(link = false): Promise<number> {
  const config = loadConfig(cliIo().env);
  const port = config.web.port;
  // Said before any database is opened: nothing else can be wrong yet worth hearing about.
  if (port === undefined) throw new AppError('config', 'tokobot', { id: t('id', 'webNoPort'), en: t('en', 'webNoPort') });
  const app = await createApp(config, createLogger(config.log.level, cliIo().stderr));
  try {
    const server = await startWebServer(app, {
      backups: new BackupRunner(app.backups, config.jobs, app.logger), nextBackup: () => null, chat: new ChatState(app.opsStores.chats),
      // No runs and no alert channels in this process: the dashboard shows the others' from the ops database.
      alerting: () => undefined,
      // As tokobot ask: the index from DATA_DIR's cache, each answer's rows read when asked (the dashboard alone stays small).
      search: new PriceSearch(app.opsStores.priceLists, { prices: 'per-question', indexCache: new IndexCache(config.dataDir) }),
    }, port);
    app.logger.info({}, `web dashboard on ${config.web.host}:${server.port}`);
    if (link) print(t(cliLang(), 'webLinkReply', { url: await server.link({ userId: LOCAL_OPERATOR, role: 'owner' }) }));
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    });
    await server.close();
    return 0;
  } finally {
    await app.close();
  }
}
