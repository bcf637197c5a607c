import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { createRequire } from 'node:module';
import path from 'node:path';
import { validCron } from './cron-text.ts';
import { envSchema, type Env } from './env-schema.ts';
import { fileSchema, type FileConfig } from './file-schema.ts';
import { AppError } from '../errors.ts';
import { jobsFrom, type JobConfig } from './jobs-from.ts';
import { proxySection, sectionsFrom, zipSection, type DropboxAccount, type ProxySection, type Sections } from './sections.ts';
import { parseSettings, problemLine, type Problem } from './config-issues.ts';
import { langFrom } from './lang-from.ts';
import { storesFrom, type StoreConfig } from './stores-from.ts';
import type { Lang } from '../i18n/lang.ts';
import type { Recipient } from '../pipeline/alerts/alert-types.ts';
import { t } from '../i18n/text.ts';

export type { JobConfig } from './jobs-from.ts';
export type { Role } from './sections.ts';
export type { StoreConfig } from './stores-from.ts';

/** The whole configuration, parsed once at start; below src/config and src/main nothing reads the environment. */
export interface Config extends Sections {
  dataDir: string;
  stores: StoreConfig[];
  /** Backup jobs from the config file's jobs section, with URLs and passphrases resolved. */
  jobs: JobConfig[];
  /** TOKOBOT_CONFIG, absolute; and the .env file the command line read (LoadOptions.envFile): what a tokobot job backs up. */
  files: { config?: string; env?: string };
}

/** Line and column of a parser's error in `text`: YAML gives them, JSON.parse a position (when it gives one). */
function wherePosition(err: unknown, text: string): { line: number; column: number } | null {
  const yamlAt = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  if (yamlAt) return { line: yamlAt.line, column: yamlAt.col };
  const at = /at position (\d+)/.exec((err as Error).message ?? '');
  if (!at) return null;
  const before = text.slice(0, Number(at[1])).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The YAML parser, loaded only for a YAML config file (a command without one starts about 25 ms sooner). */
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

/**
 * Why the config file could not be read or parsed. A parser's message quotes the file's text
 * (JSON.parse the start of it, YAML the line), which may hold a job's URL with its password: only
 * the place is told.
 */
function unreadable(file: string, text: string | null, err: unknown): Problem {
  const code = (err as NodeJS.ErrnoException).code;
  if (text === null) return code === 'ENOENT' ? { key: 'fileMissing', params: { file } } : { key: 'fileUnreadable', params: { file, error: code ?? '?' } };
  const format = /\.ya?ml$/i.test(file) ? 'YAML' : 'JSON';
  const at = wherePosition(err, text);
  return at ? { key: 'fileSyntaxAt', params: { file, format, ...at } } : { key: 'fileSyntax', params: { file, format } };
}

/**
 * A settings file (YAML or JSON by its name) checked by `schema`. `setting` names where the file
 * came from (TOKOBOT_CONFIG, AGENT_CONFIG); `missing` tells a file that is not there, when that
 * means more than "no such file".
 */
export function readSettingsFile<T extends z.ZodType>(file: string, schema: T, lang: Lang, setting: string, missing?: Problem): z.output<T> {
  let text: string | null = null;
  let raw: unknown;
  try {
    text = readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const problem = missing && text === null && (err as NodeJS.ErrnoException).code === 'ENOENT' ? missing : unreadable(file, text, err);
    throw new AppError('config', 'tokobot', problemLine(setting, problem, lang), { cause: err });
  }
  return parseSettings(schema, raw ?? {}, lang, (p) => `${file}: ${p.length ? p.map(String).join('.') : t(lang, 'topLevel')}`);
}

/**
 * `reader`: for commands that only read the published lists and the ops database (tokobot ask,
 * tokobot chat): where a store's backups come from and the Dropbox account are not required
 * (a sync or backup started from there checks what it needs: checkRunnable).
 */
interface LoadOptions {
  reader?: boolean;
  /** The .env file the variables came from (src/cli.ts reads it), for a tokobot job. */
  envFile?: string;
}

/** Each store a recipient is limited to must be one of the stores (a misspelt id would silence that store's alerts). */
function checkRecipientStores(file: FileConfig, stores: StoreConfig[], problems: string[], lang: Lang): void {
  const known = new Set(stores.map((s) => s.id));
  for (const [i, r] of (file.alerts?.recipients ?? []).entries()) {
    for (const id of r.stores ?? []) {
      if (!known.has(id)) problems.push(problemLine(`alerts.recipients.${i} (${r.name}).stores`, { key: 'recipientStore', params: { id } }, lang));
    }
  }
}

/** App key + refresh token (the secret too, unless the token came from tokobot dropbox-auth's PKCE flow), or an access token. */
export function hasDropboxCredentials(account: DropboxAccount): boolean {
  return Boolean((account.appKey && account.refreshToken) || account.accessToken);
}

/** The variables set (`KEY=` in .env means "not set", not "set to nothing"). */
export function setOnly(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const present: Record<string, string | undefined> = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  // Many systems set the proxy in lower case (https_proxy), as curl reads it; the upper-case name wins.
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) present[name] ??= present[name.toLowerCase()];
  return present;
}

