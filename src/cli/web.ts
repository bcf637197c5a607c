import { AppError } from '../errors.ts';
import { t } from '../i18n/text.ts';
import { openApp } from '../main/open-app.ts';
import { startWebServer } from '../main/web-server.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { ChatState } from '../pipeline/chat-state.ts';
import { cliIo } from './print.ts';

/**
 * `tokobot web`: the web dashboard alone, until SIGTERM or SIGINT. People sign in with the links
 * the bot of a `tokobot start` on the same ops database sends (WEB_URL pointing here).
 */
export async function web(): Promise<number> {
  const app = await openApp(cliIo().env, cliIo().stderr);
  try {
    const port = app.config.web.port;
    if (port === undefined) throw new AppError('config', 'tokobot', { id: t('id', 'webNoPort'), en: t('en', 'webNoPort') });
    const server = await startWebServer(app, {
      backups: new BackupRunner(app.backups, app.config.jobs, app.logger), nextBackup: () => null, chat: new ChatState(app.opsStores.chats),
    }, port);
    app.logger.info({}, `web dashboard on ${app.config.web.host}:${server.port}`);
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
