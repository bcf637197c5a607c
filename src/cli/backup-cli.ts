import { AppError } from '../errors.ts';
import { loadConfig } from '../config/load-config.ts';
import { backupDecrypt, backupList, backupPrune, backupRestore, backupRun } from './backup-commands.ts';
import { cliIo } from './print.ts';
import { withApp } from './with-app.ts';

const BACKUP_USAGE = 'tokobot backup run JOB | list | prune [JOB] [--dry-run] | decrypt FILE [--out P] | restore FILE --into DB';

/** `tokobot backup SUBCOMMAND`. */
export async function backup(args: string[], values: { json?: boolean; 'dry-run'?: boolean; out?: string; into?: string }): Promise<number> {
  const [sub, arg] = args;
  const json = values.json ?? false;
  switch (sub) {
    case 'run':
      if (!arg) throw new AppError('usage', 'tokobot', 'tokobot backup run needs a job: tokobot backup run JOB (tokobot backup list shows them)');
      return withApp((app) => backupRun(app, arg, json));
    case 'list': return withApp((app) => backupList(app, json));
    case 'prune': return withApp((app) => backupPrune(app, arg, values['dry-run'] ?? false, json));
    case 'restore':
      if (!arg) throw new AppError('usage', 'tokobot', 'tokobot backup restore needs a file: tokobot backup restore FILE --into NEW_DATABASE');
      return withApp((app) => backupRestore(app, arg, values.into));
    case 'decrypt': {
      if (!arg) throw new AppError('usage', 'tokobot', 'tokobot backup decrypt needs a file: tokobot backup decrypt FILE.enc');
      let jobs: ReturnType<typeof loadConfig>['jobs'] = [];
      try {
        jobs = loadConfig(cliIo().env).jobs;
      } catch {
        // Decrypting must work on a machine without tokobot's config: the passphrase then comes from stdin.
      }
      return backupDecrypt(jobs, arg, values.out);
    }
    default:
      throw new AppError('usage', 'tokobot', `tokobot backup: expected run, list, prune, decrypt or restore\n${BACKUP_USAGE}`);
  }
}
