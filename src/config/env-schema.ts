import { z } from 'zod';
import { urlSetting } from './url-setting.ts';
import { STORE_ZONE, timeZone } from './time-zone.ts';
import { problem } from './config-issues.ts';
import { langSetting } from './lang-setting.ts';

/**
 * Every environment variable tokobot reads, with its default and meaning. `.env.example` and the
 * README's configuration table are kept in step with this list by a test. Messages name the
 * catalogue sentence (problem()) that a wrong value is told with, in Indonesian or English.
 */
const optionalText = z.string().trim().min(1).optional();
const httpUrl = urlSetting(['http', 'https'], 'https://api.example.com');
const proxyUrl = urlSetting(['http', 'https'], 'http://proxy.kantor:3128');
const port = z.coerce.number({ message: problem('portNumber') }).int().min(1).max(65535);
const idList = z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, problem('telegramUsers')).optional();
const chatList = z.string().regex(/^\s*-?\d+(\s*,\s*-?\d+)*\s*$/, problem('telegramChats')).optional();
const groupList = z.string().regex(/^\s*-\d+(\s*,\s*-\d+)*\s*$/, problem('telegramGroups')).optional();
const numberList = z.string().regex(/^\s*\+?\d{8,15}(\s*,\s*\+?\d{8,15})*\s*$/, problem('phoneNumbers')).optional();
// A plain address check (something@domain.tld): the SMTP server has the last word, and says so per recipient.
export const EMAIL_ADDRESS = /^[^\s@,<>"]+@[^\s@,<>"]+\.[^\s@,<>"]+$/;
const emailList = z.string().refine((s) => s.split(',').map((a) => a.trim()).filter(Boolean).every((a) => EMAIL_ADDRESS.test(a)), problem('emailAddresses')).optional();
const emailAddress = z.string().trim().refine((s) => EMAIL_ADDRESS.test(s.replace(/^.*<([^>]*)>$/, '$1')), problem('emailAddress')).optional();
const flag = z.enum(['true', 'false'], { message: problem('trueFalse') }).default('false');
// Only a value that is no whole number is told so; a number out of range hears its limit.
const count = (min: number) => z.coerce.number({ error: (iss) => (iss.code === 'invalid_type' ? problem('wholeNumber') : undefined) }).int().min(min);

export const envSchema = z.object({
  SOURCE: z.enum(['dropbox', 'folder']).default('dropbox').describe('Where backups come from: dropbox or folder'),
  SOURCE_DIR: optionalText.describe('Folder holding .i5bu/.zip backups when SOURCE=folder'),
  DROPBOX_APP_KEY: optionalText.describe('Dropbox app key (with the secret and refresh token)'),
  DROPBOX_APP_SECRET: optionalText.describe('Dropbox app secret (not needed with a token from tokobot dropbox-auth)'),
  DROPBOX_REFRESH_TOKEN: optionalText.describe('Dropbox refresh token (long-lived; tokobot dropbox-auth prints one)'),
  DROPBOX_ACCESS_TOKEN: optionalText.describe('Dropbox access token (short-lived; instead of key+secret+refresh token)'),
  DROPBOX_FOLDER: optionalText.describe('Dropbox folder of the store\'s backups, e.g. /iPOS/backup'),
  DROPBOX_API_URL: httpUrl.describe('Override https://api.dropboxapi.com, and https://notify.dropboxapi.com for the folder watch (tests, proxies)'),
  DROPBOX_CONTENT_URL: httpUrl.describe('Override https://content.dropboxapi.com (tests, proxies)'),
  RESTORE_TARGET: z.enum(['auto', 'docker', 'external', 'embedded']).default('auto').describe('PostgreSQL to restore into: docker, external, embedded, or auto (docker when it answers, else embedded)'),
  PG_URL: urlSetting(['postgres', 'postgresql'], 'postgres://user:password@dbserver:5432/postgres').describe('External server URL, postgres://user:pass@host:5432/postgres (a role that may create databases, and roles for `tokobot_restore`)'),
  PG_DOCKER_IMAGE: z.string().default('postgres:16-alpine').describe('Image of the managed PostgreSQL container'),
  PG_DOCKER_CONTAINER: z.string().default('tokobot-postgres').describe('Name of the managed container'),
  PG_DOCKER_VOLUME: z.string().default('tokobot-pgdata').describe('Named volume holding its data'),
  PG_DOCKER_PORT: port.default(55432).describe('Loopback port the container\'s server is reached on'),
  PG_DOCKER_NETWORK: z.enum(['bridge', 'host']).default('bridge').describe('bridge (port published on 127.0.0.1) or host'),
  PG_DOCKER_PASSWORD: optionalText.describe('Superuser password of the container (generated into DATA_DIR when unset)'),
  PG_EMBEDDED_PORT: port.default(55439).describe('Loopback port of the embedded PostgreSQL (RESTORE_TARGET=embedded)'),
  DOCKER_SOCKET: z.string().default('/var/run/docker.sock').describe('Docker Engine socket'),
  DATA_DIR: z.string().default('./data').describe('Downloads, exports and state'),
  TOKOBOT_CONFIG: optionalText.describe('Config file (YAML or JSON) listing stores and later sections'),
  TOKOBOT_RESTORE_PASSPHRASE: optionalText.describe('Passphrase of the tokobot job whose file tokobot restore-self opens (empty: the first line of stdin); set it for that command only'),
  STORE_ID: z.string().regex(/^[a-z0-9_]{1,32}$/, problem('storeId')).default('main').describe('Id of the single store configured by environment'),
  STORE_NAME: optionalText.describe('Display name of that store'),
  // Not TZ: that is the server's clock (often UTC in a container), which node-cron follows; the shops' zone is their own.
  STORE_TZ: timeZone.default(STORE_ZONE).describe('Time zone of the shops: their backups carry local times, chats and alerts show times in it, and SYNC_CRON and job '
    + 'schedules run by it: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT). Not taken from TZ (the server\'s clock, often UTC)'),
  TOKOBOT_LANG: langSetting.describe('Language of the CLI, config errors, the terminal chat and alerts to recipients without a language: id or en '
    + '(empty: en when LC_ALL, LC_MESSAGES or LANG is en_*, else id). Chat users choose their own with /lang'),
  OPS_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, problem('databaseName')).default('tokobot').describe('Ops database (run history, price list)'),
  OPS_DATABASE_URL: urlSetting(['postgres', 'postgresql'], 'postgres://tokobot:secret@ops.example.lan:5432/tokobot')
    .describe('The shared ops database (run log, published price lists, job queue) of a fleet whose workers run on several machines (empty: OPS_DATABASE on the restore server)'),
  WORKER_CONCURRENCY: count(0).max(64).default(1).describe('Jobs (syncs, backups) the worker inside tokobot start runs at once; 0: a front end only (bot, web), the jobs left to tokobot worker processes'),
  WORKER_NAME: z.string().trim().min(1).max(64).optional().describe('This machine\'s name in logs and alerts about its worker (empty: the host name)'),
  WORKER_DEAD_AFTER_S: count(10).default(60).describe('A worker silent this long (seconds) is taken for dead: its jobs are taken up by the others'),
  EXPORT_KEEP: count(1).default(5).describe('Price list CSV files kept per store'),
  MAX_ROW_DROP: z.coerce.number({ message: problem('share') }).min(0).max(1).default(0.2).describe('Largest allowed drop in row count against the published list (0.2 = 20%)'),
  ZIP_MAX_MB: count(1).optional().describe('Ceiling on what the backup in a zip may unpack to, in MB (empty: the free space under DATA_DIR)'),
  ZIP_MAX_RATIO: count(2).default(100).describe('Largest unpacked : packed size ratio of the backup in a zip (zip bombs; a real .i5bu packs a few times)'),
  RESTORE_JOBS: count(1).max(16).default(2).describe('Parallel pg_restore jobs'),
  TELEGRAM_BOT_TOKEN: optionalText.describe('Bot token from @BotFather (needed by tokobot start)'),
  TELEGRAM_API_ROOT: httpUrl.describe('A self-hosted Bot API server instead of https://api.telegram.org'),
  TELEGRAM_OWNERS: idList.describe('Telegram user ids of owners (everything, cost prices included)'),
  TELEGRAM_ADMINS: idList.describe('Telegram user ids of admins (prices, status, sync)'),
  TELEGRAM_STAFF: idList.describe('Telegram user ids of staff (prices, status)'),
  TELEGRAM_OWNER_GROUPS: groupList.describe('Telegram groups answered with cost prices and owner commands (other groups: staff answers only)'),
  TELEGRAM_PUBLIC: flag.describe('true: anyone may ask prices (and nothing else)'),
  TELEGRAM_WEBHOOK_URL: urlSetting(['https'], 'https://bot.example.com/telegram').describe('Public HTTPS URL for webhook mode (empty: long polling)'),
  TELEGRAM_WEBHOOK_PORT: port.default(8443).describe('Local port the webhook server listens on'),
  TELEGRAM_RATE_LIMIT: count(1).default(20).describe('Messages per minute one user may send'),
  SYNC_CRON: z.string().default('*/30 * * * *').describe('When tokobot start syncs every store (cron)'),
  SYNC_WATCH: flag.default('true').describe('true: tokobot start watches each store\'s backup folder (Dropbox or local) and syncs a new backup as soon as it lands (SYNC_CRON stays as the fallback)'),
  TELEGRAM_ALERT_CHATS: chatList.describe('Telegram chats (people or groups) that receive alerts'),
  WHATSAPP_ENABLED: flag.describe('true: link a WhatsApp account for alerts and questions'),
  WHATSAPP_ALERT_NUMBERS: numberList.describe('WhatsApp numbers that receive alerts, e.g. 6281234567890'),
  WHATSAPP_ALLOWED_NUMBERS: numberList.describe('WhatsApp numbers that may ask prices and /status'),
  EMAIL_ALERT_TO: emailList.describe('E-mail addresses that receive alerts, separated by commas, e.g. pemilik@toko.co.id (needs SMTP_URL or SMTP_HOST, and SMTP_FROM)'),
  SMTP_URL: urlSetting(['smtp', 'smtps'], 'smtp://user:password@mail.example.com:587').describe('SMTP server for e-mail alerts: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (instead of SMTP_HOST…)'),
  SMTP_HOST: optionalText.describe('SMTP server for e-mail alerts, with SMTP_PORT, SMTP_USER and SMTP_PASSWORD (instead of SMTP_URL)'),
  SMTP_PORT: port.optional().describe('SMTP port: 587 (STARTTLS, required), 465 (TLS) or 25 (empty: 587)'),
  SMTP_USER: optionalText.describe('SMTP user name (empty: send without logging in)'),
  SMTP_PASSWORD: optionalText.describe('SMTP password (never shown in logs or messages)'),
  SMTP_FROM: emailAddress.describe('Sender of e-mail alerts, e.g. tokobot@toko.co.id or "tokobot <tokobot@toko.co.id>"'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium').describe('Chromium that WhatsApp Web runs in'),
  ALERT_REMIND_HOURS: count(1).default(6).describe('Hours between reminders of an alert that stays open'),
  STALE_BACKUP_HOURS: count(1).default(26).describe('Alert when a store has had no new backup for this long (hours)'),
  DISK_MIN_FREE_MB: count(0).default(2048).describe('Alert when DATA_DIR has less free space than this (MB)'),
  HTTPS_PROXY: proxyUrl.describe('Proxy for Telegram and Dropbox (their https addresses), e.g. http://proxy.kantor:3128 (https_proxy is read too)'),
  HTTP_PROXY: proxyUrl.describe('Proxy for a plain-http TELEGRAM_API_ROOT or DROPBOX_API_URL (http_proxy is read too)'),
  NO_PROXY: z.string().trim().optional().describe('Hosts reached without the proxy, separated by commas: example.com covers its subdomains, 10.0.0.0/8 a range, * all; loopback always (no_proxy is read too)'),
  HTTP_PORT: port.optional().describe('Port of the /healthz, /metrics and /status server (empty: off)'),
  HTTP_HOST: z.string().default('127.0.0.1').describe('Address that server listens on (0.0.0.0 in a container)'),
  HTTP_TOKEN: z.string().trim().min(16, problem('httpToken')).optional()
    .describe('Bearer token for /status and /metrics; required when HTTP_HOST is not a loopback address'),
  WEB_PORT: port.optional().describe('Port of the web dashboard (empty: off)'),
  WEB_HOST: z.string().default('127.0.0.1').describe('Address the web dashboard listens on (0.0.0.0 behind a reverse proxy in a container)'),
  WEB_URL: urlSetting(['http', 'https'], 'https://toko.example.com').describe('Address people open the dashboard at, for the sign-in links /web sends (empty: http://WEB_HOST:WEB_PORT); https makes the session cookie Secure'),
  WEB_TRUST_PROXY: flag.describe('true: the dashboard is reached through a reverse proxy only; the audit trail and the sessions list take the client address from X-Forwarded-For'),
  AGENT_INGEST: flag.describe('true: the web server (WEB_PORT) also takes reports from shop agents (tokobot agent) at /api/agent/v1, each store with its own token (tokobot store add)'),
  AGENT_SILENT_MINUTES: count(1).default(30).describe('Alert when a store\'s agent has sent no heartbeat for this long (minutes); agents beat every 5 minutes'),
  AGENT_RATE_PER_MINUTE: count(1).default(60).describe('Requests per minute one agent token may make to the report API (more are refused with 429 until the minute is over)'),
  AGENT_CONFIG: optionalText.describe('The shop agent\'s config file, written by tokobot agent enroll (empty: DATA_DIR/agent.json)'),
  PG_BIN_DIR: optionalText.describe('Folder holding pg_dump, for backup jobs run on this machine, e.g. C:\\Program Files\\PostgreSQL\\9.6\\bin beside iPOS (empty: pg_dump on the PATH)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
});

export type Env = z.infer<typeof envSchema>;
