import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from './load-config.ts';

/** The sample store's backups, shipped with tokobot. */
export const DEMO_SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo', 'toko-contoh');

/**
 * The demo's own settings: the sample store, the embedded PostgreSQL, nothing from .env but a
 * port, a data folder and the language (TOKOBOT_LANG or the locale's); TOKOBOT_DEMO_TARGET and
 * TOKOBOT_DEMO_PG_URL let tests use another server.
 */
export function demoConfig(source: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig({
    SOURCE: 'folder', SOURCE_DIR: DEMO_SAMPLE, STORE_ID: 'contoh', STORE_NAME: 'Toko Contoh', RESTORE_TARGET: source.TOKOBOT_DEMO_TARGET ?? 'embedded',
    PG_URL: source.TOKOBOT_DEMO_PG_URL, DATA_DIR: source.TOKOBOT_DEMO_DATA_DIR ?? path.resolve('data', 'demo'),
    PG_EMBEDDED_PORT: source.PG_EMBEDDED_PORT, LOG_LEVEL: 'error', OPS_DATABASE: 'tokobot_demo',
    TOKOBOT_LANG: source.TOKOBOT_LANG, LC_ALL: source.LC_ALL, LC_MESSAGES: source.LC_MESSAGES, LANG: source.LANG,
  });
}