/** A few settings, for commands that must work before the rest is configured. */
export function someSettings<K extends keyof Env>(source: NodeJS.ProcessEnv, keys: K[]): Pick<Env, K> {
  // zod's pick() types cannot follow a generic key list; the result is checked by the schema all the same.
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as never;
  return parseSettings(envSchema.pick(mask), setOnly(source), langFrom(source), (p) => String(p[0])) as unknown as Pick<Env, K>;
}

/** Only what `tokobot dropbox-auth` needs: the app key, and how Dropbox is reached (from an office behind a proxy too). */
export function dropboxAuthSettings(source: NodeJS.ProcessEnv = process.env): { appKey?: string; apiUrl?: string; proxy: ProxySection } {
  const env = someSettings(source, ['DROPBOX_APP_KEY', 'DROPBOX_API_URL', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']);
  return { appKey: env.DROPBOX_APP_KEY, apiUrl: env.DROPBOX_API_URL, proxy: proxySection(env) };
}

/** Only the zip limits, for `tokobot inspect`. */
export function zipSettingsFrom(source: NodeJS.ProcessEnv = process.env): { zipMaxBytes?: number; zipMaxRatio: number } {
  const zip = zipSection(someSettings(source, ['ZIP_MAX_MB', 'ZIP_MAX_RATIO']));
  return { zipMaxBytes: zip.maxBytes, zipMaxRatio: zip.maxRatio };
}

/** Where a one-off command keeps its log and how much it logs (the CLI's log: src/cli/cli-log.ts), with or without the rest. */
export function cliLogSettings(source: NodeJS.ProcessEnv = process.env): { dataDir: string; level: Env['LOG_LEVEL'] } {
  const env = someSettings(source, ['DATA_DIR', 'LOG_LEVEL']);
  return { dataDir: path.resolve(env.DATA_DIR), level: env.LOG_LEVEL };
}

function checkCombinations(env: Env, dropbox: DropboxAccount, stores: StoreConfig[], recipients: Recipient[], problems: string[], sourceProblems: string[], lang: Lang): void {
  if (stores.some((s) => s.source.type === 'dropbox') && !hasDropboxCredentials(dropbox)) {
    sourceProblems.push(problemLine('DROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN', { key: 'dropboxCredentials' }, lang));
  }
  if (!validCron(env.SYNC_CRON)) problems.push(problemLine('SYNC_CRON', { key: 'syncCron', params: { value: env.SYNC_CRON } }, lang));
  if (env.RESTORE_TARGET === 'external' && !env.PG_URL) problems.push(problemLine('PG_URL', { key: 'pgUrlNeeded' }, lang));
  // The agents' API is served by the web server: without a port, agents would find nobody to report to.
  if (env.SMTP_URL && env.SMTP_HOST) problems.push(problemLine('SMTP_URL, SMTP_HOST', { key: 'smtpUrlOrHost' }, lang));
  if ((env.SMTP_URL || env.SMTP_HOST) && !env.SMTP_FROM) problems.push(problemLine('SMTP_FROM', { key: 'smtpFromNeeded' }, lang));
  if (recipients.some((r) => r.email) && !env.SMTP_URL && !env.SMTP_HOST) problems.push(problemLine('EMAIL_ALERT_TO', { key: 'smtpNeeded' }, lang));
  if (env.AGENT_INGEST === 'true' && env.WEB_PORT === undefined) problems.push(problemLine('WEB_PORT', { key: 'agentIngestNeedsWeb' }, lang));
}

/**
 * Parses the environment and the config file once, at start. Every problem becomes one line
 * naming the variable or field, in the language of TOKOBOT_LANG or the locale (read first);
 * nothing else in the program reads process.env.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  const lang = langFrom(source);
  const present = setOnly(source);
  const env = parseSettings(envSchema, present, lang, (p) => String(p[0]));
  const file: FileConfig = env.TOKOBOT_CONFIG ? readSettingsFile(env.TOKOBOT_CONFIG, fileSchema, lang, 'TOKOBOT_CONFIG') : {};
  const sections = sectionsFrom(env, file, lang);
  const problems: string[] = [];
  // A reader's sources go unchecked: checkRunnable tells their problems when a sync or backup needs them.
  const sourceProblems = options.reader ? [] : problems;
  const stores = storesFrom(env, file, problems, sourceProblems, lang);
  checkCombinations(env, sections.dropbox, stores, sections.alerts.recipients, problems, sourceProblems, lang);
  checkRecipientStores(file, stores, problems, lang);
  const jobs = jobsFrom(file.jobs ?? [], present, problems, lang);
  if (jobs.some((j) => j.destinations.some((d) => d.type === 'dropbox')) && !hasDropboxCredentials(sections.dropbox)) {
    sourceProblems.push(problemLine('jobs', { key: 'jobsDropboxCredentials' }, lang));
  }
  if (problems.length) throw new AppError('config', 'tokobot', problems.join('\n'));
  const files = { ...(env.TOKOBOT_CONFIG ? { config: path.resolve(env.TOKOBOT_CONFIG) } : {}), ...(options.envFile ? { env: path.resolve(options.envFile) } : {}) };
  return { ...sections, dataDir: path.resolve(env.DATA_DIR), stores, jobs, files };
}

/**
 * What a sync of `run.store`, or a run of `run.job`, needs of the settings that a reader's config
 * (LoadOptions.reader) left unchecked: the AppError loadConfig would have thrown, naming only
 * what this run misses.
 */
export function checkRunnable(config: Config, run: { store: StoreConfig } | { job: JobConfig }): void {
  const lang = config.locale.lang;
  const problems: string[] = [];
  const noAccount = !hasDropboxCredentials(config.dropbox);
  if ('store' in run) {
    const source = run.store.source;
    if (source.type === 'folder' && !source.dir) problems.push(problemLine('SOURCE_DIR', { key: 'sourceDirNeeded' }, lang));
    if (source.type === 'dropbox' && !source.folder) problems.push(problemLine('DROPBOX_FOLDER', { key: 'dropboxFolderNeeded' }, lang));
    if (source.type === 'dropbox' && noAccount) problems.push(problemLine('DROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN', { key: 'dropboxCredentials' }, lang));
  } else if (run.job.destinations.some((d) => d.type === 'dropbox') && noAccount) {
    problems.push(problemLine('jobs', { key: 'jobsDropboxCredentials' }, lang));
  }
  if (problems.length) throw new AppError('config', 'tokobot', problems.join('\n'));
}

/** The store of that id, or the first store when none is given; an unknown id says which there are. */
export function findStore(stores: StoreConfig[], id?: string): StoreConfig {
  const found = id ? stores.find((s) => s.id === id) : stores[0];
  if (found) return found;
  const ids = stores.map((s) => s.id).join(', ');
  throw new AppError('usage', 'tokobot', { en: `Unknown store "${id}". Configured stores: ${ids}.`, id: `Toko "${id}" tidak dikenal. Toko yang diatur: ${ids}.` });
}
