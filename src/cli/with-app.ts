import { createApp, type App } from '../main/app.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../log.ts';

export const print = (text: string) => process.stdout.write(`${text}\n`);

/** The app built from the environment for one command, closed when it is done. */
export async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  const app = await createApp(config, logger);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
