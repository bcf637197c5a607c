import { hostname } from 'node:os';
import type { Env } from './env-schema.ts';
import type { FileConfig } from './file-schema.ts';
import type { Recipient } from '../pipeline/alerts/alert-types.ts';
import { DEFAULT_DIGEST, parseDailyTime, parseWeeklyTime, type DigestSchedule } from '../pipeline/reports/digest-schedule.ts';
import type { SmtpSettings } from '../adapters/email/email-messenger.ts';
import type { Lang, Locale } from '../i18n/lang.ts';

export type Role = 'owner' | 'admin' | 'staff';

const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;

/** The Dropbox account of every source and destination (app key + refresh token, or an access token). */
export interface DropboxAccount {
  appKey?: string;
  appSecret?: string;
  refreshToken?: string;
  accessToken?: string;
  /** Overrides of https://api.dropboxapi.com and https://content.dropboxapi.com (tests, proxies). */
  apiUrl?: string;
  contentUrl?: string;
}

export interface RestoreSection {
  /** auto: docker when the Docker Engine answers, else embedded. */
  target: Env['RESTORE_TARGET'];
  /** The external server (target external). */
  pgUrl?: string;
  docker: { image: string; container: string; volume: string; port: number; network: 'bridge' | 'host'; password?: string };
  embedded: { port: number };
}

export interface SyncSection {
  cron: string;
  /** Sync a store as soon as a new backup lands in its Dropbox folder (SYNC_WATCH). */
  watch: boolean;
  exportKeep: number;
  /** Largest allowed drop in row count against the published list, as a share (0.2 = 20%). */
  maxRowDrop: number;
  /** maxBytes unset: the free space where the zip is unpacked is the ceiling. */
  zip: { maxBytes?: number; maxRatio: number };
  restoreJobs: number;
}

export interface TelegramSection {
  token?: string;
  apiRoot?: string;
  /** Telegram user id → role, from TELEGRAM_* and the config file's telegram section (the higher role wins). */
  roles: Map<number, Role>;
  /** TELEGRAM_OWNER_GROUPS: the only groups whose answers may show cost prices. */
  ownerGroups: Set<number>;
  /** Anyone may ask prices (and nothing else). */
  publicMode: boolean;
  /** Set: webhook mode, the local server on `port`; unset: long polling. */
  webhook?: { url: string; port: number };
  rateLimitPerMinute: number;
}

export interface WhatsAppSection {
  enabled: boolean;
  chromiumPath: string;
  /** Numbers (digits) that may ask prices and /status. */
  allowed: string[];
}

export interface AlertsSection {
  /** Who receives alerts: TELEGRAM_ALERT_CHATS, WHATSAPP_ALERT_NUMBERS and the config file's alerts.recipients. */
  recipients: Recipient[];
  remindMs: number;
  /** A store without a new backup for this long is alerted on (a store's own staleHours wins). */
  staleBackupMs: number;
  diskMinFreeBytes: number;
}

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY: how Telegram and Dropbox are reached from an office behind a proxy. */
export interface ProxySection {
  /** For https URLs (Telegram's and Dropbox's own addresses). */
  https?: string;
  /** For plain-http URLs (a self-hosted Bot API server, a DROPBOX_API_URL on http). */
  http?: string;
  /** NO_PROXY's entries: hosts (and their subdomains), addresses and ranges reached directly. */
  noProxy: string[];
}

export interface HttpSection {
  /** Unset: the ops HTTP server is off. */
  port?: number;
  host: string;
  token?: string;
}

/** The web dashboard (WEB_*): off without a port. */
export interface WebSection {
  port?: number;
  host: string;
  /** Where sign-in links point: WEB_URL without a trailing slash, else http://host:port. */
  baseUrl: string;
  /** Served over https (WEB_URL says so): the session cookie is then Secure. */
  secure: boolean;
  /** Behind a reverse proxy (WEB_TRUST_PROXY): the client is the address the proxy saw. */
  trustProxy: boolean;
}

function webSection(env: Env): WebSection {
  const host = env.WEB_HOST.includes(':') ? `[${env.WEB_HOST}]` : env.WEB_HOST;
  const baseUrl = (env.WEB_URL ?? `http://${host}:${env.WEB_PORT ?? 80}`).replace(/\/+$/, '');
  return { port: env.WEB_PORT, host: env.WEB_HOST, baseUrl, secure: baseUrl.startsWith('https:'), trustProxy: env.WEB_TRUST_PROXY === 'true' };
}

export interface WorkerSection {
  /** Job slots; 0: this process runs no jobs and fires no schedule. */
  concurrency: number;
  /** The machine, as logs and alerts name it. */
  name: string;
  /** How long a worker may stay silent before the others take up its jobs. */
  deadAfterMs: number;
}

