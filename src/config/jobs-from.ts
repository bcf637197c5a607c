import path from 'node:path';
import { validCron } from './cron-text.ts';
import { AppError } from '../errors.ts';
import type { JobFileConfig } from './job-schema.ts';
import { urlProblem } from './url-setting.ts';
import { problemLine } from './config-issues.ts';
import type { Lang } from '../i18n/lang.ts';

export type PingStyle = 'healthchecks' | 'uptime-kuma';

/** A monitor told of each run (start, success, fail): a Healthchecks check or an Uptime Kuma push monitor. */
export interface JobPing {
  /** Secret: whoever has it can ping the check. */
  url: string;
  style: PingStyle;
}

/** An FTP(S) server, its password read from the environment (a secret). */
export interface FtpJobDestination {
  type: 'ftp';
  host: string;
  port: number;
  user: string;
  dir: string;
  password: string;
  secure: boolean | 'implicit';
  checkCertificate: boolean;
}

/** An SFTP server: the password from the environment or a private key file (absolute path); hostKey pinned (absent: refused, its fingerprint shown). */
export interface SftpJobDestination {
  type: 'sftp';
  host: string;
  port: number;
  user: string;
  dir: string;
  password?: string;
  privateKeyPath?: string;
  /** The key file's passphrase (passphraseEnv), when it has one. */
  passphrase?: string;
  hostKey?: string;
}

export type JobDestination = { type: 'local'; dir: string } | { type: 'dropbox'; folder: string } | FtpJobDestination | SftpJobDestination;

/** A destination as a line names it (lists, the agent's doctor); never with a secret. */
export function destinationLabel(d: JobDestination): string {
  if (d.type === 'local') return d.dir;
  if (d.type === 'dropbox') return `Dropbox ${d.folder}`;
  const scheme = d.type === 'ftp' && d.secure ? 'ftps' : d.type;
  return `${scheme}://${d.user}@${d.host}:${d.port}/${d.dir.replace(/^\//, '')}`;
}

type FileDestination = JobFileConfig['destinations'][number];

/** A destination resolved against the environment; a secret that is not set is a problem line. */
function destinationFrom(d: FileDestination, env: Record<string, string | undefined>, at: string, problems: string[], lang: Lang): JobDestination {
  if (d.type === 'local') return { type: 'local', dir: path.resolve(d.dir) };
  if (d.type === 'dropbox') return d;
  const password = d.passwordEnv ? env[d.passwordEnv] : undefined;
  if (d.passwordEnv && !password) problems.push(problemLine(`${at}.passwordEnv`, { key: 'passphraseUnset', params: { name: d.passwordEnv } }, lang));
  if (d.type === 'ftp') {
    return { type: 'ftp', host: d.host, port: d.port ?? (d.secure === 'implicit' ? 990 : 21), user: d.user, dir: d.dir, password: password ?? '',
      secure: d.secure, checkCertificate: d.checkCertificate };
  }
  const passphrase = d.passphraseEnv ? env[d.passphraseEnv] : undefined;
  if (d.passphraseEnv && !passphrase) problems.push(problemLine(`${at}.passphraseEnv`, { key: 'passphraseUnset', params: { name: d.passphraseEnv } }, lang));
  return { type: 'sftp', host: d.host, port: d.port, user: d.user, dir: d.dir, ...(password ? { password } : {}),
    ...(d.privateKeyPath ? { privateKeyPath: path.resolve(d.privateKeyPath) } : {}), ...(passphrase ? { passphrase } : {}), ...(d.hostKey ? { hostKey: d.hostKey } : {}) };
}

export interface JobConfig {
  id: string;
  /** tokobot: tokobot's own settings and ops database (no url: main wires them, SelfBackup). */
  type: 'postgres' | 'mysql' | 'tokobot';
  /** Connection URL (as seen from inside `container` when one is named); empty for a tokobot job. */
  url: string;
  container?: string;
  schedule?: string;
  destinations: JobDestination[];
  retention: { keepLast: number; daily: number; weekly: number; monthly: number };
  passphrase?: string;
  verify: boolean;
  timeoutMs: number;
  ping?: JobPing;
  /** File name ending: .i5bu (iPOS) or .dump for PostgreSQL, .sql.gz for MySQL, .tokobot.tar for tokobot, then .enc when encrypted. */
  extension: string;
}

/** A tokobot job's archive (before .enc): a tar file whose members the manifest lists. */
export const SELF_BACKUP_EXTENSION = '.tokobot.tar';

