import path from 'node:path';
import type { Env } from './env-schema.ts';
import type { FileConfig } from './file-schema.ts';
import { problemLine } from './config-issues.ts';
import type { Lang } from '../i18n/lang.ts';

export interface StoreConfig {
  id: string;
  name: string;
  /**
   * When the store is synced: a cron expression read in the store's timeZone (its own schedule,
   * else storeDefaults.schedule, else SYNC_CRON).
   */
  schedule: string;
  /** Hours without a new backup before the freshness alert; loadConfig sets it (the store's, storeDefaults', STALE_BACKUP_HOURS). */
  staleHours?: number;
  /** The shop's time zone: its backups' dump times are wall times there. loadConfig always sets it; STORE_ZONE otherwise. */
  timeZone?: string;
  source: { type: 'dropbox'; folder: string } | { type: 'folder'; dir: string };
}

/**
 * The stores of the config file, each completed from storeDefaults and then the environment
 * (SYNC_CRON, STALE_BACKUP_HOURS, STORE_TZ), in the file's order. An id listed twice is a problem line.
 */
function fileStores(env: Env, file: FileConfig, problems: string[], lang: Lang): StoreConfig[] {
  const defaults = file.storeDefaults ?? {};
  const ids = new Set<string>();
  return (file.stores ?? []).map((s) => {
    if (ids.has(s.id)) problems.push(problemLine('stores', { key: 'storeTwice', params: { id: s.id } }, lang));
    ids.add(s.id);
    // The schema made sure there is a folder, a dir, or the root to put the store's folder in.
    const folder = s.dropboxFolder ?? (s.dir || !defaults.dropboxRoot ? undefined : path.posix.join(defaults.dropboxRoot, s.id));
    return {
      id: s.id,
      name: s.name ?? s.id,
      schedule: s.schedule ?? defaults.schedule ?? env.SYNC_CRON,
      staleHours: s.staleHours ?? defaults.staleHours ?? env.STALE_BACKUP_HOURS,
      timeZone: s.timeZone ?? defaults.timeZone ?? env.STORE_TZ,
      source: folder ? { type: 'dropbox' as const, folder } : { type: 'folder' as const, dir: s.dir ?? '' },
    };
  });
}

/** `sourceProblems`: where a store's source is missing (problems, unless the config is a reader's). */
export function storesFrom(env: Env, file: FileConfig, problems: string[], sourceProblems: string[], lang: Lang): StoreConfig[] {
  if (file.stores) return fileStores(env, file, problems, lang);
  const store = { id: env.STORE_ID, name: env.STORE_NAME ?? env.STORE_ID, schedule: env.SYNC_CRON, staleHours: env.STALE_BACKUP_HOURS, timeZone: env.STORE_TZ };
  if (env.SOURCE === 'folder') {
    if (!env.SOURCE_DIR) sourceProblems.push(problemLine('SOURCE_DIR', { key: 'sourceDirNeeded' }, lang));
    return [{ ...store, source: { type: 'folder', dir: env.SOURCE_DIR ?? '' } }];
  }
  if (!env.DROPBOX_FOLDER) sourceProblems.push(problemLine('DROPBOX_FOLDER', { key: 'dropboxFolderNeeded' }, lang));
  return [{ ...store, source: { type: 'dropbox', folder: env.DROPBOX_FOLDER ?? '' } }];
}
