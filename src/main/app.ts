import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import type pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Config, StoreConfig } from '../config/load-config.ts';
import { DockerPostgres } from '../adapters/docker/docker-postgres.ts';
import { ExternalPostgres } from '../adapters/postgres/external-postgres.ts';
import { EmbeddedPostgres } from '../adapters/postgres/embedded-postgres.ts';
import { RESTORE_ROLE, type RestoreRole } from '../adapters/postgres/restore-role.ts';
import { restoreArchive } from '../adapters/postgres/archive-restorer.ts';
import { DropboxSource } from '../adapters/dropbox/dropbox-source.ts';
import { DropboxDestination } from '../adapters/dropbox/dropbox-destination.ts';
import type { RetryPolicy } from '../adapters/dropbox/retry.ts';
import { FolderSource } from '../adapters/folder/folder-source.ts';
import type { ArchiveRestorer, BackupSource, RestoreTarget } from '../pipeline/ports.ts';
import { createOpsStores, openOpsDatabase, type OpsStores } from '../store/index.ts';
import type { Locks } from '../store/locks.ts';
import { swapStagingIn } from '../store/postgres/database-swap.ts';
import type { SyncDeps } from '../pipeline/sync/sync-store.ts';
import { findJob, type JobConfig } from '../config/jobs-from.ts';
import { ContainerPgDump } from '../adapters/docker/container-pg-dump.ts';
import { FolderDestination } from '../adapters/folder/folder-destination.ts';
import { HostPgDump } from '../adapters/postgres/pg-dump.ts';
import { MysqlDatabase } from '../adapters/mysql/mysql-database.ts';
import type { BackupDeps } from '../pipeline/backup/backup-job.ts';
import type { BackupDestination } from '../pipeline/backup/ports.ts';
import { AlertEngine } from '../pipeline/alerts/alert-engine.ts';
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

/** A password from the environment, else made once and kept in DATA_DIR/<file> (0600). */
async function keptPassword(config: Config, given: string | undefined, file: string): Promise<string> {
  if (given) return given;
  const where = path.join(config.dataDir, file);
  const saved = await readFile(where, 'utf8').catch(() => '');
  if (saved.trim()) return saved.trim();
  const made = randomBytes(18).toString('base64url');
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(where, `${made}\n`, { mode: 0o600 });
  return made;
}

/** tokobot's TypeScript restorer, for the embedded server and for external servers on machines without pg_restore. */
const ownRestorer: ArchiveRestorer = (file, client, options) =>
  restoreArchive(file, client, { signal: options.signal, onProgress: (p) => { if (p.table) options.onTable?.(p.table); } });

async function dockerAnswers(socketPath: string): Promise<boolean> {
  const docker = new Docker({ socketPath, timeout: 2_000 });
  return docker.ping().then(() => true, () => false);
}

/** The unprivileged role every restore runs as, its password made once and kept like the servers'. */
async function restoreRole(config: Config): Promise<RestoreRole> {
  const file = 'pg-restore-password';
  return { name: RESTORE_ROLE, password: await keptPassword(config, undefined, file), keptIn: path.join(config.dataDir, file) };
}

export async function buildTarget(config: Config, logger: Logger): Promise<RestoreTarget> {
  const restore = config.restore;
  if (restore.target === 'external') return new ExternalPostgres({ url: restore.pgUrl as string, restoreRole: await restoreRole(config), restorer: ownRestorer, logger });
  let kind = restore.target;
  if (kind === 'auto') {
    kind = (await dockerAnswers(config.docker.socket)) ? 'docker' : 'embedded';
    if (kind === 'embedded') logger.info(`no Docker Engine answers at ${config.docker.socket}: using the embedded PostgreSQL under ${path.join(config.dataDir, 'pg')} (set RESTORE_TARGET to choose)`);
  }
  if (kind === 'embedded') {
    return new EmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: restore.embedded.port, password: await keptPassword(config, undefined, 'pg-embedded-password'),
      restoreRole: await restoreRole(config), restorer: ownRestorer, logger });
  }
  return new DockerPostgres({
    docker: new Docker({ socketPath: config.docker.socket }),
    image: restore.docker.image,
    containerName: restore.docker.container,
    volume: restore.docker.volume,
    port: restore.docker.port,
    network: restore.docker.network,
    user: 'postgres',
    password: await keptPassword(config, restore.docker.password, 'pg-docker-password'),
    restoreRole: await restoreRole(config),
    logger,
  });
}

export function buildSource(config: Config, store: StoreConfig, logger: Logger, retry?: RetryPolicy): BackupSource {
  if (store.source.type === 'folder') return new FolderSource(store.source.dir);
  return new DropboxSource({ ...config.dropbox, folder: store.source.folder, retry, logger });
}

export function buildDestinations(config: Config, job: JobConfig, logger: Logger, retry?: RetryPolicy): BackupDestination[] {
  return job.destinations.map((d) => (d.type === 'local' ? new FolderDestination(d.dir)
    : new DropboxDestination({ ...config.dropbox, folder: d.folder, retry, logger })));
}

function buildBackups(config: Config, logger: Logger, locks: Locks, stores: BackupAlertStores, target: RestoreTarget): BackupDeps {
  let docker: Docker | undefined;
  return {
    log: stores.backupLog, lock: (name) => locks.tryLock(name), target, logger, workRoot: path.join(config.dataDir, 'backups'),
    postgres: (job) => (job.container
      ? new ContainerPgDump(docker ??= new Docker({ socketPath: config.docker.socket }), job.container, job.url)
      : new HostPgDump(job.url)),
    mysql: (job) => new MysqlDatabase({ url: job.url }),
    destinations: (job) => buildDestinations(config, job, logger),
  };
}

export async function createApp(config: Config, logger: Logger): Promise<App> {
  const target = await buildTarget(config, logger);
  await target.ensure((text) => logger.info(text));
  const ops = await openOpsDatabase((db) => target.opsConnection(db), config.ops.database, (err) => logger.warn({ reason: err.message }, 'ops database connection dropped; it will reconnect'));
  const opsStores = createOpsStores(ops, { swapDatabases: swapStagingIn });
  const settings = config.sync;
  const sync: SyncDeps = {
    stores: config.stores, runs: opsStores.runs, priceLists: opsStores.priceLists, locks: opsStores.locks, target, logger, dataDir: config.dataDir,
    sourceFor: (store) => buildSource(config, store, logger),
    settings: { exportKeep: settings.exportKeep, maxRowDrop: settings.maxRowDrop, zipMaxBytes: settings.zip.maxBytes, zipMaxRatio: settings.zip.maxRatio,
      restoreJobs: settings.restoreJobs },
  };
  const backupAlertStores = createBackupAlertStores(ops);
  const backups = buildBackups(config, logger, opsStores.locks, backupAlertStores, target);
  const alerts = new AlertEngine({ store: backupAlertStores.alerts, recipients: config.alerts.recipients, remindMs: config.alerts.remindMs });
  return {
    config, logger, target, ops, opsStores, sync, backups, alerts, backupAlertStores,
    job: (id) => findJob(config.jobs, id),
    store(id) {
      const found = id ? config.stores.find((s) => s.id === id) : config.stores[0];
      if (!found) {
        throw new AppError('not-found', `Unknown store "${id}". Configured stores: ${config.stores.map((s) => s.id).join(', ')}.`);
      }
      return found;
    },
    async close() {
      await ops.end();
      await target.stop?.();
    },
  };
}
