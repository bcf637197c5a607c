import type { StageRecord } from './run-history.ts';

/** A run's validated price list, ready to become its store's published list. */
export interface Publication {
  store: string;
  runId: number;
  /** The validated export under its temporary name (CSV with a header, columns PRICE_COLUMNS); it gets `csvPath` only once the publication has committed. */
  tmpCsvPath: string;
  csvPath: string;
  contentHash: string;
  sourceFile: string;
  sourceModified: Date | null;
  archive: unknown;
  rowCount: number;
  stages: StageRecord[];
}

/** The record of a store's published list. */
export interface PublishedList {
  store: string;
  runId: number;
  contentHash: string;
  sourceFile: string;
  sourceModified: Date | null;
  archive: unknown;
  rowCount: number;
  /** Where its CSV is (or, after a crash, is about to be: see finishPublication). */
  csvPath: string | null;
  publishedAt: Date;
}

/** One item of a list, for the search index: its code and barcodes, upper case, each once, without empty ones. */
export interface ListedItem {
  kodeitem: string;
  namaitem: string;
  codes: string[];
}

/** One price row of a list, numbers as the CSV wrote them. */
export interface ListedPrice {
  kodeitem: string;
  namaitem: string;
  jenis: string | null;
  merek: string | null;
  sistemhargajual: string;
  stok: string;
  satuan: string;
  konversi: string;
  /** '' when the row has none. */
  barcode: string;
  level: number | null;
  jmlsampai: string | null;
  hargapokok: string | null;
  hargajual: string;
}

export interface PublishOptions {
  /** Called last before the commit (crash tests kill the process there). */
  beforeCommit?: () => void;
}

/**
 * The published price lists, one per store, on the ops database (which lives on the restore
 * server, next to the restored databases).
 */
export interface PriceLists {
  /**
   * Publishes a run's list all or nothing: the store's rows become those of `tmpCsvPath`, its
   * record becomes `p`, the run becomes 'success' at stage 'publish' with `p.stages`, and the
   * store's restored databases are swapped (staging in: the swap this store was made with).
   * Readers and a crash see either everything before or everything after. Moves no file.
   */
  publish(p: Publication, options?: PublishOptions): Promise<void>;
  /** The store's published list, or null before its first publication. */
  published(store: string): Promise<PublishedList | null>;
  /** published() of many stores at once: those with a list. */
  publishedOf(stores: string[]): Promise<Map<string, PublishedList>>;
  /** The items of the store's published list with their codes, for the search index, in no particular order. */
  items(store: string): Promise<ListedItem[]>;
  /** The price rows of the given items (every item when `kodeitems` is left out), by item, unit size, unit, level and quantity (missing first). */
  prices(store: string, kodeitems?: string[]): Promise<ListedPrice[]>;
}
