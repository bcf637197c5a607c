import type { JobConfig, StoreConfig } from '../../config/load-config.ts';
import { describeError, errorFacts } from '../../errors.ts';
import type { BackupLog } from '../../store/backup-log.ts';
import type { OpsWatch } from '../../store/ops-watch.ts';
import type { RunHistory } from '../../store/run-history.ts';
import type { Agents } from '../../store/agents.ts';
import type { BackupSource, RestoreTarget } from '../ports.ts';
import { cleanLeftovers, pruneExports, type FreeSpaceFn } from '../sync/work-files.ts';
import type { AlertEngine } from './alert-engine.ts';
import { checkAgents } from './agent-monitors.ts';
import { missedAlert, missedRun, setAlert as set } from './scheduled-runs.ts';
import { failureParams, storeParams } from './alert-messages.ts';
import type { Messenger, MessengerState } from './ports.ts';

export { previousFire } from './scheduled-runs.ts';

const HOUR = 3_600_000;
const MB = 1024 * 1024;

export interface MonitorDeps {
  engine: AlertEngine;
  /** The ops database: whether it answers. */
  watch: Pick<OpsWatch, 'ping'>;
  /** The runs recorded as running, of every process (the syncs among them may be stuck). */
  runs: Pick<RunHistory, 'running'>;
  /** The lock a sync of the store holds (as BackupDeps.lock): leftovers are cleaned only while no sync runs. */
  lock(name: string): Promise<(() => Promise<void>) | null>;
  stores: StoreConfig[];
  sourceFor: (store: StoreConfig) => BackupSource;
  staleHours: number;
  jobs: JobConfig[];
  /** The zone job schedules are read in (STORE_TZ), as the scheduler reads them. */
  scheduleZone?: string;
  backupLog: Pick<BackupLog, 'latest'>;
  target: RestoreTarget;
  dataDir: string;
  exportKeep: number;
  diskMinFreeMb: number;
  freeSpace: FreeSpaceFn;
  /** A sync running longer than this is stuck. */
  syncStuckMs: number;
  /** The alert channels whose outages are alerted on (through the channels that still work). */
  channels: Messenger[];
  /** A channel not ready for this long raises an alert (a short reconnect stays quiet). */
  channelGraceMs: number;
  /** The head office's shop agents (their heartbeats); unset where there are none to watch. */
  agents?: Pick<Agents, 'list' | 'tokens'>;
  /** An agent without a heartbeat for longer than this is silent (AGENT_SILENT_MINUTES). */
  agentSilentMs?: number;
  clock: () => Date;
  logger: { warn: (obj: object, msg?: string) => void };
  /**
   * The restore server also holds the ops database, where alerts live: while it is unreachable
   * its alert cannot be stored, so it is told straight to the channels (and once more when back).
   */
  tellDirectly?: (alert: Parameters<AlertEngine['raise']>[0], since: Date, resolved: boolean) => Promise<void>;
}

/** The dead man's switch: each store's folder must receive a new backup within its threshold. */
async function checkBackupFreshness(d: MonitorDeps): Promise<void> {
  const now = d.clock();
  for (const store of d.stores) {
    const limit = store.staleHours ?? d.staleHours;
    let newest;
    try {
      newest = (await d.sourceFor(store).list()).sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime())[0];
      await d.engine.clear(`source:${store.id}`);
    } catch (err) {
      await d.engine.raise({ key: `source:${store.id}`, kind: 'source-unreachable', severity: 'warning', subject: store.name, params: { error: describeError(err), ...failureParams(errorFacts(err)), ...storeParams(store) } });
      continue;
    }
    const hours = newest ? (now.getTime() - newest.modifiedAt.getTime()) / HOUR : Infinity;
    await set(d.engine, hours > limit, { key: `stale:${store.id}`, kind: 'stale-backups', severity: 'critical', subject: store.name,
      params: { newest: newest ? `${newest.name} (${newest.modifiedAt.toISOString()})` : '-', hours: Number.isFinite(hours) ? Math.floor(hours) : '∞', limit, ...storeParams(store) } });
  }
}

/**
 * Scheduled jobs: a run that should have started (30 minutes' grace) but did not, and one still
 * "running" well past its timeout. Failed runs are reported as they end (backupAlert).
 */
async function checkBackupJobs(d: MonitorDeps): Promise<void> {
  const now = d.clock();
  const latest = await d.backupLog.latest();
  for (const job of d.jobs) {
    const last = latest.get(job.id)?.last;
    if (job.schedule) {
      const { due, missed } = await missedRun(job.schedule, d.scheduleZone, last, now);
      await set(d.engine, missed, missedAlert(`missed:${job.id}`, job.id, due, last));
    }
    const overdue = last && (last.status === 'running' || last.status === 'pending') && now.getTime() - last.startedAt.getTime() > job.timeoutMs + 5 * 60_000;
    if (overdue) {
      await d.engine.raise({ key: `backup:${job.id}`, kind: 'backup-failed', severity: 'critical', subject: job.id,
        params: { error: `still running since ${last.startedAt.toISOString()}, past its limit of ${job.timeoutMs / 60_000} minutes`, lastGood: '-' } });
    }
  }
}

