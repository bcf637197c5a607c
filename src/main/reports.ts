import type { App } from './app.ts';
import { renderDigest as renderReport } from '../bot/report/render-digest.ts';
import type { ZoneCronItem } from '../adapters/job-queue/zone-cron.ts';
import { gatherDigest, type DigestAsk } from '../pipeline/reports/gather-digest.ts';
import type { Digest, DigestPeriod } from '../pipeline/reports/digest.ts';
import { digestPeriod } from '../pipeline/reports/digest-period.ts';
import type { Lang } from '../i18n/lang.ts';
import type { Message } from '../message.ts';
import type { Recipient } from '../pipeline/alerts/alert-types.ts';
import { DEFAULT_DIGEST, distinctFirings } from '../pipeline/reports/digest-schedule.ts';
import type { RenderDigest, SendDigestsDeps } from '../pipeline/reports/send-digests.ts';
import { freeSpace } from '../pipeline/sync/work-files.ts';
import { lowStockReport } from '../pipeline/low-stock.ts';

/**
 * The one place the report renderer is chosen (for the scheduled reports, /report and tokobot
 * report alike): text, chart PNG and PDF in the reader's language.
 */
export const renderDigest: RenderDigest = renderReport;

const MB = 1024 * 1024;
/** A digest job is tried this many times (the ops database back, a renderer's failure passing); queued recipients are not queued again. */
const DIGEST_ATTEMPTS = 3;

type ReportApp = Pick<App, 'config' | 'opsStores' | 'backupAlertStores' | 'target'>;

/** A report's facts from this process's ops stores. */
export function gatherer(app: ReportApp, clock: () => Date = () => new Date()): (ask: DigestAsk) => Promise<Digest> {
  const { config } = app;
  return (ask) => gatherDigest({
    backupLog: app.backupAlertStores.backupLog, syncRuns: app.opsStores.runs, alerts: app.backupAlertStores.alerts, agents: app.opsStores.agents,
    stores: config.stores, jobs: config.jobs, dataDir: config.dataDir, diskMinFreeMb: config.alerts.diskMinFreeBytes / MB, freeSpace,
    timeZone: config.locale.zone, clock, priceChanges: app.opsStores.priceChanges, lowStock: (store) => lowStockReport(app.target, store),
  }, ask);
}

/**
 * Who gets the scheduled reports: every alert recipient, and every Telegram owner and admin who is
 * not one (the owner reads the morning report for yesterday's price changes and low stock, the
 * admin for the backups), at the default times, in TOKOBOT_LANG's language. Someone who wants
 * other times, or none, is put among the alert recipients with their own `digest`.
 */
export function reportReaders(config: Pick<App['config'], 'alerts' | 'telegram' | 'locale'>): Recipient[] {
  const told = new Set(config.alerts.recipients.flatMap((r) => (r.telegram ? [r.telegram] : [])));
  const readers = [...config.telegram.roles].filter(([id, role]) => role !== 'staff' && !told.has(String(id)))
    .sort(([a, ra], [b, rb]) => Number(rb === 'owner') - Number(ra === 'owner') || a - b);
  return [...config.alerts.recipients, ...readers.map(([id, role]): Recipient => ({
    name: `${role === 'owner' ? 'Owner' : 'Admin'} ${id}`, telegram: String(id), lang: config.locale.lang, severities: ['warning', 'critical'],
  }))];
}

/** What the scheduled reports need: gathering, the renderer, the outbox and the readers. */
export function digestDeps(app: ReportApp, render: RenderDigest = renderDigest): SendDigestsDeps {
  return {
    gather: gatherer(app), render, queue: app.backupAlertStores.alerts, recipients: reportReaders(app.config),
    zone: app.config.locale.zone, clock: () => new Date(),
  };
}

/** One cron item per distinct report time among the readers (read in STORE_TZ), fired once across every worker. */
export function digestCronItems(config: App['config']): ZoneCronItem[] {
  return distinctFirings(reportReaders(config).map((r) => r.digest ?? DEFAULT_DIGEST)).map((f) => ({
    identifier: `digest:${f.period}:${f.cron}`, task: 'digest', schedule: f.cron, zone: config.locale.zone, payload: { period: f.period, cron: f.cron },
    queueName: 'reports', jobKey: `digest:${f.period}:${f.cron}`, maxAttempts: DIGEST_ATTEMPTS,
  }));
}

/** A report asked for (/report, tokobot report): every store, the last 24 hours or 7 days up to now, rendered in `lang`. */
export function onDemandReport(app: ReportApp, render: RenderDigest = renderDigest): (period: DigestPeriod, lang: Lang) => Promise<Message> {
  const gather = gatherer(app);
  return async (period, lang) => {
    const { from, to } = digestPeriod(period, new Date(), app.config.locale.zone, true);
    return render(await gather({ period, from, to, stores: null }), lang);
  };
}
