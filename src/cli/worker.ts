import { AppError } from '../errors.ts';
import { t } from '../i18n/text.ts';
import { openApp } from '../main/open-app.ts';
import { startWorkerProcess } from '../main/worker.ts';
import { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { cliIo, cliLang } from './print.ts';

/** --concurrency N: a whole number of slots, 1 to 64 (checked before the settings are read); unset: the setting's. */
function askedSlots(given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const n = Number(given);
  if (!/^\d+$/.test(given.trim()) || n < 1 || n > 64) throw new AppError('usage', 'tokobot', t(cliLang(), 'cliConcurrency', { value: given }));
  return n;
}

/** `tokobot worker`: runs jobs until SIGTERM or SIGINT, then lets running ones finish (up to 30 s) and gives the rest back to the queue. */
export async function worker(concurrency: string | undefined): Promise<number> {
  const asked = askedSlots(concurrency);
  const app = await openApp(cliIo().env, cliIo().stderr, cliIo().envFile);
  try {
    const runners = { syncs: new SyncRunner(app.sync, app.logger), backups: new BackupRunner(app.backups, app.config.jobs, app.logger) };
    const running = await startWorkerProcess(app, runners, { concurrency: asked ?? Math.max(1, app.config.worker.concurrency) });
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => { app.logger.info({ signal }, 'stopping'); resolve(); };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await running.stop();
  } finally {
    await app.close();
  }
  return 0;
}
