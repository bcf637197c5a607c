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

export type JobDestination = { type: 'local'; dir: string } | { type: 'dropbox'; folder: string };

export interface JobConfig {
  id: string;
  type: 'postgres' | 'mysql';
  /** Connection URL (as seen from inside `container` when one is named). */
  url: string;
  container?: string;
  schedule?: string;
  destinations: JobDestination[];
  retention: { keepLast: number; daily: number; weekly: number; monthly: number };
  passphrase?: string;
  verify: boolean;
  timeoutMs: number;
  ping?: JobPing;
  /** File name ending: .i5bu (iPOS) or .dump for PostgreSQL, .sql.gz for MySQL, then .enc when encrypted. */
  extension: string;
}

function extensionOf(job: JobFileConfig): string {
  const base = job.type === 'mysql' ? '.sql.gz' : job.ipos ? '.i5bu' : '.dump';
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
    const url = job.url ?? env[job.urlEnv as string];
    if (!url) problems.push(problemLine(`${at}.urlEnv`, { key: 'urlEnvUnset', params: { name: job.urlEnv ?? '' } }, lang));
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
      destinations: job.destinations.map((d) => (d.type === 'local' ? { type: 'local' as const, dir: path.resolve(d.dir) } : d)),
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