/** Prunes what retention allows (old exports, leftovers of syncs not running), then alerts if space is still short. */
async function checkDisk(d: MonitorDeps): Promise<void> {
  const min = d.diskMinFreeMb * MB;
  if ((await d.freeSpace(d.dataDir)) < min) {
    for (const store of d.stores) {
      await pruneExports(d.dataDir, store.id, d.exportKeep).catch(() => []);
      const release = await d.lock(`sync:${store.id}`);
      if (release) await cleanLeftovers(d.dataDir, store.id).finally(release);
    }
  }
  const free = await d.freeSpace(d.dataDir);
  await set(d.engine, free < min, { key: 'disk', kind: 'disk-low', severity: 'critical', subject: d.dataDir,
    params: { free: Math.floor(free / MB), min: d.diskMinFreeMb, dir: d.dataDir } });
}

async function checkStuckSyncs(d: MonitorDeps): Promise<void> {
  const running = await d.runs.running('sync');
  const stuck = new Map(running.filter((r) => d.clock().getTime() - r.startedAt.getTime() > d.syncStuckMs).map((r) => [r.subject, r]));
  for (const store of d.stores) {
    const r = stuck.get(store.id);
    await set(d.engine, Boolean(r), { key: `stuck:${store.id}`, kind: 'sync-stuck', severity: 'warning', subject: store.name,
      params: { since: r ? r.startedAt.toISOString() : '-', stage: r?.stage ?? '-', ...storeParams(store) } });
  }
}

/** The alert each channel's outage raises. */
const CHANNEL_DOWN = {
  whatsapp: { kind: 'whatsapp-down', subject: 'WhatsApp' }, telegram: { kind: 'telegram-down', subject: 'Telegram' }, email: { kind: 'email-down', subject: 'E-mail' },
} as const;

/**
 * Since when a channel cannot send, or undefined while it can. Chat channels have a connection to
 * lose (state().ready). E-mail has none, each send being its own SMTP connection, so its messenger
 * stays ready (the outbox keeps trying it) and says since when its sends fail instead.
 */
function downSince(state: MessengerState, channel: Messenger['channel'], known: number | undefined, now: number): number | undefined {
  if (channel === 'email') return state.code === 'sendFailed' && state.since ? Date.parse(state.since) : undefined;
  return state.ready ? undefined : known ?? now;
}

export class Monitors {
  private readonly downSince = new Map<string, number>();
  /** The restore server's alert while it is down (told directly: the ops database is on that server). */
  private serverDown: { alert: Parameters<AlertEngine['raise']>[0]; since: Date } | null = null;

  constructor(private readonly d: MonitorDeps) {}

  /** Each channel not ready for longer than the grace (a short reconnect stays quiet). */
  async checkChannels(): Promise<void> {
    const { d } = this;
    const now = d.clock().getTime();
    for (const channel of d.channels) {
      const state = channel.state();
      const since = downSince(state, channel.channel, this.downSince.get(channel.channel), now);
      if (since === undefined) this.downSince.delete(channel.channel);
      else this.downSince.set(channel.channel, since);
      await set(d.engine, since !== undefined && now - since >= d.channelGraceMs,
        { key: channel.channel, ...CHANNEL_DOWN[channel.channel], severity: 'critical', params: { state: state.text } });
    }
  }

  async checkRestoreServer(): Promise<void> {
    const { d } = this;
    let error: string | null = null;
    try {
      await d.watch.ping();
    } catch (err) {
      error = describeError(err);
    }
    if (error !== null) {
      if (!this.serverDown) {
        this.serverDown = { alert: { key: 'restore-server', kind: 'restore-server-down', severity: 'critical', subject: d.target.kind, params: { error } }, since: d.clock() };
        await d.tellDirectly?.(this.serverDown.alert, this.serverDown.since, false);
      }
      return;
    }
    if (this.serverDown) await d.tellDirectly?.(this.serverDown.alert, this.serverDown.since, true);
    this.serverDown = null;
  }

  async run(): Promise<void> {
    const checks: [string, () => Promise<void>][] = [
      ['backups', () => checkBackupFreshness(this.d)], ['jobs', () => checkBackupJobs(this.d)], ['disk', () => checkDisk(this.d)],
      ['restore server', () => this.checkRestoreServer()], ['stuck syncs', () => checkStuckSyncs(this.d)], ['channels', () => this.checkChannels()],
      ['agents', () => checkAgents(this.d)],
    ];
    for (const [name, check] of checks) await check().catch((err) => this.d.logger.warn({ err, monitor: name }, 'monitor failed'));
  }

  /** The shop agents' switch alone: run every minute, so a silent agent is told within a minute of its limit. */
  async runAgents(): Promise<void> {
    await checkAgents(this.d).catch((err) => this.d.logger.warn({ err, monitor: 'agents' }, 'monitor failed'));
  }
}
