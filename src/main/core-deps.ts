import { existsSync } from 'node:fs';
import path from 'node:path';
import type { App } from './app.ts';
import type { CoreDeps } from '../bot/context.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import { officeStock } from '../pipeline/item-stock.ts';
import { lowStockReport } from '../pipeline/low-stock.ts';
import { lowStockWorkbook } from '../pipeline/low-stock-workbook.ts';
import { ItemPictures } from '../pipeline/item-picture.ts';
import type { PriceSearch } from '../pipeline/search/price-search.ts';
import { storeStatus } from '../pipeline/status.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import type { Alerting } from './alerting.ts';
import { readAgentStatuses } from './agent-reads.ts';
import { priceFileName, priceWorkbook } from '../pipeline/price-workbook.ts';
import { onDemandReport } from './reports.ts';
import { ZxingBarcodeReader } from '../adapters/barcode/barcode-reader.ts';
import { changeCommands } from './change-notices.ts';

/** What the command core is wired to besides the app: the runners and schedules of this process. */
export interface CoreWiring {
  search: PriceSearch;
  syncRunner: SyncRunner;
  backupRunner: BackupRunner;
  chat: ChatState;
  notifyOwners: CoreDeps['notifyOwners'];
  nextSync: CoreDeps['nextSync'];
  nextBackup: (jobId: string) => Date | null;
  /** The alert side once it runs (never in the demo). */
  alerting: () => Alerting | undefined;
  /** A sign-in link to the web dashboard, when it runs. */
  webLink?: CoreDeps['webLink'];
  /** How /sync runs in tokobot start: through the job queue (syncThroughQueue); elsewhere (the terminal chat) by the runner. */
  queuedSync?: CoreDeps['runSync'];
}

/** Item pictures from the stores' live iPOS databases, for the chat's cards and the dashboard's. */
export function itemPictures(app: Pick<App, 'target' | 'logger'>): ItemPictures {
  return new ItemPictures({
    target: app.target, logger: app.logger,
    // sharp is loaded with the first picture shown, not by every command that builds a core (tokobot ask).
    convert: async (stored) => (await import('../adapters/image/chat-jpeg.ts')).toChatJpeg(stored),
  });
}

/** The command core over the real pipeline. */
export function coreDeps(app: App, { search, syncRunner: runner, backupRunner: backups, chat, notifyOwners, nextSync, nextBackup, alerting, webLink, queuedSync }: CoreWiring): CoreDeps {
  const telegram = app.config.telegram;
  const pictures = itemPictures(app);
  return {
    stores: app.config.stores, roles: telegram.roles, publicMode: telegram.publicMode, rateLimitPerMinute: telegram.rateLimitPerMinute,
    ownerGroups: telegram.ownerGroups,
    search, barcodes: new ZxingBarcodeReader(),
    status: (store) => storeStatus(app.opsStores, store),
    history: (store, limit) => app.opsStores.runs.recent(store, limit),
    runSync: queuedSync ?? ((store, trigger, onProgress) => runner.run(store, trigger, onProgress)),
    syncInProgress: (store) => runner.progress(store),
    cancelRuns: (id, by) => {
      const [sync, backup] = [runner.cancel(id, by), backups.cancel(id, by)];
      return [...(sync ? [{ kind: 'sync' as const, name: app.config.stores.find((s) => s.id === id)?.name ?? id, ...sync }] : []),
        ...(backup ? [{ kind: 'backup' as const, name: id, ...backup }] : [])];
    },
    latestExport: async (store, format, lang) => {
      const p = await app.opsStores.priceLists.published(store);
      if (!p?.csvPath || !existsSync(p.csvPath)) return null;
      const filename = priceFileName(store, p.publishedAt, format);
      if (format === 'csv') return { path: p.csvPath, filename, rows: p.rowCount };
      const book = await priceWorkbook(p.csvPath, lang);
      return { path: book.path, filename, rows: book.rows, unsheeted: book.unsheeted };
    },
    officeStock: (store, kodeitem) => officeStock(app.target, store, kodeitem),
    lowStock: (store) => lowStockReport(app.target, store),
    lowStockWorkbook: (report, lang) => lowStockWorkbook(report, lang, { dir: path.join(app.config.dataDir, 'low-stock') }),
    itemPicture: (store, kodeitem) => pictures.picture(store, kodeitem),
    chat, notifyOwners, nextSync, logger: app.logger, buttonMemory: app.opsStores.buttons, zone: app.config.locale.zone,
    ...(webLink ? { webLink } : {}),
    priceChanges: changeCommands(app),
    agents: () => readAgentStatuses(app), agentTokens: app.opsStores.agents, headOfficeUrl: app.config.web.baseUrl,
    report: onDemandReport(app),
    backups: {
      jobs: app.config.jobs,
      run: (jobId, trigger, onProgress) => backups.run(app.job(jobId), trigger, onProgress),
      progress: (jobId) => backups.progress(jobId),
      states: () => backups.states(nextBackup),
    },
    alerts: {
      open: () => app.alerts.open(),
      mute: (key, hours) => app.alerts.mute(key, new Date(Date.now() + hours * 3_600_000)),
      test: async () => (await alerting()?.test()) ?? [],
      channels: () => Object.values(alerting()?.messengers ?? {}).map((m) => ({ channel: m.channel, text: m.state().text })),
    },
  };
}
