import { statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { Locale } from '../i18n/lang.ts';
import { isPlainHttpElsewhere } from '../loopback.ts';
import { agentFileSchema } from './agent-file-schema.ts';
import { problemLine } from './config-issues.ts';
import type { Env } from './env-schema.ts';
import { jobsFrom, type JobConfig } from './jobs-from.ts';
import { langFrom } from './lang-from.ts';
import { hasDropboxCredentials, readSettingsFile, setOnly, someSettings } from './load-config.ts';
import { dropboxSection, proxySection, type DropboxAccount, type ProxySection } from './sections.ts';

const MB = 1024 * 1024;

/** A shop agent backs up the shop's databases only: tokobot's own settings live at the head office. */
export type AgentJob = JobConfig & { type: 'postgres' | 'mysql' };

const isAgentJob = (j: JobConfig): j is AgentJob => j.type !== 'tokobot';

/** Everything `tokobot agent` (and its enrolment and doctor) runs with: agent.json plus the environment. */
export interface AgentConfig {
  dataDir: string;
  /** Where agent.json was read from (AGENT_CONFIG, else DATA_DIR/agent.json). */
  file: string;
  /** The store's token is here: never log this section. */
  headOffice: { url: string; token: string; store: string; instance: string };
  heartbeatSeconds: number;
  /** The jobs of agent.json, URLs and passphrases resolved, local destination dirs absolute. */
  jobs: AgentJob[];
  dropbox: DropboxAccount;
  proxy: ProxySection;
  /** STORE_TZ is the zone of the job schedules; TOKOBOT_LANG the language of the log's texts. */
  locale: Locale;
  log: { level: Env['LOG_LEVEL'] };
  diskMinFreeBytes: number;
  /** pg_dump to run: PG_BIN_DIR's (pg_dump.exe on Windows), else the one on the PATH. */
  pgDump: string;
  /** Set when agent.json may be read by other users of this computer (POSIX mode): the caller logs it. */
  fileWarning?: { en: string; id: string };
}

const ENV_KEYS = [
  'DATA_DIR', 'AGENT_CONFIG', 'PG_BIN_DIR', 'STORE_TZ', 'TOKOBOT_LANG', 'DISK_MIN_FREE_MB', 'LOG_LEVEL',
  'DROPBOX_APP_KEY', 'DROPBOX_APP_SECRET', 'DROPBOX_REFRESH_TOKEN', 'DROPBOX_ACCESS_TOKEN', 'DROPBOX_API_URL', 'DROPBOX_CONTENT_URL',
  'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY',
] as const satisfies (keyof Env)[];

/** Where agent.json is, from the environment alone (what enrolment writes to). */
export function agentConfigPath(source: NodeJS.ProcessEnv = process.env): { dataDir: string; file: string } {
  const env = someSettings(source, ['DATA_DIR', 'AGENT_CONFIG']);
  const dataDir = path.resolve(env.DATA_DIR);
  return { dataDir, file: path.resolve(env.AGENT_CONFIG ?? path.join(dataDir, 'agent.json')) };
}

/** pg_dump in `binDir` (pg_dump.exe on Windows), or the one the PATH finds. */
export function pgDumpPath(binDir: string | undefined, platform: NodeJS.Platform = process.platform): string {
  if (!binDir) return 'pg_dump';
  const p = platform === 'win32' ? path.win32 : path;
  return p.join(p.resolve(binDir), platform === 'win32' ? 'pg_dump.exe' : 'pg_dump');
}

/** On POSIX, a file holding a token that the group or others may read. Windows has no such mode bits (ACLs instead). */
function readableByOthers(file: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    return (statSync(file).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/**
 * The agent's configuration, read once at start: agent.json (agentFileSchema) and the environment
 * variables it shares with every tokobot. Every problem is one line naming the field or variable,
 * in TOKOBOT_LANG's language; a missing agent.json says how to enrol.
 */
export function loadAgentConfig(source: NodeJS.ProcessEnv = process.env): AgentConfig {
  const lang = langFrom(source);
  const env = someSettings(source, [...ENV_KEYS]);
  const { dataDir, file } = agentConfigPath(source);
  const agent = readSettingsFile(file, agentFileSchema, lang, 'AGENT_CONFIG', { key: 'agentNotEnrolled', params: { file } });
  const problems: string[] = [];
  if (isPlainHttpElsewhere(agent.headOffice.url)) problems.push(problemLine(`${file}: headOffice.url`, { key: 'headOfficeHttps' }, lang));
  const all = jobsFrom(agent.jobs, setOnly(source), problems, lang);
  for (const j of all.filter((job) => !isAgentJob(job))) problems.push(problemLine(`${file}: jobs (${j.id}).type`, { key: 'agentNoSelfJob' }, lang));
  const jobs = all.filter(isAgentJob);
  const dropbox = dropboxSection(env);
  if (jobs.some((j) => j.destinations.some((d) => d.type === 'dropbox')) && !hasDropboxCredentials(dropbox)) {
    problems.push(problemLine(`${file}: jobs`, { key: 'jobsDropboxCredentials' }, lang));
  }
  if (problems.length) throw new AppError('config', 'tokobot', problems.join('\n'));
  return {
    dataDir, file, headOffice: agent.headOffice, heartbeatSeconds: agent.heartbeatSeconds, jobs, dropbox, proxy: proxySection(env),
    locale: { lang, zone: env.STORE_TZ }, log: { level: env.LOG_LEVEL }, diskMinFreeBytes: env.DISK_MIN_FREE_MB * MB, pgDump: pgDumpPath(env.PG_BIN_DIR),
    ...(readableByOthers(file) ? {
      fileWarning: {
        en: `${file} holds the store's token and other users of this computer may read it: chmod 600 ${file}`,
        id: `${file} berisi token toko dan pengguna lain komputer ini bisa membacanya: chmod 600 ${file}`,
      },
    } : {}),
  };
}
