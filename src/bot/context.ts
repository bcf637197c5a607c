import type { Logger } from 'pino';
import type { Role, StoreConfig } from '../config/load-config.ts';
import type { ChatState } from '../pipeline/chat-state.ts';
import type { Lang } from '../i18n/lang.ts';
import type { OfficeStock } from '../pipeline/item-stock.ts';
import type { LowStockReport } from '../pipeline/low-stock.ts';
import type { ItemPicture } from '../pipeline/item-picture.ts';
import type { SyncRun } from '../store/sync-runs.ts';
import type { PriceSearch } from '../pipeline/search/price-search.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import type { AgentStatus } from '../pipeline/agents/agent-status.ts';
import type { Agents } from '../store/agents.ts';
import type { SyncProgress, SyncProgressFn } from '../pipeline/sync/run-tracker.ts';
import type { SyncOutcome } from '../pipeline/sync/sync-store.ts';
import type { Access, Chat } from './access.ts';
import type { BackupProgress, BackupProgressFn } from '../pipeline/backup/backup-job.ts';
import type { BackupRun } from '../store/backup-log.ts';
import type { JobState } from '../pipeline/backup/backup-runner.ts';
import type { OpenAlert } from '../pipeline/alerts/alert-types.ts';
import type { ButtonMemory } from '../store/button-memory.ts';
import type { WebUser } from '../store/web-auth.ts';
import type { RunKind } from '../store/run-history.ts';
import type { DigestPeriod } from '../pipeline/reports/digest.ts';
import type { Message } from '../message.ts';
import type { RunEnd } from '../pipeline/runs/lifecycle.ts';
import type { BarcodeReader } from '../adapters/barcode/barcode-reader.ts';
import type { RecordedChange } from '../store/price-changes.ts';
import type { ChangeReader } from '../pipeline/price-change-workbook.ts';

/** A run /batal stopped: what it was, the stage it was in, and how it ends (it may finish well, when too far to stop). */
export interface CancelledRun {
  kind: RunKind;
  /** The store's name, or the job's id. */
  name: string;
  stage: string;
  ended: Promise<RunEnd>;
}

/** What the command core needs from the pipeline: data and actions, never SQL or Docker. */
export interface CoreDeps {
  stores: StoreConfig[];
  roles: Map<number, Role>;
  publicMode: boolean;
  /** Telegram groups whose members are answered at their own level (cost prices included); other groups hear staff answers. */
  ownerGroups: ReadonlySet<number>;
  rateLimitPerMinute: number;
  search: Pick<PriceSearch, 'search' | 'suggest' | 'item'>;
  /** Reads the barcodes on a photo sent to the bot. */
  barcodes: BarcodeReader;
  status: (store: StoreConfig) => Promise<StoreStatus>;
  history: (store: string, limit: number) => Promise<SyncRun[]>;
  /** Starts a sync; rejects with AppError 'busy' when one of that store runs (in any process). */
  runSync: (store: StoreConfig, trigger: string, onProgress: SyncProgressFn) => Promise<SyncOutcome>;
  /** Progress of a sync this process runs for the store, if any. */
  syncInProgress: (store: string) => SyncProgress | null;
  /** Stops the sync of the store and the backup of the job with this id that this process runs; one entry per run stopped. */
  cancelRuns: (id: string, by: string) => CancelledRun[];
  /**
   * The store's published price list as a file: the CSV itself, or its Excel workbook in `lang`
   * (built once: price-workbook.ts); `unsheeted` counts rows whose price system no sheet holds.
   */
  latestExport: (store: string, format: 'csv' | 'xlsx', lang: Lang) => Promise<{ path: string; filename: string; rows: number; unsheeted?: number } | null>;
  officeStock: (store: string, kodeitem: string) => Promise<OfficeStock[]>;
  /** The store's items under their minimum stock, per office, from its live iPOS database (low-stock.ts). */
  lowStock: (store: string) => Promise<LowStockReport>;
  /** The report's full list as a temporary Excel file in `lang` (low-stock-workbook.ts: removed by a later build once an hour old). */
  lowStockWorkbook: (report: Extract<LowStockReport, { live: true }>, lang: Lang) => Promise<string>;
  /** The item's picture in iPOS (tbl_item.gambar), or null; never rejects for a picture that cannot be shown. Unset: cards without pictures. */
  itemPicture?: (store: string, kodeitem: string) => Promise<ItemPicture | null>;
  chat: Pick<ChatState, 'user' | 'setLang' | 'setStore' | 'firstSightOfStranger'>;
  /** Tells every owner something, each in their own language. */
  notifyOwners: (text: (lang: Lang) => string) => Promise<void>;
  /** When the store's sync schedule fires next. */
  nextSync: (store: StoreConfig) => Date | null;
  /** The zone of times that belong to no store (backup jobs, alerts about the machine): STORE_TZ. A store's own times use its zone. */
  zone: string;
  backups: {
    jobs: { id: string }[];
    /** Starts a run; rejects with AppError 'busy' when the job runs (in any process). */
    run: (jobId: string, trigger: string, onProgress: BackupProgressFn) => Promise<BackupRun>;
    progress: (jobId: string) => BackupProgress | null;
    states: () => Promise<JobState[]>;
  };
  alerts: {
    open: () => Promise<OpenAlert[]>;
    /** Mutes one open alert (key) or all (null) for `hours`; resolves with how many. */
    mute: (key: string | null, hours: number) => Promise<number>;
    test: () => Promise<string[]>;
    channels: () => { channel: string; text: string }[];
  };
  /** The shop agents that report to this head office, as /status shows them (admins and owners); unset where there are none. */
  agents?: () => Promise<AgentStatus[]>;
  /** The shop agents' tokens (/agen); unset where there is no ops database. */
  agentTokens?: Pick<Agents, 'tokens' | 'addToken' | 'revokeTokens'>;
  /** The address agents enrol with (WEB_URL): what /agen add's enroll line names. */
  headOfficeUrl?: string;
  /** A new one-time sign-in link to the web dashboard (its whole URL); unset while the dashboard is off. */
  webLink?: (user: WebUser) => Promise<string>;
  /** The report of the last day or week up to now, rendered with its files (chart, PDF) in `lang`: /report. Unset where there is no ops database. */
  report?: (period: DigestPeriod, lang: Lang) => Promise<Message>;
  /** The recorded price changes (/changes); unset where none are recorded. */
  priceChanges?: {
    /** The store's changes published in [from, to). */
    since: (store: string, from: Date, to: Date) => Promise<RecordedChange[]>;
    /** All of them as an Excel workbook for this reader (cost only with withCost). */
    workbook: (store: string, changes: readonly RecordedChange[], days: number, reader: ChangeReader) => Promise<{ path: string; filename: string }>;
    /** Whether the person gets the changes after each sync. */
    subscribe: (userId: number, on: boolean) => Promise<void>;
  };
  /** What long buttons stand for, kept beyond a restart. */
  buttonMemory: ButtonMemory;
  logger: Pick<Logger, 'error' | 'warn' | 'info'>;
  /** The clock of the rate limit (tests). */
  now?: () => number;
}

/** The person a message came from, as the core sees them. */
export interface Who {
  id: number;
  name: string;
  /** Their role, capped by the chat (a group hears staff answers unless it is an owners' group). */
  access: Access;
  chat: Chat;
  lang: Lang;
  store: StoreConfig;
}
