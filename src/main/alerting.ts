import cron, { type ScheduledTask } from 'node-cron';
import type { Api } from 'grammy';
import type { App } from './app.ts';
import { describeError } from '../errors.ts';
import type { Message } from '../message.ts';
import { TelegramMessenger } from '../adapters/telegram/telegram-messenger.ts';
import { EmailMessenger } from '../adapters/email/email-messenger.ts';
import { AlertLoop } from '../pipeline/alerts/alert-loop.ts';
import { AlertOutbox } from '../pipeline/alerts/alert-outbox.ts';
import { addressOf, receives, type Recipient } from '../pipeline/alerts/alert-types.ts';
import { openMessage, resolvedMessage } from '../pipeline/alerts/alert-messages.ts';
import { Monitors } from '../pipeline/alerts/monitors.ts';
import { CHANNELS, type Channel, type Messenger, type MessengerState } from '../pipeline/alerts/ports.ts';
import { backupAlert, syncAlert } from '../pipeline/alerts/run-alerts.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { freeSpace } from '../pipeline/sync/work-files.ts';

// Monitors still take hours and MB (what their alert texts show).
const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;

export interface AlertingOptions {
  api: Api;
  /** Whether the bot is connected to Telegram: while it is not, Telegram's alerts go through WhatsApp. */
  telegram: { state(): MessengerState };
  chat: Pick<ChatState, 'currentChatId' | 'recordMigration'>;
  syncRunner: SyncRunner;
  backupRunner: BackupRunner;
  whatsapp?: Messenger;
  /** Between delivery rounds; monitors run every five minutes. */
  intervalMs?: number;
  /** A channel down for this long is alerted on through the others (tests shorten it). */
  channelGraceMs?: number;
}

/** A channel's short outage (a reconnect, a restart of the router) stays quiet. */
const CHANNEL_GRACE_MS = 15 * 60_000;

export interface Alerting {
  messengers: Partial<Record<Channel, Messenger>>;
  monitors: Monitors;
  loop: AlertLoop;
  /** A test message to every recipient on every channel; one line per attempt saying what happened. */
  test(): Promise<string[]>;
  /** A test message to every recipient who has `channel`; one result per attempt (none when nobody has it). */
  testChannel(channel: Channel): Promise<ChannelTest[]>;
  stop(): Promise<void>;
}

/** One attempt of a direct send: to whom, and whether the channel is off or the send failed. */
export interface ChannelTest { name: string; channel: Channel; to: string; off?: boolean; error?: string }

/** Sends straight to every recipient on each channel they have (or on `only`), bypassing the outbox; one result per attempt. */
async function sendToAll(recipients: Recipient[], messengers: Partial<Record<Channel, Messenger>>, messageFor: (r: Recipient) => Message, only?: Channel) {
  const results: ChannelTest[] = [];
  for (const r of recipients) {
    for (const channel of only ? [only] : CHANNELS) {
      const to = addressOf(r, channel);
      if (!to) continue;
      const m = messengers[channel];
      if (!m) { results.push({ name: r.name, channel, to, off: true }); continue; }
      const error = await m.send(to, messageFor(r)).then(() => undefined, (err: unknown) => describeError(err));
      results.push({ name: r.name, channel, to, error });
    }
  }
  return results;
}

const testMessage = (r: Recipient): Message => (r.lang === 'en' ? { severity: 'info', title: '🔔 Test alert from tokobot', lines: ['This channel works.'] }
  : { severity: 'info', title: '🔔 Tes peringatan dari tokobot', lines: ['Saluran ini berfungsi.'] });

/**
 * Runs report in: a failed sync or backup opens its alert, a good one resolves it, in the ops
 * database, whichever process ran it (a tokobot worker too); `kick` hurries the delivery, where there is one.
 */
export function reportRuns(app: Pick<App, 'alerts' | 'backups' | 'config'>, syncs: SyncRunner, backups: BackupRunner, kick: () => void = () => undefined): void {
  // A fleet's alerts say which machine ran the job: its workers may run on several (OPS_DATABASE_URL).
  const machine = app.config.ops.url ? app.config.worker.name : undefined;
  syncs.onFinished(async (outcome, store) => { await syncAlert(app.alerts, store, outcome, machine); kick(); });
  backups.onFinished(async (run) => {
    await backupAlert(app.alerts, run, (await app.backups.log.latest()).get(run.job)?.lastGood, machine);
    kick();
  });
}

