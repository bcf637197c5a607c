import type { Logger } from 'pino';
import { DropboxDestination } from '../adapters/dropbox/dropbox-destination.ts';
import type { RetryPolicy } from '../adapters/dropbox/retry.ts';
import { FolderDestination } from '../adapters/folder/folder-destination.ts';
import type { JobConfig } from '../config/jobs-from.ts';
import type { Config } from '../config/load-config.ts';
import type { BackupDestination } from '../pipeline/backup/ports.ts';

/** A backup job's destinations (a module of its own so that the shop agent loads no ops-database code with it). */
export function buildDestinations(config: Pick<Config, 'dropbox' | 'proxy'>, job: JobConfig, logger: Logger, retry?: RetryPolicy): BackupDestination[] {
  return job.destinations.map((d) => (d.type === 'local' ? new FolderDestination(d.dir)
    : new DropboxDestination({ ...config.dropbox, proxy: config.proxy, folder: d.folder, retry, logger })));
}
