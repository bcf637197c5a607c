import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../log.ts';
import { createApp, type App } from './app.ts';

/** The app from the environment and the config file, logging at LOG_LEVEL: how every command that needs the stores begins. */
export async function openApp(env: NodeJS.ProcessEnv = process.env, logTo: NodeJS.WritableStream = process.stderr, envFile?: string): Promise<App> {
  const config = loadConfig(env, { envFile });
  return createApp(config, createLogger(config.log.level, logTo));
}
