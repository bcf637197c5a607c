import { readFileSync } from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { envSchema, type Env } from './env-schema.ts';
import { fileSchema, type FileConfig } from './file-schema.ts';
import { AppError } from '../errors.ts';
import { jobsFrom, type JobConfig } from './jobs-from.ts';
import type { Recipient } from '../pipeline/alerts/alert-types.ts';

export type { JobConfig } from './jobs-from.ts';

export interface StoreConfig {
  id: string;
  name: string;
  /** Hours without a new backup before the freshness alert. */
  staleHours?: number;
  source: { type: 'dropbox'; folder: string } | { type: 'folder'; dir: string };
}

export type Role = 'owner' | 'admin' | 'staff';

export interface Config {
  env: Env;
  dataDir: string;
  stores: StoreConfig[];
  /** Telegram user id → role, from TELEGRAM_* and the config file's telegram section (the higher role wins). */
  roles: Map<number, Role>;
  /** Backup jobs from the config file's jobs section, with URLs and passphrases resolved. */
  jobs: JobConfig[];
  /** Who receives alerts: TELEGRAM_ALERT_CHATS, WHATSAPP_ALERT_NUMBERS and the config file's alerts.recipients. */
  recipients: Recipient[];
  /** WhatsApp numbers (digits) that may ask prices and /status. */
  whatsappAllowed: string[];
  /** TELEGRAM_OWNER_GROUPS: the only groups whose answers may show cost prices. */
  ownerGroups: Set<number>;
}

const ids = (text: string | undefined) => (text ?? '').split(',').map((x) => x.trim()).filter(Boolean).map(Number);

function rolesFrom(env: Env, file: FileConfig): Map<number, Role> {
  const roles = new Map<number, Role>();
  const t = file.telegram ?? {};
  // Lowest first, so that a user listed twice keeps the higher role.
  for (const [role, list] of [['staff', [...ids(env.TELEGRAM_STAFF), ...(t.staff ?? [])]], ['admin', [...ids(env.TELEGRAM_ADMINS), ...(t.admins ?? [])]],
    ['owner', [...ids(env.TELEGRAM_OWNERS), ...(t.owners ?? [])]]] as const) {
    for (const id of list) roles.set(id, role);
  }
  return roles;
}

const numbers = (text: string | undefined) => (text ?? '').split(',').map((x) => x.replace(/\D/g, '')).filter(Boolean);

/** Each chat and number once; the config file's entry (with a name, a language) wins over the bare environment one. */
function recipientsFrom(env: Env, file: FileConfig): Recipient[] {
  const all: Recipient[] = (file.alerts?.recipients ?? []).map((r) => ({
    name: r.name, lang: r.lang, severities: r.severities,
    ...(r.telegram !== undefined ? { telegram: String(r.telegram) } : {}), ...(r.whatsapp ? { whatsapp: r.whatsapp.replace(/\D/g, '') } : {}),
  }));
  const both: Recipient['severities'] = ['warning', 'critical'];
  for (const chat of (env.TELEGRAM_ALERT_CHATS ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!all.some((r) => r.telegram === chat)) all.push({ name: `Telegram ${chat}`, telegram: chat, lang: 'id', severities: both });
  }
  for (const number of numbers(env.WHATSAPP_ALERT_NUMBERS)) {
    if (!all.some((r) => r.whatsapp === number)) all.push({ name: `WhatsApp ${number}`, whatsapp: number, lang: 'id', severities: both });
  }
  return all;
}

function issueLines(prefix: (p: PropertyKey[]) => string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${prefix(i.path)}: ${i.message}`);
}

function readConfigFile(file: string): FileConfig {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new AppError('config', `TOKOBOT_CONFIG: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const where = (p: PropertyKey[]) => `${file}: ${p.length ? p.map(String).join('.') : '(top level)'}`;
    throw new AppError('config', issueLines(where, parsed.error).join('\n'));
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
      return { id: s.id, name: s.name ?? s.id, source, ...(s.staleHours ? { staleHours: s.staleHours } : {}) };
    });
  }
  if (env.SOURCE === 'folder') {
    if (!env.SOURCE_DIR) problems.push('SOURCE_DIR: required when SOURCE=folder (the folder holding the .i5bu/.zip backups)');
    return [{ id: env.STORE_ID, name: env.STORE_NAME ?? env.STORE_ID, source: { type: 'folder', dir: env.SOURCE_DIR ?? '' } }];
  }
  if (!env.DROPBOX_FOLDER) problems.push('DROPBOX_FOLDER: required when SOURCE=dropbox (e.g. /iPOS/backup), or list stores in TOKOBOT_CONFIG');
  return [{ id: env.STORE_ID, name: env.STORE_NAME ?? env.STORE_ID, source: { type: 'dropbox', folder: env.DROPBOX_FOLDER ?? '' } }];
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
  if (!parsed.success) throw new AppError('config', issueLines((p) => String(p[0]), parsed.error).join('\n'));
  return parsed.data as unknown as Pick<Env, K>;
}

/** Only what `tokobot dropbox-auth` needs. */
export function dropboxAuthSettings(source: NodeJS.ProcessEnv = process.env): { appKey?: string; apiUrl?: string } {
  const env = someSettings(source, ['DROPBOX_APP_KEY', 'DROPBOX_API_URL']);
  return { appKey: env.DROPBOX_APP_KEY, apiUrl: env.DROPBOX_API_URL };
}

/** The zip limits in bytes, as the sync and `tokobot inspect` take them. */
export function zipSettings(env: Pick<Env, 'ZIP_MAX_MB' | 'ZIP_MAX_RATIO'>): { zipMaxBytes?: number; zipMaxRatio: number } {
  return { zipMaxBytes: env.ZIP_MAX_MB && env.ZIP_MAX_MB * 1024 * 1024, zipMaxRatio: env.ZIP_MAX_RATIO };
}

/** Only the zip limits, for `tokobot inspect`. */
export function zipSettingsFrom(source: NodeJS.ProcessEnv = process.env): { zipMaxBytes?: number; zipMaxRatio: number } {
  return zipSettings(someSettings(source, ['ZIP_MAX_MB', 'ZIP_MAX_RATIO']));
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
  if (!parsed.success) throw new AppError('config', issueLines((p) => String(p[0]), parsed.error).join('\n'));
  const env = parsed.data;
  const file = env.TOKOBOT_CONFIG ? readConfigFile(env.TOKOBOT_CONFIG) : {};
  const problems: string[] = [];
  const stores = storesFrom(env, file, problems);
  checkCombinations(env, stores, problems);
  const jobs = jobsFrom(file.jobs ?? [], present, problems);
  if (jobs.some((j) => j.destinations.some((d) => d.type === 'dropbox')) && !hasDropboxCredentials(env)) {
    problems.push('jobs: a dropbox destination needs DROPBOX_APP_KEY and DROPBOX_REFRESH_TOKEN (run tokobot dropbox-auth), or DROPBOX_ACCESS_TOKEN');
  }
  if (problems.length) throw new AppError('config', problems.join('\n'));
  return { env, dataDir: path.resolve(env.DATA_DIR), stores, roles: rolesFrom(env, file), jobs, recipients: recipientsFrom(env, file),
    whatsappAllowed: numbers(env.WHATSAPP_ALLOWED_NUMBERS), ownerGroups: new Set(ids(env.TELEGRAM_OWNER_GROUPS)) };
}
