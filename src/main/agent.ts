import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { HttpPings } from '../adapters/pings/http-pings.ts';
import { HttpHeadOffice } from '../adapters/head-office/head-office-client.ts';
import { HostPgDump } from '../adapters/postgres/pg-dump.ts';
import { writeFileAtomic } from '../adapters/atomic-file.ts';
import type { AgentConfig } from '../config/agent-config.ts';
import type { JobConfig } from '../config/jobs-from.ts';
import { AppError, isAppError } from '../errors.ts';
import type { HeadOffice } from '../pipeline/agents/ports.ts';
import { heartbeat, ReportingBackupLog } from '../pipeline/agents/run-reports.ts';
import { agentStatePath, ReportSender } from '../pipeline/agents/report-sender.ts';
import type { BackupDeps } from '../pipeline/backup/backup-job.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { verifyPostgresByReading } from '../pipeline/backup/verify-backup.ts';
import type { RestoreTarget } from '../pipeline/ports.ts';
import { diskSpace } from '../pipeline/sync/work-files.ts';
import { FileBackupLog } from '../store/file/file-backup-log.ts';
import { holdPidLock, ProcessLocks } from '../store/file/process-locks.ts';
import { ReportOutbox } from '../store/file/report-outbox.ts';
import { buildDestinations } from './backup-destinations.ts';
import { createSchedules } from './schedules.ts';

/** How long a running backup may go on at shutdown before it is stopped (as tokobot start allows). */
const STOP_GRACE_MS = 30_000;
/** How long the agent tries to hand its last reports over at shutdown. */
const FLUSH_MS = 5_000;

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;


/**
 * The agent has no restore server: its PostgreSQL dumps are verified by reading them
 * (BackupDeps.verifyPostgres). Nothing else of a backup job asks the target; should anything
 * ever, it is told so rather than left to fail obscurely.
 */
const NO_RESTORE_SERVER = new Proxy({}, {
  get: (_target, key) => (key === 'then' ? undefined : () => Promise.reject(new AppError('config', 'tokobot', {
    en: 'The shop agent has no restore server: this needs a full tokobot.', id: 'Agent toko tidak punya server restore: ini butuh tokobot lengkap.',
  }))),
}) as RestoreTarget;

export interface RunningAgent {
  runner: BackupRunner;
  sender: ReportSender;
  outbox: ReportOutbox;
  log: FileBackupLog;
  /** Queues a heartbeat now (as every heartbeatSeconds). */
  beat(): Promise<void>;
  /** Stops the schedules, stops a running backup the way tokobot start does, hands over what it can, frees DATA_DIR. */
  stop(): Promise<void>;
}

/** The backup dependencies of the agent: pg_dump on this machine, its destinations, its file log, verification by reading. */
function agentBackups(config: AgentConfig, log: ReportingBackupLog, logger: Logger): BackupDeps {
  const locks = new ProcessLocks();
  return {
    log, lock: (name) => locks.tryLock(name), target: NO_RESTORE_SERVER, logger, workRoot: path.join(config.dataDir, 'backups'),
    async postgres(job: JobConfig) {
      if (job.container) {
        const { ContainerPgDump } = await import('../adapters/docker/container-pg-dump.ts');
        const { newDocker } = await import('./restore-target.ts');
        return new ContainerPgDump(await newDocker({ socketPath: '/var/run/docker.sock' }), job.container, job.url);
      }
      return new HostPgDump(job.url, config.pgDump);
    },
    async mysql(job) {
      const { MysqlDatabase } = await import('../adapters/mysql/mysql-database.ts');
      return new MysqlDatabase({ url: job.url });
    },
    destinations: (job) => buildDestinations(config, job, logger),
    verifyPostgres: (file) => verifyPostgresByReading(file),
    pings: new HttpPings({ proxy: config.proxy, logger }),
  };
}

/** Each job on its schedule, in STORE_TZ: "0 2 * * *" is 02:00 at the shop. A run still going when the next is due is skipped. */
function scheduleJobs(config: AgentConfig, runner: BackupRunner, logger: Logger): ScheduledTask[] {
  return config.jobs.flatMap((job) => (job.schedule ? [cron.schedule(job.schedule, () => {
    runner.run(job, 'schedule').catch((err) => {
      if (isAppError(err) && (err.kind === 'busy' || err.kind === 'interrupted')) logger.info({ job: job.id, reason: err.message }, 'scheduled backup skipped');
      else logger.error({ job: job.id, err }, 'scheduled backup failed to start');
    });
  }, { timezone: config.locale.zone, name: `backup:${job.id}`, noOverlap: true })] : []));
}

