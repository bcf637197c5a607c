import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import cron from 'node-cron';
import type { z } from 'zod';
import { envSchema, type Env } from './env-schema.ts';
import { fileSchema, type FileConfig } from './file-schema.ts';
import { AppError } from '../errors.ts';
import { jobsFrom, type JobConfig } from './jobs-from.ts';
import { sectionsFrom, zipSection, type Sections } from './sections.ts';

export type { JobConfig } from './jobs-from.ts';
export type { Role } from './sections.ts';

export interface StoreConfig {
  id: string;
  name: string;
  /** Hours without a new backup before the freshness alert. */
  staleHours?: number;
  /** The shop's time zone: its backups' dump times are wall times there. loadConfig always sets it; STORE_ZONE otherwise. */
  timeZone?: string;
  source: { type: 'dropbox'; folder: string } | { type: 'folder'; dir: string };
}

/** The whole configuration, parsed once at start; below src/config and src/main nothing reads the environment. */
export interface Config extends Sections {
  dataDir: string;
  stores: StoreConfig[];
  /** Backup jobs from the config file's jobs section, with URLs and passphrases resolved. */
  jobs: JobConfig[];
}

function issueLines(prefix: (p: PropertyKey[]) => string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${prefix(i.path)}: ${i.message}`);
}

/** The YAML parser, loaded only for a YAML config file (a command without one starts about 25 ms sooner). */
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

function readConfigFile(file: string): FileConfig {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new AppError('config', 'tokobot', `TOKOBOT_CONFIG: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const where = (p: PropertyKey[]) => `${file}: ${p.length ? p.map(String).join('.') : '(top level)'}`;
    throw new AppError('config', 'tokobot', issueLines(where, parsed.error).join('\n'));
  }
  return parsed.data;
}

function storesFrom(env: Env, file: FileConfig, problems: string[]): StoreConfig[] {
  if (file.stores) {
    const ids = new Set<string>();
    return file.stores.map((s) => {
      if (ids.has(s.id)) problems.push(`stores: store id "${s.id}" is listed twice`);
      ids.add(s.id);
      const source = s.dropboxFolder
        ? { type: 'dropbox' as const, folder: s.dropboxFolder }
        : { type: 'folder' as const, dir: s.dir as string };
      return { id: s.id, name: s.name ?? s.id, timeZone: s.timeZone ?? env.STORE_TZ, source, ...(s.staleHours ? { staleHours: s.staleHours } : {}) };
    });
  }
  if (env.SOURCE === 'folder') {
    if (!env.SOURCE_DIR) problems.push('SOURCE_DIR: required when SOURCE=folder (the folder holding the .i5bu/.zip backups)');
    return [{ id: env.STORE_ID, name: env.STORE_NAME ?? env.STORE_ID, timeZone: env.STORE_TZ, source: { type: 'folder', dir: env.SOURCE_DIR ?? '' } }];
  }
  if (!env.DROPBOX_FOLDER) problems.push('DROPBOX_FOLDER: required when SOURCE=dropbox (e.g. /iPOS/backup), or list stores in TOKOBOT_CONFIG');
  return [{ id: env.STORE_ID, name: env.STORE_NAME ?? env.STORE_ID, timeZone: env.STORE_TZ, source: { type: 'dropbox', folder: env.DROPBOX_FOLDER ?? '' } }];
}

/** App key + refresh token (the secret too, unless the token came from tokobot dropbox-auth's PKCE flow), or an access token. */
function hasDropboxCredentials(env: Env): boolean {
  return Boolean((env.DROPBOX_APP_KEY && env.DROPBOX_REFRESH_TOKEN) || env.DROPBOX_ACCESS_TOKEN);
}

/** A few settings, for commands that must work before the rest is configured. */
function someSettings<K extends keyof Env>(source: NodeJS.ProcessEnv, keys: K[]): Pick<Env, K> {
  // zod's pick() types cannot follow a generic key list; the result is checked by the schema all the same.
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as never;
  const parsed = envSchema.pick(mask).safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== '')));
  if (!parsed.success) throw new AppError('config', 'tokobot', issueLines((p) => String(p[0]), parsed.error).join('\n'));
  return parsed.data as unknown as Pick<Env, K>;
}

/** Only what `tokobot dropbox-auth` needs. */
export function dropboxAuthSettings(source: NodeJS.ProcessEnv = process.env): { appKey?: string; apiUrl?: string } {
  const env = someSettings(source, ['DROPBOX_APP_KEY', 'DROPBOX_API_URL']);
  return { appKey: env.DROPBOX_APP_KEY, apiUrl: env.DROPBOX_API_URL };
}

/** Only the zip limits, for `tokobot inspect`. */
export function zipSettingsFrom(source: NodeJS.ProcessEnv = process.env): { zipMaxBytes?: number; zipMaxRatio: number } {
  const zip = zipSection(someSettings(source, ['ZIP_MAX_MB', 'ZIP_MAX_RATIO']));
  return { zipMaxBytes: zip.maxBytes, zipMaxRatio: zip.maxRatio };
}

function checkCombinations(env: Env, stores: StoreConfig[], problems: string[]): void {
  if (stores.some((s) => s.source.type === 'dropbox') && !hasDropboxCredentials(env)) {
    problems.push('DROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN: both are required for Dropbox (run tokobot dropbox-auth to get the token), or DROPBOX_ACCESS_TOKEN');
  }
  if (!cron.validate(env.SYNC_CRON)) problems.push(`SYNC_CRON: "${env.SYNC_CRON}" is not a cron expression (e.g. */30 * * * * for every 30 minutes)`);
  if (env.RESTORE_TARGET === 'external' && !env.PG_URL) {
    problems.push('PG_URL: required when RESTORE_TARGET=external (postgres://user:password@host:5432/postgres)');
  }
}

/**
 * Parses the environment and the config file once, at start. Every problem becomes one line
 * naming the variable or field; nothing else in the program reads process.env.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `KEY=` in .env means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) throw new AppError('config', 'tokobot', issueLines((p) => String(p[0]), parsed.error).join('\n'));
  const env = parsed.data;
  const file = env.TOKOBOT_CONFIG ? readConfigFile(env.TOKOBOT_CONFIG) : {};
  const problems: string[] = [];
  const stores = storesFrom(env, file, problems);
  checkCombinations(env, stores, problems);
  const jobs = jobsFrom(file.jobs ?? [], present, problems);
  if (jobs.some((j) => j.destinations.some((d) => d.type === 'dropbox')) && !hasDropboxCredentials(env)) {
    problems.push('jobs: a dropbox destination needs DROPBOX_APP_KEY and DROPBOX_REFRESH_TOKEN (run tokobot dropbox-auth), or DROPBOX_ACCESS_TOKEN');
  }
  if (problems.length) throw new AppError('config', 'tokobot', problems.join('\n'));
  return { ...sectionsFrom(env, file), dataDir: path.resolve(env.DATA_DIR), stores, jobs };
}

/** The store of that id, or the first store when none is given; an unknown id says which there are. */
export function findStore(stores: StoreConfig[], id?: string): StoreConfig {
  const found = id ? stores.find((s) => s.id === id) : stores[0];
  if (found) return found;
  throw new AppError('usage', 'tokobot', `Unknown store "${id}". Configured stores: ${stores.map((s) => s.id).join(', ')}.`);
}
