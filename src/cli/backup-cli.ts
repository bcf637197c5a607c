import { loadConfig, type JobConfig } from '../config/load-config.ts';
import { backupDecrypt, backupList, backupPrune, backupRestore, backupRun } from './backup-commands.ts';
import { cliIo } from './print.ts';
import { withApp } from './with-app.ts';

/** `tokobot backup run JOB`. */
export const run = (job: string, json: boolean) => withApp((app) => backupRun(app, job, json));

/** `tokobot backup list`. */
export const list = (json: boolean) => withApp((app) => backupList(app, json));

/** `tokobot backup prune [JOB]`. */
export const prune = (job: string | undefined, dryRun: boolean, json: boolean) => withApp((app) => backupPrune(app, job || undefined, dryRun, json));

/** `tokobot backup restore FILE --into DB`. */
export const restore = (file: string, into: string) => withApp((app) => backupRestore(app, file, into));

/** `tokobot backup decrypt FILE`: works on a machine without tokobot's config, the passphrase then read from stdin. */
export function decrypt(file: string, out: string | undefined): Promise<number> {
  let jobs: JobConfig[] = [];
  try {
    jobs = loadConfig(cliIo().env).jobs;
  } catch {
    // No config here: backupDecrypt asks stdin for the passphrase.
  }
  return backupDecrypt(jobs, file, out);
}
