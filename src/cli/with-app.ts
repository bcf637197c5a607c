import type { App } from '../main/app.ts';
import { openApp } from '../main/open-app.ts';
import { cliIo } from './print.ts';


/** The app built from the environment for one command, closed when it is done. */
export async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp(cliIo().env, cliIo().stderr);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
