import type { App } from '../main/app.ts';
import { openApp } from '../main/open-app.ts';


/** The app built from the environment for one command, closed when it is done. */
export async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp();
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
