import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { App } from '../main/app.ts';
import { AppError } from '../errors.ts';
import type { JobConfig } from '../config/load-config.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { backupAlert } from '../pipeline/alerts/run-alerts.ts';
import { decryptStream } from '../pipeline/backup/encryption.ts';
import { backupTime, pruneDestination } from '../pipeline/backup/prune.ts';
import { restoreBackup } from '../pipeline/backup/restore-backup.ts';
import { readLine } from './read-line.ts';
import { t } from '../i18n/text.ts';
import { backupProgressLine, backupRunLines, jobStateLines, pruneLines, recentRunLine } from './format-backup.ts';
import { cliLang, print, tell } from './print.ts';

/** `tokobot backup run JOB`: exit 1 when the run failed. */
export async function backupRun(app: App, jobId: string, json: boolean): Promise<number> {
  const runner = new BackupRunner(app.backups, app.config.jobs, app.logger);
  runner.onFinished(async (run) => {
    await backupAlert(app.alerts, run, (await app.backups.log.latest()).get(run.job)?.lastGood);
    await app.alerts.flush(); // the running tokobot start delivers them
  });
  const lang = cliLang();
  let last = '';
  const run = await runner.run(app.job(jobId), 'cli', (p) => {
    const line = backupProgressLine(jobId, p, lang);
    if (!json && line !== last) tell(`${line}\n`);
    last = line;
  });
  print(json ? JSON.stringify(run, null, 2) : backupRunLines(run, lang).join('\n'));
  await runner.pingsSent(); // the job's monitor hears of the run before the command ends
  return run.status === 'success' ? 0 : 1;
}

export async function backupList(app: App, json: boolean): Promise<number> {
  const states = await new BackupRunner(app.backups, app.config.jobs, app.logger).states(() => null);
  const recent = await app.backups.log.recent(undefined, 20);
  if (json) {
    print(JSON.stringify({ jobs: states.map((s) => ({ ...s, job: { ...s.job, url: undefined, passphrase: undefined, ping: s.job.ping && { style: s.job.ping.style } } })), recent }, null, 2));
    return 0;
  }
  const locale = { lang: cliLang(), zone: app.config.locale.zone };
  if (!states.length) print(t(locale.lang, 'noJobs'));
  for (const s of states) print(jobStateLines(s, locale).join('\n'));
  if (recent.length) {
    print(`\n${t(locale.lang, 'recentRuns')}`);
    for (const r of recent) print(recentRunLine(r, locale));
  }
  return 0;
}

/** `tokobot backup prune [JOB] [--dry-run]`: what retention keeps, deletes and leaves alone, and why (decided from the run log). */
export async function backupPrune(app: App, jobId: string | undefined, dryRun: boolean, json: boolean): Promise<number> {
  const jobs = jobId ? [app.job(jobId)] : app.config.jobs;
  const results = [];
  for (const job of jobs) {
    const runs = await app.backups.log.runsWithFiles(job.id);
    for (const destination of app.backups.destinations(job)) {
      const r = await pruneDestination(job, destination, runs, { dryRun });
      results.push({ job: job.id, ...r });
      if (!json) print(pruneLines(job.id, r, dryRun, cliLang()).join('\n'));
    }
  }
  if (json) print(JSON.stringify(results, null, 2));
  return results.some((r) => r.error) ? 1 : 0;
}

/**
 * `tokobot backup decrypt FILE [--out PATH]`: the passphrase comes from the job whose files look
 * like FILE, or from the first line of stdin (on a machine without the config).
 */
export async function backupDecrypt(jobs: JobConfig[], file: string, out: string | undefined): Promise<number> {
  const lang = cliLang();
  if (!existsSync(file)) throw new AppError('usage', 'tokobot', t(lang, 'noSuchFile', { file }));
  const job = jobs.find((j) => j.passphrase && path.basename(file).startsWith(`${j.id}_`));
  const passphrase = job?.passphrase ?? (await readLine()).trim();
  if (!passphrase) throw new AppError('usage', 'tokobot', t(lang, 'noPassphrase', { file }));
  const target = out ?? file.replace(/\.enc$/, '');
  if (target === file) throw new AppError('usage', 'tokobot', t(lang, 'giveOut', { file }));
  if (existsSync(target)) throw new AppError('usage', 'tokobot', t(lang, 'targetExists', { target }));
  const partial = `${target}.partial`;
  try {
    await pipeline(createReadStream(file), decryptStream(passphrase), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  print(t(lang, 'decrypted', { file, target }));
  return 0;
}

/**
 * `tokobot backup restore FILE --into DATABASE`: loads a job's backup into a new or empty
 * database (restoreBackup says where, and how a cut or damaged file is refused).
 */
export async function backupRestore(app: App, file: string, into: string): Promise<number> {
  const lang = cliLang();
  if (!existsSync(file)) throw new AppError('usage', 'tokobot', t(lang, 'noSuchFile', { file }));
  const name = path.basename(file);
  const job = app.config.jobs.find((j) => backupTime(j, name));
  if (!job) throw new AppError('usage', 'tokobot', t(lang, 'notAJobsFile', { file: name }));
  const { tables, rows } = await restoreBackup(app.backups, job, file, into);
  print(t(lang, 'restored', { file: name, into, tables, rows }));
  return 0;
}
