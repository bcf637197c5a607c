import path from 'node:path';
import type Docker from 'dockerode';
import type pg from 'pg';
import type { Logger } from 'pino';
import { findStore, type Config, type StoreConfig } from '../config/load-config.ts';
import { DropboxSource } from '../adapters/dropbox/dropbox-source.ts';
import type { RetryPolicy } from '../adapters/dropbox/retry.ts';
import { FolderSource } from '../adapters/folder/folder-source.ts';
import type { BackupSource, RestoreTarget } from '../pipeline/ports.ts';
import { buildTarget, newDocker } from './restore-target.ts';
import { opsConnection, opsDatabaseName } from './ops-connection.ts';
import { createOpsStores, openOpsDatabase, type OpsStores } from '../store/index.ts';
import type { Locks } from '../store/locks.ts';
import { swapOnRestoreServer, swapStagingIn } from '../store/postgres/database-swap.ts';
import type { SyncDeps } from '../pipeline/sync/sync-store.ts';
import { findJob, type JobConfig } from '../config/jobs-from.ts';
import { HostPgDump } from '../adapters/postgres/pg-dump.ts';
import { buildDestinations } from './backup-destinations.ts';
import { selfSource } from './self-source.ts';
import type { BackupDeps } from '../pipeline/backup/backup-job.ts';
import { AlertEngine } from '../pipeline/alerts/alert-engine.ts';
import { HttpPings } from '../adapters/pings/http-pings.ts';
import { createBackupAlertStores, type BackupAlertStores } from '../store/backup-alert-stores.ts';

/**
 * The composition root: the one place that builds real adapters from the config and wires the
 * pipeline. Everything else receives what it needs.
 */
export interface App {
  config: Config;
  logger: Logger;
  target: RestoreTarget;
  ops: pg.Pool;
  opsStores: OpsStores;
  sync: SyncDeps;
  backups: BackupDeps;
  alerts: AlertEngine;
  backupAlertStores: BackupAlertStores;
  store(id?: string): StoreConfig;
  job(id: string): JobConfig;
  close(): Promise<void>;
}

export { buildDestinations } from './backup-destinations.ts';

export function buildSource(config: Config, store: StoreConfig, logger: Logger, retry?: RetryPolicy): BackupSource {
  if (store.source.type === 'folder') return new FolderSource(store.source.dir);
  return new DropboxSource({ ...config.dropbox, proxy: config.proxy, folder: store.source.folder, retry, logger });
}


/**
 * The MySQL adapter (mysql2) and Docker's client are imported when a job first needs them, as the
 * restore target's are (restore-target.ts): a service with no such job never carries them.
 */
function buildBackups(config: Config, logger: Logger, locks: Locks, stores: BackupAlertStores, target: RestoreTarget): BackupDeps {
  let docker: Promise<Docker> | undefined;
  return {
    log: stores.backupLog, lock: (name) => locks.tryLock(name), target, logger, workRoot: path.join(config.dataDir, 'backups'),
    async postgres(job) {
      if (!job.container) return new HostPgDump(job.url);
      const { ContainerPgDump } = await import('../adapters/docker/container-pg-dump.ts');
      return new ContainerPgDump(await (docker ??= newDocker({ socketPath: config.docker.socket })), job.container, job.url);
    },
    async mysql(job) {
      const { MysqlDatabase } = await import('../adapters/mysql/mysql-database.ts');
      return new MysqlDatabase({ url: job.url });
    },
    destinations: (job) => buildDestinations(config, job, logger),
    self: selfSource(config, target),
    pings: new HttpPings({ proxy: config.proxy, logger }),
  };
}

export async function createApp(config: Config, logger: Logger): Promise<App> {
  const target = await buildTarget(config, logger);
  await target.ensure(); // each target logs its own steps (creating, starting): logging them here too printed each twice
  const ops = await openOpsDatabase(opsConnection(config, target), opsDatabaseName(config), (err) => logger.warn({ reason: err.message }, 'ops database connection dropped; it will reconnect'));
  const opsStores = createOpsStores(ops, { swapDatabases: config.ops.url ? swapOnRestoreServer(target.opsConnection('postgres')) : swapStagingIn });
  const settings = config.sync;
  const sync: SyncDeps = {
    stores: config.stores, runs: opsStores.runs, priceLists: opsStores.priceLists, priceChanges: opsStores.priceChanges, locks: opsStores.locks, target, logger, dataDir: config.dataDir,
    sourceFor: (store) => buildSource(config, store, logger),
    settings: { exportKeep: settings.exportKeep, maxRowDrop: settings.maxRowDrop, zipMaxBytes: settings.zip.maxBytes, zipMaxRatio: settings.zip.maxRatio,
      restoreJobs: settings.restoreJobs },
  };
  const backupAlertStores = createBackupAlertStores(ops);
  const backups = buildBackups(config, logger, opsStores.locks, backupAlertStores, target);
  const alerts = new AlertEngine({ store: backupAlertStores.alerts, recipients: config.alerts.recipients, remindMs: config.alerts.remindMs, zone: config.locale.zone });
  return {
    config, logger, target, ops, opsStores, sync, backups, alerts, backupAlertStores,
    job: (id) => findJob(config.jobs, id),
    store: (id) => findStore(config.stores, id),
    async close() {
      await ops.end();
      await target.stop?.();
    },
  };
}