/** The e-mail channel when an SMTP server is set: each address's subject in its recipient's language. */
export function emailMessenger(config: Pick<App['config'], 'email' | 'alerts' | 'locale'>): EmailMessenger | undefined {
  if (!config.email) return undefined;
  const langs = new Map(config.alerts.recipients.flatMap((r) => (r.email ? [[r.email.toLowerCase(), r.lang] as const] : [])));
  return new EmailMessenger({ smtp: config.email, langOf: (to) => langs.get(to.toLowerCase()) ?? config.locale.lang });
}

const OFF: Record<Channel, string> = { telegram: 'off', whatsapp: 'off (WHATSAPP_ENABLED is not true)', email: 'off (SMTP_URL or SMTP_HOST is not set)' };

/** The alert side of `tokobot start`: channels, the delivery loop, the monitors, and runs reporting in. */
export function startAlerting(app: App, o: AlertingOptions): Alerting {
  const telegram = new TelegramMessenger(o.api, o.chat, o.telegram);
  const email = emailMessenger(app.config);
  const messengers: Partial<Record<Channel, Messenger>> = { telegram, ...(o.whatsapp ? { whatsapp: o.whatsapp } : {}), ...(email ? { email } : {}) };
  const outbox = new AlertOutbox({ store: app.backupAlertStores.outbox, messengers, recipients: app.config.alerts.recipients, zone: app.config.locale.zone, logger: app.logger });
  const loop = new AlertLoop(app.alerts, outbox, o.intervalMs ?? 15_000, app.logger);
  reportRuns(app, o.syncRunner, o.backupRunner, () => loop.kick());
  const monitors = new Monitors({
    engine: app.alerts, watch: app.backupAlertStores.watch, runs: app.backupAlertStores.history, lock: (name) => app.opsStores.locks.tryLock(name), stores: app.config.stores, sourceFor: app.sync.sourceFor,
    staleHours: app.config.alerts.staleBackupMs / HOUR_MS, jobs: app.config.jobs, scheduleZone: app.config.locale.zone, backupLog: app.backups.log, target: app.target, dataDir: app.config.dataDir,
    exportKeep: app.config.sync.exportKeep, diskMinFreeMb: app.config.alerts.diskMinFreeBytes / MB, freeSpace, syncStuckMs: 3 * 3_600_000,
    channels: Object.values(messengers), channelGraceMs: o.channelGraceMs ?? CHANNEL_GRACE_MS,
    agents: app.opsStores.agents, agentSilentMs: app.config.agents.silentMs,
    clock: () => new Date(), logger: app.logger,
    tellDirectly: async (alert, since, resolved) => {
      const open = { ...alert, openedAt: since, lastSentAt: null, mutedUntil: null };
      // Told to those the engine would tell (a branch manager limited to their stores is not).
      const results = await sendToAll(app.config.alerts.recipients.filter((r) => receives(r, alert)), messengers, (r) => {
        const reader = { lang: r.lang, zone: app.config.locale.zone };
        return resolved ? resolvedMessage(open, reader, new Date()) : openMessage(open, reader);
      });
      for (const x of results) if (x.error) app.logger.warn({ channel: x.channel, to: x.to, error: x.error }, 'could not tell about the restore server');
    },
  });
  const check = () => monitors.run().then(() => loop.kick(0));
  const task: ScheduledTask = cron.schedule('*/5 * * * *', check, { noOverlap: true, name: 'monitors' });
  // Agents beat every few minutes: their switch is checked every minute (a list of agents, one query).
  const agentTask: ScheduledTask | null = app.config.agents.ingest
    ? cron.schedule('* * * * *', () => monitors.runAgents().then(() => loop.kick(0)), { noOverlap: true, name: 'agent monitors' }) : null;
  loop.start();
  void check();
  return {
    messengers, monitors, loop,
    async test() {
      if (!app.config.alerts.recipients.length) return ['No alert recipients: set TELEGRAM_ALERT_CHATS, WHATSAPP_ALERT_NUMBERS or EMAIL_ALERT_TO (or alerts.recipients in the config file).'];
      const results = await sendToAll(app.config.alerts.recipients, messengers, testMessage);
      return results.map((x) => `${x.channel} ${x.to} (${x.name}): ${x.off ? OFF[x.channel] : x.error ? `FAILED — ${x.error}` : 'sent'}`);
    },
    testChannel: (channel) => sendToAll(app.config.alerts.recipients, messengers, testMessage, channel),
    async stop() {
      await task.stop();
      await agentTask?.stop();
      await loop.stop();
      email?.close();
    },
  };
}
