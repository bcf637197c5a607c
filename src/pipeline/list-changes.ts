import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedList } from '../store/price-lists.ts';
import { comparePriceFiles, type PriceChange } from './price-changes.ts';
import { exportDir } from './sync/work-files.ts';

/** An item that came or went, by its code and name. */
export interface ChangedItem {
  kodeitem: string;
  namaitem: string;
}

/** A selling price that changed: one unit, level or quantity tier of an item. */
export interface ChangedPrice extends ChangedItem {
  satuan: string;
  level: string;
  jmlsampai: string;
  before: string;
  after: string;
}

/** What the newest publication changed against the one before it (first `shown` of each kind, and how many in all). */
export interface ListChanges {
  /** The file of the list before, or null when none is kept (EXPORT_KEEP=1, or the first publication). */
  previousFile: string | null;
  added: ChangedItem[];
  removed: ChangedItem[];
  prices: ChangedPrice[];
  counts: { added: number; removed: number; prices: number };
}

/** Of each kind, the page shows this many: enough to read, not a second price list. */
export const SHOWN_CHANGES = 50;

/** The published CSV kept just before `current` in the store's export folder (names carry a sortable time), or null. */
export async function previousExport(dataDir: string, store: string, current: string): Promise<string | null> {
  const dir = exportDir(dataDir, store);
  const name = path.basename(current);
  const older = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.csv') && n < name).sort();
  return older.length ? path.join(dir, older.at(-1)!) : null;
}

/**
 * Items added and removed and selling prices changed between two published lists, read from the
 * CSV files the syncs keep (EXPORT_KEEP of them): the ops database keeps only the current list.
 * The comparison is the one each publication records (price-changes.ts); this is its view for the
 * store page, of the kinds it shows.
 */
export async function listChanges(previousFile: string | null, currentFile: string): Promise<ListChanges> {
  if (!previousFile) return { previousFile: null, added: [], removed: [], prices: [], counts: { added: 0, removed: 0, prices: 0 } };
  const all = await comparePriceFiles(previousFile, currentFile);
  const item = ({ kodeitem, namaitem }: PriceChange) => ({ kodeitem, namaitem });
  const added = all.filter((c) => c.kind === 'item-added').map(item);
  const removed = all.filter((c) => c.kind === 'item-removed').map(item);
  const prices = all.filter((c) => c.kind === 'price-up' || c.kind === 'price-down')
    .map((c) => ({ ...item(c), satuan: c.satuan, level: c.level, jmlsampai: c.jmlsampai, before: c.before ?? '', after: c.after ?? '' }));
  return {
    previousFile: path.basename(previousFile),
    added: added.slice(0, SHOWN_CHANGES), removed: removed.slice(0, SHOWN_CHANGES), prices: prices.slice(0, SHOWN_CHANGES),
    counts: { added: added.length, removed: removed.length, prices: prices.length },
  };
}

/**
 * listChanges of each store's newest publication against the one before, remembered until the
 * next publication (published files never change): a store page costs two reads of the list
 * once per sync, not per view. Null before the first publication or when its file is gone.
 */
export function publishedChanges(dataDir: string, published: (store: string) => Promise<Pick<PublishedList, 'csvPath'> | null>) {
  const known = new Map<string, { key: string; changes: Promise<ListChanges | null> }>();
  return async (store: string): Promise<ListChanges | null> => {
    const current = (await published(store))?.csvPath;
    if (!current) return null;
    const previous = await previousExport(dataDir, store, current);
    const key = `${previous}|${current}`;
    const hit = known.get(store);
    if (hit?.key === key) return hit.changes;
    const changes = listChanges(previous, current).catch(() => null); // a file removed meanwhile: no changes to show
    known.set(store, { key, changes });
    return changes;
  };
}
