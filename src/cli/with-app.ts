import { loadConfig } from '../config/load-config.ts';
import { createApp, type App } from '../main/app.ts';
import { cliLogger } from './cli-log.ts';
import { cliIo } from './print.ts';

/** The app built from the environment for one command, logging to the CLI's log (cli-log.ts), closed when it is done. */
export async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const config = loadConfig(cliIo().env, { envFile: cliIo().envFile });
  const app = await createApp(config, cliLogger(config));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