/** A heartbeat now and every heartbeatSeconds: the disks the agent writes to, its jobs and next runs, what waits to be sent. */
async function startHeartbeats(config: AgentConfig, outbox: ReportOutbox, queued: () => void, logger: Logger): Promise<{ beat(): Promise<void>; timer: NodeJS.Timeout }> {
  const startedAt = new Date();
  const schedules = createSchedules({ config });
  const dirs = [config.dataDir, ...config.jobs.flatMap((j) => j.destinations.flatMap((d) => (d.type === 'local' ? [d.dir] : [])))];
  const beat = async () => {
    const beatNow = await heartbeat({
      startedAt, timeZone: config.locale.zone, dirs, diskMinFreeBytes: config.diskMinFreeBytes, diskSpace, outboxPending: () => outbox.size,
      jobs: () => config.jobs.map((j) => ({ id: j.id, type: j.type, schedule: j.schedule ?? null, nextRun: schedules.nextBackup(j.id)?.toISOString() ?? null })),
    });
    const low = beatNow.disk.filter((d) => d.freeBytes < config.diskMinFreeBytes);
    if (low.length) logger.warn({ low, minFreeBytes: config.diskMinFreeBytes }, 'disk space is below DISK_MIN_FREE_MB');
    await outbox.enqueue({ type: 'heartbeat', beat: beatNow });
    queued();
  };
  const beatLogged = () => beat().catch((err) => logger.warn({ err }, 'could not queue a heartbeat'));
  await beatLogged();
  return { beat, timer: setInterval(beatLogged, config.heartbeatSeconds * 1000) };
}

/**
 * `tokobot agent` put together: the file run log reporting every run to the outbox, the sender,
 * a heartbeat every heartbeatSeconds (and at start), and each job on its schedule in STORE_TZ.
 * `headOffice` for tests; by default the head office of agent.json over HTTPS. `schedules: false`
 * (tokobot agent --once): the caller runs the jobs.
 */
export async function startAgent(config: AgentConfig, logger: Logger, o: { headOffice?: HeadOffice; schedules?: boolean } = {}): Promise<RunningAgent> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const releasePid = await holdPidLock(config.dataDir);
  try {
    if (config.fileWarning) logger.warn({ id: config.fileWarning.id }, config.fileWarning.en);
    const fileLog = await FileBackupLog.open(FileBackupLog.pathIn(config.dataDir), {
      onSetAside: (file, reason) => logger.error({ file, reason }, 'the run log could not be read; it was set aside and a new one started'),
    });
    const outbox = await ReportOutbox.open(ReportOutbox.pathIn(config.dataDir));
    const { url, token, store, instance } = config.headOffice;
    const headOffice = o.headOffice ?? new HttpHeadOffice({ url, token, proxy: config.proxy });
    const sender = new ReportSender({
      headOffice, outbox, logger, batch: { store, agent: { instance, host: hostname().slice(0, 255), version: VERSION } },
      saveState: (state) => writeFileAtomic(agentStatePath(config.dataDir), JSON.stringify(state, null, 2)),
    });
    const log = new ReportingBackupLog(fileLog, outbox, new Map(config.jobs.map((j) => [j.id, j.type])), logger, () => sender.wake());
    const runner = new BackupRunner(agentBackups(config, log, logger), config.jobs, logger);
    runner.onFinished((run) => log.reportFinished(run));
    await runner.recover();
    await log.reportLatest(config.jobs.map((j) => j.id));

    const stopSending = new AbortController();
    const sending = sender.run(stopSending.signal);
    const heartbeats = await startHeartbeats(config, outbox, () => sender.wake(), logger);
    const tasks = o.schedules === false ? [] : scheduleJobs(config, runner, logger);
    logger.info({ store, jobs: config.jobs.map((j) => ({ id: j.id, schedule: j.schedule ?? null })), headOffice: new URL(url).host, pending: outbox.size },
      'tokobot agent running');

    return {
      runner, sender, outbox, log: fileLog, beat: heartbeats.beat,
      async stop() {
        for (const t of tasks) await t.destroy();
        clearInterval(heartbeats.timer);
        await runner.shutdown(STOP_GRACE_MS);
        stopSending.abort();
        await sending;
        await sender.flush(FLUSH_MS).catch(() => undefined);
        logger.info({ pending: outbox.size }, 'tokobot agent stopped');
        await releasePid();
      },
    };
  } catch (err) {
    await releasePid();
    throw err;
  }
}
