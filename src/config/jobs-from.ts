import path from 'node:path';
import cron from 'node-cron';
import { AppError } from '../errors.ts';
import type { JobFileConfig } from './job-schema.ts';
import { urlProblem } from './url-setting.ts';

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
  /** File name ending: .i5bu (iPOS) or .dump for PostgreSQL, .sql.gz for MySQL, then .enc when encrypted. */
  extension: string;
}

function extensionOf(job: JobFileConfig): string {
  const base = job.type === 'mysql' ? '.sql.gz' : job.ipos ? '.i5bu' : '.dump';
  return job.encryption ? `${base}.enc` : base;
}

/** Resolves the jobs section against the environment; each problem is one line naming the field. */
export function jobsFrom(jobs: JobFileConfig[], env: Record<string, string | undefined>, problems: string[]): JobConfig[] {
  const seen = new Set<string>();
  return jobs.map((job, i) => {
    const at = `jobs.${i} (${job.id})`;
    if (seen.has(job.id)) problems.push(`${at}: job id "${job.id}" is listed twice`);
    seen.add(job.id);
    const url = job.url ?? env[job.urlEnv as string];
    if (!url) problems.push(`${at}.urlEnv: the environment variable ${job.urlEnv} is not set (it should hold the database URL)`);
    else {
      const problem = job.type === 'mysql' ? urlProblem(url, ['mysql'], 'mysql://user:password@host:3306/database')
        : urlProblem(url, ['postgres', 'postgresql'], 'postgres://user:password@host:5432/database');
      if (problem) problems.push(`${at}${job.urlEnv ? ` (${job.urlEnv})` : '.url'}: ${problem}`);
    }
    if (job.schedule && !cron.validate(job.schedule)) problems.push(`${at}.schedule: "${job.schedule}" is not a cron expression (e.g. 0 2 * * * for 02:00 every night)`);
    const passphrase = job.encryption ? env[job.encryption.passphraseEnv] : undefined;
    if (job.encryption && !passphrase) problems.push(`${at}.encryption.passphraseEnv: the environment variable ${job.encryption.passphraseEnv} is not set`);
    else if (passphrase && passphrase.length < 12) problems.push(`${at}.encryption: the passphrase in ${job.encryption?.passphraseEnv} is too short (12 characters or more)`);
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
      extension: extensionOf(job),
    };
  });
}

export function findJob(jobs: JobConfig[], id: string): JobConfig {
  const found = jobs.find((j) => j.id === id);
  if (found) return found;
  throw new AppError('usage', 'tokobot', jobs.length ? `Unknown backup job "${id}". Configured jobs: ${jobs.map((j) => j.id).join(', ')}.`
    : `Unknown backup job "${id}": no jobs are configured (add a jobs section to the config file, see the README).`);
}