function extensionOf(job: JobFileConfig): string {
  const base = job.type === 'tokobot' ? SELF_BACKUP_EXTENSION : job.type === 'mysql' ? '.sql.gz' : job.ipos ? '.i5bu' : '.dump';
  return job.encryption ? `${base}.enc` : base;
}

const PING_EXAMPLE: Record<PingStyle, string> = {
  healthchecks: 'https://hc-ping.com/<uuid>',
  'uptime-kuma': 'https://kuma.example.com/api/push/<key>',
};

/** The job's ping resolved against the environment, or undefined with a problem line (where: `at`.ping). */
function pingFrom(ping: NonNullable<JobFileConfig['ping']>, env: Record<string, string | undefined>, at: string, problems: string[], lang: Lang): JobPing | undefined {
  const url = ping.url ?? env[ping.urlEnv as string]?.trim();
  if (!url) {
    problems.push(problemLine(`${at}.ping.urlEnv`, { key: 'pingUrlEnvUnset', params: { name: ping.urlEnv ?? '' } }, lang));
    return undefined;
  }
  const problem = urlProblem(url, ['https', 'http'], PING_EXAMPLE[ping.style]);
  if (problem) {
    problems.push(problemLine(`${at}.ping${ping.urlEnv ? ` (${ping.urlEnv})` : '.url'}`, problem, lang));
    return undefined;
  }
  return { url: url.trim(), style: ping.style };
}

/** Resolves the jobs section against the environment; each problem is one line naming the field, in `lang`. */
export function jobsFrom(jobs: JobFileConfig[], env: Record<string, string | undefined>, problems: string[], lang: Lang): JobConfig[] {
  const seen = new Set<string>();
  return jobs.map((job, i) => {
    const at = `jobs.${i} (${job.id})`;
    if (seen.has(job.id)) problems.push(problemLine(at, { key: 'jobTwice', params: { id: job.id } }, lang));
    seen.add(job.id);
    const url = job.type === 'tokobot' ? '' : job.url ?? env[job.urlEnv as string];
    if (job.type === 'tokobot') { /* its database is tokobot's own (OPS_DATABASE_URL or the restore server) */ } else if (!url) problems.push(problemLine(`${at}.urlEnv`, { key: 'urlEnvUnset', params: { name: job.urlEnv ?? '' } }, lang));
    else {
      const problem = job.type === 'mysql' ? urlProblem(url, ['mysql'], 'mysql://user:password@host:3306/database')
        : urlProblem(url, ['postgres', 'postgresql'], 'postgres://user:password@host:5432/database');
      if (problem) problems.push(problemLine(`${at}${job.urlEnv ? ` (${job.urlEnv})` : '.url'}`, problem, lang));
    }
    if (job.schedule && !validCron(job.schedule)) problems.push(problemLine(`${at}.schedule`, { key: 'jobCron', params: { value: job.schedule } }, lang));
    const passphraseEnv = job.encryption?.passphraseEnv ?? '';
    const passphrase = job.encryption ? env[passphraseEnv] : undefined;
    if (job.encryption && !passphrase) problems.push(problemLine(`${at}.encryption.passphraseEnv`, { key: 'passphraseUnset', params: { name: passphraseEnv } }, lang));
    else if (passphrase && passphrase.length < 12) problems.push(problemLine(`${at}.encryption`, { key: 'passphraseShort', params: { name: passphraseEnv } }, lang));
    const ping = job.ping && pingFrom(job.ping, env, at, problems, lang);
    return {
      id: job.id,
      type: job.type,
      url: url ?? '',
      container: job.container,
      schedule: job.schedule,
      destinations: job.destinations.map((d, k) => destinationFrom(d, env, `${at}.destinations.${k}`, problems, lang)),
      retention: job.retention,
      passphrase,
      verify: job.verify,
      timeoutMs: job.timeoutMinutes * 60_000,
      ...(ping ? { ping } : {}),
      extension: extensionOf(job),
    };
  });
}

export function findJob(jobs: JobConfig[], id: string): JobConfig {
  const found = jobs.find((j) => j.id === id);
  if (found) return found;
  const ids = jobs.map((j) => j.id).join(', ');
  throw new AppError('usage', 'tokobot', jobs.length
    ? { en: `Unknown backup job "${id}". Configured jobs: ${ids}.`, id: `Job backup "${id}" tidak dikenal. Job yang diatur: ${ids}.` }
    : {
      en: `Unknown backup job "${id}": no jobs are configured (add a jobs section to the config file, see the README).`,
      id: `Job backup "${id}" tidak dikenal: belum ada job yang diatur (tambahkan bagian jobs di file konfigurasi, lihat README).`,
    });
}
