/**
 * Runs one backup job in a process of its own, as `tokobot backup run JOB` does, for crash tests:
 * with TOKOBOT_TEST_KILL_AT in its environment it kills itself at that point (src/kill-point.ts).
 * Usage: node --import tsx test/helpers/backup-child.ts JOB, with the app's settings in the
 * environment. Dropbox destinations upload in 4 KiB session parts, so a small dump still goes
 * up in several requests and can be killed in the middle.
 */
import { createApp } from '../../src/main/app.ts';
import { DropboxDestination } from '../../src/adapters/dropbox/dropbox-destination.ts';
import { FolderDestination } from '../../src/adapters/folder/folder-destination.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log.ts';
import { runBackup } from '../../src/pipeline/backup/backup-job.ts';

const app = await createApp(loadConfig(process.env as Record<string, string>), createLogger('silent'));
app.backups.destinations = (job) => job.destinations.map((d) => (d.type === 'local' ? new FolderDestination(d.dir)
  : new DropboxDestination({ ...app.config.dropbox, folder: d.type === 'dropbox' ? d.folder : '', sessionThreshold: 4096, chunkSize: 4096, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 } })));
try {
  const run = await runBackup(app.backups, app.job(process.argv[2] ?? ''), 'cli');
  process.stdout.write(`${JSON.stringify({ status: run.status, error: run.error })}\n`);
} finally {
  await app.close();
}
