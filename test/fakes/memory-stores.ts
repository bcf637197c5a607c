import { MemoryAgents } from './memory-agents.ts';
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { PRICE_COLUMNS } from '../../src/pipeline/price-rules.ts';
import type { OpsStores } from '../../src/store/index.ts';
import { MemoryWebAudit, MemoryWebAuth, MemoryWebTokens } from './memory-web-auth.ts';
import type { Chats, ChatUser } from '../../src/store/chats.ts';
import type { Lang } from '../../src/i18n/lang.ts';
import type { ListedItem, ListedPrice, PriceLists, Publication, PublishedList, PublishOptions } from '../../src/store/price-lists.ts';
import { INTERRUPTED_ERROR, type RunDetails, type RunStatus, type StatusRuns, type SyncRun, type SyncRunLog, type Trigger } from '../../src/store/sync-runs.ts';
import { MemoryButtonMemory } from './memory-button-memory.ts';
import { MemoryWorkers } from './memory-workers.ts';
import { MemoryWatchCursors } from './memory-watch-cursors.ts';
import { MemoryPriceChangeLog } from './memory-price-changes.ts';
import { MemoryPictureFileIds } from './memory-picture-file-ids.ts';

/*
 * The ops stores in memory, for unit tests: they keep the contracts of src/store (checked by the
 * same suites as the PostgreSQL ones, test/store) within one process, without a database.
 */

const byNewest = (a: SyncRun, b: SyncRun) => b.startedAt.getTime() - a.startedAt.getTime() || b.id - a.id;
/** What a jsonb column gives back. */
const asJson = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** The sync run log in memory, on a clock of the test's choosing (the "now" of start and finish). */
export class MemorySyncRunLog implements SyncRunLog {
  private readonly runs: SyncRun[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async start(store: string, trigger: Trigger): Promise<number> {
    const id = this.runs.length + 1;
    this.runs.push({
      id, store, trigger, status: 'running', stage: null, stages: [], startedAt: this.clock(), finishedAt: null, sourceFile: null,
      sourceModified: null, contentHash: null, bytes: null, archive: null, rowCount: null, validation: null, error: null, note: null,
    });
    return id;
  }

  async update(id: number, details: RunDetails, status?: RunStatus): Promise<void> {
    this.set(id, details, status);
  }

  /** update() at once, for a publication that commits it with the list. */
  set(id: number, details: RunDetails, status?: RunStatus): void {
    const run = this.runs.find((r) => r.id === id);
    if (!run || (status && run.status !== 'running')) return;
    for (const [key, value] of Object.entries(details)) {
      if (value === undefined) continue;
      const stored = key === 'stages' || key === 'archive' || key === 'validation' ? asJson(value) : value instanceof Date ? new Date(value) : value;
      Object.assign(run, { [key]: stored });
    }
    if (status) run.status = status;
    if (status && status !== 'running') run.finishedAt = this.clock();
  }

  exists(id: number): boolean {
    return this.runs.some((r) => r.id === id);
  }

  async failInterrupted(store: string): Promise<number> {
    const running = this.runs.filter((r) => r.store === store && r.status === 'running');
    for (const r of running) Object.assign(r, { status: 'failed', finishedAt: this.clock(), error: INTERRUPTED_ERROR.replace('%s', r.stage ?? 'first') });
    return running.length;
  }

  async recent(store: string | null, limit: number): Promise<SyncRun[]> {
    return this.runs.filter((r) => store === null || r.store === store).sort(byNewest).slice(0, limit).map((r) => structuredClone(r));
  }

  async successesSince(store: string, since: Date): Promise<SyncRun[]> {
    return this.runs.filter((r) => r.store === store && r.status === 'success' && r.startedAt >= since).sort(byNewest).reverse().map((r) => structuredClone(r));
  }

  async lastWith(store: string, statuses: RunStatus[]): Promise<SyncRun | null> {
    const found = this.runs.filter((r) => r.store === store && statuses.includes(r.status)).sort(byNewest)[0];
    return found ? structuredClone(found) : null;
  }

  async statusRuns(stores: string[]): Promise<Map<string, StatusRuns>> {
    return new Map(await Promise.all(stores.map(async (s): Promise<[string, StatusRuns]> => [s, {
      last: (await this.recent(s, 1))[0] ?? null, success: await this.lastWith(s, ['success']), failure: await this.lastWith(s, ['failed']), newest: await this.newestSeen(s),
    }])));
  }

  async newestSeen(store: string): Promise<SyncRun | null> {
    const seen = this.runs.filter((r) => r.store === store && r.sourceModified);
    const found = seen.sort((a, b) => (b.sourceModified as Date).getTime() - (a.sourceModified as Date).getTime() || b.id - a.id)[0];
    return found ? structuredClone(found) : null;
  }

  async between(from: Date, to: Date): Promise<SyncRun[]> {
    return this.runs.filter((r) => r.startedAt >= from && r.startedAt < to).sort(byNewest).reverse().map((r) => ({ ...structuredClone(r), stages: [] }));
  }
}

type StoredRow = ListedPrice & { barcode: string; satuan: string | null };

const NUMBER = /^-?\d+(\.\d+)?$/;
const NUMERIC_COLUMNS = ['konversi', 'jmlsampai', 'hargapokok', 'hargajual', 'stok'];
const REQUIRED_COLUMNS = ['store', 'kodeitem', 'namaitem', 'konversi', 'hargajual'];

/**
 * A price list CSV as COPY ... FROM (FORMAT csv, HEADER) reads it into price_rows: empty fields
 * are NULL (but the barcode, which the export always writes, quoted when empty), numbers are
 * checked; a bad row rejects the whole file. Numbers keep the text they had in the file.
 */
async function readListCsv(file: string): Promise<StoredRow[]> {
  const parsed = Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`bad CSV: ${parsed.errors[0]?.message}`);
  return parsed.data.map((raw, i) => {
    const row: Record<string, unknown> = {};
    for (const column of PRICE_COLUMNS) {
      const text = raw[column] ?? '';
      if (text === '' && REQUIRED_COLUMNS.includes(column)) throw new Error(`row ${i + 1}: null value in column "${column}"`);
      if (text !== '' && NUMERIC_COLUMNS.includes(column) && !NUMBER.test(text)) throw new Error(`row ${i + 1}: invalid input syntax for type numeric: "${text}"`);
      if (text !== '' && column === 'level' && !/^-?\d+$/.test(text)) throw new Error(`row ${i + 1}: invalid input syntax for type integer: "${text}"`);
      row[column] = column === 'barcode' ? text : text === '' ? null : column === 'level' ? Number(text) : text;
    }
    return row as unknown as StoredRow;
  });
}