/** The head office's side of shop agents (AGENT_*). */
export interface AgentsSection {
  /** The report API is on (it needs the web server, WEB_PORT). */
  ingest: boolean;
  /** An agent without a heartbeat for this long is alerted on. */
  silentMs: number;
  /** Requests per minute one token may make. */
  ratePerMinute: number;
}

/** Every part of the configuration but the stores and jobs, each shaped for its consumer. */
export interface Sections {
  dropbox: DropboxAccount;
  restore: RestoreSection;
  /** The Docker Engine (the restore container; backup jobs that dump inside a container). */
  docker: { socket: string };
  /** The ops database: `url` when it is shared by a fleet (OPS_DATABASE_URL), else `database` on the restore server. */
  ops: { database: string; url?: string };
  /** The worker of this process (tokobot start's; tokobot worker may override the slots). */
  worker: WorkerSection;
  sync: SyncSection;
  telegram: TelegramSection;
  whatsapp: WhatsAppSection;
  alerts: AlertsSection;
  /** The SMTP server for e-mail alerts (SMTP_URL or SMTP_HOST…, SMTP_FROM); unset: no e-mail channel. */
  email?: SmtpSettings;
  http: HttpSection;
  web: WebSection;
  agents: AgentsSection;
  proxy: ProxySection;
  log: { level: Env['LOG_LEVEL'] };
  /**
   * How tokobot speaks when it does not know the reader: the language of the CLI, config errors,
   * the terminal chat and alerts to recipients without one (TOKOBOT_LANG or the locale); the zone
   * of times that belong to no store (backup jobs, the disk): STORE_TZ.
   */
  locale: Locale;
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

/** A recipient's report times from the config file: what is not given is the default, false is none. */
function digestSchedule(d: { daily?: string | false; weekly?: string | false }): DigestSchedule {
  return {
    daily: d.daily === false ? null : d.daily === undefined ? DEFAULT_DIGEST.daily : parseDailyTime(d.daily),
    weekly: d.weekly === false ? null : d.weekly === undefined ? DEFAULT_DIGEST.weekly : parseWeeklyTime(d.weekly),
  };
}

/** Each chat and number once; the config file's entry (with a name, a language) wins over the bare environment one. Without a language: `lang`. */
function recipientsFrom(env: Env, file: FileConfig, lang: Lang): Recipient[] {
  const all: Recipient[] = (file.alerts?.recipients ?? []).map((r) => ({
    name: r.name, lang: r.lang ?? lang, severities: r.severities, ...(r.stores ? { stores: r.stores } : {}), ...(r.digest ? { digest: digestSchedule(r.digest) } : {}),
    ...(r.telegram !== undefined ? { telegram: String(r.telegram) } : {}), ...(r.whatsapp ? { whatsapp: r.whatsapp.replace(/\D/g, '') } : {}),
    ...(r.email ? { email: r.email.trim() } : {}),
  }));
  const both: Recipient['severities'] = ['warning', 'critical'];
  for (const chat of (env.TELEGRAM_ALERT_CHATS ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!all.some((r) => r.telegram === chat)) all.push({ name: `Telegram ${chat}`, telegram: chat, lang, severities: both });
  }
  for (const number of numbers(env.WHATSAPP_ALERT_NUMBERS)) {
    if (!all.some((r) => r.whatsapp === number)) all.push({ name: `WhatsApp ${number}`, whatsapp: number, lang, severities: both });
  }
  for (const address of (env.EMAIL_ALERT_TO ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!all.some((r) => r.email?.toLowerCase() === address.toLowerCase())) all.push({ name: address, email: address, lang, severities: both });
  }
  return all;
}

/** STARTTLS's port: there it is required, so that the password never crosses the network in the clear. */
const SUBMISSION_PORT = 587;

/**
 * The SMTP server from SMTP_URL or SMTP_HOST…; undefined when neither is set, or without SMTP_FROM
 * (loadConfig says so). The password is not enumerable: a config object logged or printed whole
 * does not show it.
 */
export function emailSection(env: Pick<Env, 'SMTP_URL' | 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'SMTP_FROM'>): SmtpSettings | undefined {
  if (!env.SMTP_FROM || (!env.SMTP_URL && !env.SMTP_HOST)) return undefined;
  const url = env.SMTP_URL ? new URL(env.SMTP_URL) : null;
  const secure = url ? url.protocol === 'smtps:' : env.SMTP_PORT === 465;
  const port = url ? Number(url.port || (secure ? 465 : SUBMISSION_PORT)) : env.SMTP_PORT ?? SUBMISSION_PORT;
  const user = url ? decodeURIComponent(url.username) || undefined : env.SMTP_USER;
  const password = url ? decodeURIComponent(url.password) || undefined : env.SMTP_PASSWORD;
  const smtp: SmtpSettings = { host: url ? url.hostname : env.SMTP_HOST!, port, secure, requireTLS: !secure && port === SUBMISSION_PORT, ...(user ? { user } : {}), from: env.SMTP_FROM };
  if (password) Object.defineProperty(smtp, 'password', { value: password, enumerable: false });
  return smtp;
}

const withEmail = (env: Env): { email?: SmtpSettings } => {
  const email = emailSection(env);
  return email ? { email } : {};
};

export function dropboxSection(env: Partial<Env>): DropboxAccount {
  return {
    appKey: env.DROPBOX_APP_KEY, appSecret: env.DROPBOX_APP_SECRET, refreshToken: env.DROPBOX_REFRESH_TOKEN,
    accessToken: env.DROPBOX_ACCESS_TOKEN, apiUrl: env.DROPBOX_API_URL, contentUrl: env.DROPBOX_CONTENT_URL,
  };
}

export function zipSection(env: Pick<Env, 'ZIP_MAX_MB' | 'ZIP_MAX_RATIO'>): SyncSection['zip'] {
  return { maxBytes: env.ZIP_MAX_MB && env.ZIP_MAX_MB * MB, maxRatio: env.ZIP_MAX_RATIO };
}

export function proxySection(env: Pick<Env, 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY'>): ProxySection {
  return { https: env.HTTPS_PROXY, http: env.HTTP_PROXY, noProxy: (env.NO_PROXY ?? '').split(/[\s,]+/).filter(Boolean) };
}

/** The parsed environment and config file, as sections: booleans as booleans, durations in ms, sizes in bytes. `lang` is langFrom()'s. */
export function sectionsFrom(env: Env, file: FileConfig, lang: Lang): Sections {
  return {
    dropbox: dropboxSection(env),
    restore: {
      target: env.RESTORE_TARGET, pgUrl: env.PG_URL,
      docker: { image: env.PG_DOCKER_IMAGE, container: env.PG_DOCKER_CONTAINER, volume: env.PG_DOCKER_VOLUME, port: env.PG_DOCKER_PORT,
        network: env.PG_DOCKER_NETWORK, password: env.PG_DOCKER_PASSWORD },
      embedded: { port: env.PG_EMBEDDED_PORT },
    },
    docker: { socket: env.DOCKER_SOCKET },
    ops: { database: env.OPS_DATABASE, ...(env.OPS_DATABASE_URL ? { url: env.OPS_DATABASE_URL } : {}) },
    worker: { concurrency: env.WORKER_CONCURRENCY, name: env.WORKER_NAME ?? hostname(), deadAfterMs: env.WORKER_DEAD_AFTER_S * 1000 },
    sync: { cron: env.SYNC_CRON, watch: env.SYNC_WATCH === 'true', exportKeep: env.EXPORT_KEEP, maxRowDrop: env.MAX_ROW_DROP, zip: zipSection(env), restoreJobs: env.RESTORE_JOBS },
    telegram: {
      token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, roles: rolesFrom(env, file), ownerGroups: new Set(ids(env.TELEGRAM_OWNER_GROUPS)),
      publicMode: env.TELEGRAM_PUBLIC === 'true', rateLimitPerMinute: env.TELEGRAM_RATE_LIMIT,
      ...(env.TELEGRAM_WEBHOOK_URL ? { webhook: { url: env.TELEGRAM_WEBHOOK_URL, port: env.TELEGRAM_WEBHOOK_PORT } } : {}),
    },
    whatsapp: { enabled: env.WHATSAPP_ENABLED === 'true', chromiumPath: env.CHROMIUM_PATH, allowed: numbers(env.WHATSAPP_ALLOWED_NUMBERS) },
    alerts: {
      recipients: recipientsFrom(env, file, lang), remindMs: env.ALERT_REMIND_HOURS * HOUR_MS, staleBackupMs: env.STALE_BACKUP_HOURS * HOUR_MS,
      diskMinFreeBytes: env.DISK_MIN_FREE_MB * MB,
    },
    ...withEmail(env),
    http: { port: env.HTTP_PORT, host: env.HTTP_HOST, token: env.HTTP_TOKEN },
    web: webSection(env),
    agents: { ingest: env.AGENT_INGEST === 'true', silentMs: env.AGENT_SILENT_MINUTES * 60_000, ratePerMinute: env.AGENT_RATE_PER_MINUTE },
    proxy: proxySection(env),
    log: { level: env.LOG_LEVEL },
    locale: { lang, zone: env.STORE_TZ },
  };
}
