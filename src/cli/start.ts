import { openApp } from '../main/open-app.ts';
import { startService } from '../main/service.ts';
import { cliIo } from './print.ts';

/** `tokobot start`: runs until SIGTERM or SIGINT, then stops taking updates and lets running work finish or stop cleanly. */
export async function start(): Promise<number> {
  const app = await openApp(cliIo().env, cliIo().stderr, cliIo().envFile);
  const logger = app.logger;
  const service = await startService(app).catch(async (err) => { await app.close(); throw err; });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => { logger.info({ signal }, 'stopping'); resolve(); };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.stop();
  await app.close();
  return 0;
}