const compareText = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
/** NULLS FIRST */
const compareNumber = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : Number(a) - Number(b));
const listOrder = (a: StoredRow, b: StoredRow) => compareText(a.kodeitem, b.kodeitem) || compareNumber(a.konversi, b.konversi)
  || compareText(a.satuan, b.satuan) || compareNumber(a.level, b.level) || compareNumber(a.jmlsampai, b.jmlsampai);

function itemsOf(rows: StoredRow[]): ListedItem[] {
  const byCode = new Map<string, StoredRow[]>();
  for (const r of rows) byCode.set(r.kodeitem, [...(byCode.get(r.kodeitem) ?? []), r]);
  return [...byCode].map(([kodeitem, its]) => ({
    kodeitem,
    namaitem: its.map((r) => r.namaitem).sort()[0] as string,
    codes: [...[...new Set(its.map((r) => r.barcode.toUpperCase()))].filter((c) => c !== '' && c !== kodeitem.toUpperCase()).sort(), kodeitem.toUpperCase()],
  }));
}

export class MemoryPriceLists implements PriceLists {
  private readonly lists = new Map<string, { record: PublishedList; rows: StoredRow[] }>();

  constructor(private readonly runs: MemorySyncRunLog, private readonly swap: (store: string) => Promise<void>) {}

  async publish(p: Publication, options: PublishOptions = {}): Promise<void> {
    const rows = (await readListCsv(p.tmpCsvPath)).map((r) => ({ ...r, store: p.store }));
    if (!this.runs.exists(p.runId)) throw new Error(`published: run ${p.runId} is not in the run log`);
    await this.swap(p.store);
    options.beforeCommit?.();
    // The commit: nothing above changed anything.
    this.lists.set(p.store, {
      rows: rows.sort(listOrder),
      record: { store: p.store, runId: p.runId, contentHash: p.contentHash, sourceFile: p.sourceFile, sourceModified: p.sourceModified && new Date(p.sourceModified),
        archive: asJson(p.archive), rowCount: p.rowCount, csvPath: p.csvPath, publishedAt: new Date() },
    });
    this.runs.set(p.runId, { stage: 'publish', stages: p.stages }, 'success');
  }

  async published(store: string): Promise<PublishedList | null> {
    const list = this.lists.get(store);
    return list ? structuredClone(list.record) : null;
  }

  async publishedOf(stores: string[]): Promise<Map<string, PublishedList>> {
    return new Map(stores.flatMap((s) => { const list = this.lists.get(s); return list ? [[s, structuredClone(list.record)] as const] : []; }));
  }

  async items(store: string): Promise<ListedItem[]> {
    return itemsOf(this.lists.get(store)?.rows ?? []);
  }

  async prices(store: string, kodeitems?: string[]): Promise<ListedPrice[]> {
    const rows = (this.lists.get(store)?.rows ?? []).filter((r) => !kodeitems || kodeitems.includes(r.kodeitem));
    return rows.map((r) => ({ kodeitem: r.kodeitem, namaitem: r.namaitem, jenis: r.jenis, merek: r.merek, sistemhargajual: r.sistemhargajual,
        stok: r.stok, satuan: r.satuan as string, konversi: r.konversi, barcode: r.barcode, level: r.level, jmlsampai: r.jmlsampai,
        hargapokok: r.hargapokok, hargajual: r.hargajual }));
  }
}

export class MemoryChats implements Chats {
  private readonly users = new Map<number, ChatUser>();
  private readonly strangers = new Set<number>();
  private readonly moves = new Map<number, number>();

  async user(userId: number): Promise<ChatUser | null> {
    const user = this.users.get(userId);
    return user ? { ...user } : null;
  }

  async setLang(userId: number, lang: Lang): Promise<void> {
    this.users.set(userId, { store: null, ...this.users.get(userId), lang });
  }

  async setStore(userId: number, store: string): Promise<void> {
    this.users.set(userId, { lang: 'id', ...this.users.get(userId), store });
  }

  async addStranger(userId: number): Promise<boolean> {
    if (this.strangers.has(userId)) return false;
    this.strangers.add(userId);
    return true;
  }

  async recordMigration(oldChatId: number, newChatId: number): Promise<void> {
    this.moves.set(oldChatId, newChatId);
  }

  async movedTo(chatId: number): Promise<number | null> {
    return this.moves.get(chatId) ?? null;
  }
}

/** Locks of one process (the PostgreSQL ones also hold across processes): the shop agent's own. */
export { ProcessLocks as MemoryLocks } from '../../src/store/file/process-locks.ts';
import { ProcessLocks as MemoryLocks } from '../../src/store/file/process-locks.ts';

/** Every ops store in memory; `swapDatabases` stands for the restore server's swap of a store's databases. */
export function createMemoryStores(options: { swapDatabases?: (store: string) => Promise<void> } = {}): OpsStores {
  const runs = new MemorySyncRunLog();
  return {
    runs,
    priceLists: new MemoryPriceLists(runs, options.swapDatabases ?? (async () => undefined)),
    priceChanges: new MemoryPriceChangeLog(runs),
    chats: new MemoryChats(),
    buttons: new MemoryButtonMemory(),
    web: new MemoryWebAuth(),
    webTokens: new MemoryWebTokens(),
    webAudit: new MemoryWebAudit(),
    locks: new MemoryLocks(),
    watchCursors: new MemoryWatchCursors(),
    workers: new MemoryWorkers(),
    agents: new MemoryAgents(),
    pictureFileIds: new MemoryPictureFileIds(),
    // Memory cannot tell cheaply whether anything was written: every version differs, nothing is reused.
    version: { current: async () => String(++versions) },
  };
}

let versions = 0;
