import { storeDatabases } from './databases.ts';
import { compareRatios } from './decimal-text.ts';
import { code, plain } from './price-rules.ts';
import type { RestoreTarget } from './ports.ts';

/**
 * Items under their minimum stock, per office, read from a store's live iPOS database (the
 * restored copy the last good sync published) as the restore role. This file and item-stock.ts
 * are the only places that know the iPOS stock columns; the rules:
 *
 * - Stock is tbl_itemstok.stok summed per item and office (the table has no key, rows may
 *   repeat; a NULL stock counts as 0, as officeStock reads it), in the item's base unit.
 * - The minimum is tbl_item.stokmin, one per item, the same for every office. NULL, 0 (its
 *   default) or below 0 means "no minimum": such an item is never low, only counted.
 * - An item is low in an office when its summed stock there is below the minimum. A stock below
 *   zero (iPOS sells past zero) is shown as it is: the shortfall is then more than the minimum.
 * - Only offices with a tbl_itemstok row for the item are looked at: an item with a minimum and
 *   no stock row anywhere is counted (noStockRows), never guessed into a stock of 0 somewhere.
 * - Deleted (statushapus 'Y') and not-for-sale (statusjual 'N') items are left out, read as
 *   price-rules.ts reads them (trimmed, any case); those that would have been low are counted.
 */

export interface LowStockRow {
  /** tbl_kantor.kodekantor, and its name (the code again when the office is not in tbl_kantor). */
  office: string;
  officeName: string;
  kodeitem: string;
  namaitem: string;
  /** The item's base unit (tbl_item.satuan), '' when it has none. */
  satuan: string;
  /** Exact decimals as iPOS keeps them, without trailing zeros: "3", "-2", "1.5". */
  stok: string;
  stokmin: string;
  /** stokmin − stok, always above 0. */
  shortfall: string;
}

export interface LowStockCounts {
  /** Office × item rows below the minimum, the items among them, and the offices that have any. */
  rows: number;
  items: number;
  offices: number;
  /** Items left out that were below their minimum in some office: deleted ones, then (not deleted) not for sale. */
  deleted: number;
  notForSale: number;
  /** Items for sale without a minimum (NULL, 0 or below 0). */
  noMinimum: number;
  /** Items for sale with a minimum and no stock row in any office. */
  noStockRows: number;
}

export type LowStockReport =
  | { store: string; live: true; rows: LowStockRow[]; counts: LowStockCounts }
  /** The store has no restored database yet (no sync has succeeded): nothing can be read. */
  | { store: string; live: false };

/** Deleted, else not for sale, else listed: the flags read as the price rules read them (price-rules.ts). */
const STATE = `CASE WHEN ${code('i.statushapus')} = 'Y' THEN 'deleted' WHEN ${code('i.statusjual')} = 'N' THEN 'not-for-sale' ELSE 'listed' END`;

/** Summed stock per item and office, and each item's minimum (NULL when it has none) and state. */
const BASE = `
  stock AS (
    SELECT kodeitem, coalesce(kantor, '') AS kantor, sum(coalesce(stok, 0)) AS stok FROM public.tbl_itemstok GROUP BY 1, 2
  ), items AS (
    SELECT i.kodeitem, i.namaitem, i.satuan, CASE WHEN i.stokmin > 0 THEN i.stokmin END AS stokmin, ${STATE} AS state FROM public.tbl_item i
  )`;

/** The rows below the minimum, by office code, then item code (bytes, as the C collation compares); byShareMissing then orders each office. */
const ROWS_SQL = `WITH ${BASE}
  SELECT s.kantor AS office, coalesce(k.namakantor, s.kantor) AS "officeName", i.kodeitem, coalesce(i.namaitem, '') AS namaitem,
    coalesce(i.satuan, '') AS satuan, ${plain('s.stok')} AS stok, ${plain('i.stokmin')} AS stokmin, ${plain('i.stokmin - s.stok')} AS shortfall
  FROM stock s JOIN items i ON i.kodeitem = s.kodeitem LEFT JOIN public.tbl_kantor k ON k.kodekantor = s.kantor
  WHERE i.state = 'listed' AND s.stok < i.stokmin
  ORDER BY s.kantor COLLATE "C", i.kodeitem COLLATE "C"`;

/**
 * Within an office, the largest share of the minimum missing first (shortfall / stokmin), compared
 * exactly: PostgreSQL's numeric division rounds to a scale that depends on its operands, so two
 * equal shares could come out unequal there. Offices keep the query's order; sort() is stable,
 * so equal shares keep the item code order.
 */
function byShareMissing(a: LowStockRow, b: LowStockRow): number {
  if (a.office !== b.office) return Buffer.compare(Buffer.from(a.office), Buffer.from(b.office));
  return compareRatios(b.shortfall, b.stokmin, a.shortfall, a.stokmin);
}

const COUNTS_SQL = `WITH ${BASE}, low AS (SELECT DISTINCT s.kodeitem FROM stock s JOIN items i ON i.kodeitem = s.kodeitem WHERE s.stok < i.stokmin)
  SELECT count(*) FILTER (WHERE i.state = 'deleted' AND l.kodeitem IS NOT NULL)::integer AS deleted,
    count(*) FILTER (WHERE i.state = 'not-for-sale' AND l.kodeitem IS NOT NULL)::integer AS "notForSale",
    count(*) FILTER (WHERE i.state = 'listed' AND i.stokmin IS NULL)::integer AS "noMinimum",
    count(*) FILTER (WHERE i.state = 'listed' AND i.stokmin IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stock s WHERE s.kodeitem = i.kodeitem))::integer AS "noStockRows"
  FROM items i LEFT JOIN low l ON l.kodeitem = i.kodeitem`;

/** PostgreSQL's invalid_catalog_name: the database does not exist. */
const NO_DATABASE = '3D000';

/**
 * The store's items under their minimum stock (see the rules above), every row: the chat shows the
 * first few (lowStockByOffice), the workbook all. `live: false` before the store's first restore.
 */
export async function lowStockReport(target: Pick<RestoreTarget, 'readRestored'>, store: string): Promise<LowStockReport> {
  const database = storeDatabases(store).live;
  try {
    const rows = (await target.readRestored<LowStockRow>(database, ROWS_SQL)).sort(byShareMissing);
    const [found] = await target.readRestored<Omit<LowStockCounts, 'rows' | 'items' | 'offices'>>(database, COUNTS_SQL);
    const counts: LowStockCounts = {
      rows: rows.length, items: new Set(rows.map((r) => r.kodeitem)).size, offices: new Set(rows.map((r) => r.office)).size,
      deleted: 0, notForSale: 0, noMinimum: 0, noStockRows: 0, ...found,
    };
    return { store, live: true, rows, counts };
  } catch (err) {
    if ((err as { code?: unknown }).code === NO_DATABASE) return { store, live: false };
    throw err;
  }
}

export interface OfficeLowStock {
  office: string;
  officeName: string;
  /** Rows of this office below the minimum, and the first `top` of them (largest share missing first). */
  rows: number;
  top: LowStockRow[];
}

/** The report's rows grouped by office (in the report's order), each cut to its first `top`: what a chat message has room for. */
export function lowStockByOffice(rows: readonly LowStockRow[], top: number): OfficeLowStock[] {
  const offices = new Map<string, OfficeLowStock>();
  for (const r of rows) {
    let o = offices.get(r.office);
    if (!o) offices.set(r.office, (o = { office: r.office, officeName: r.officeName, rows: 0, top: [] }));
    o.rows++;
    if (o.top.length < top) o.top.push(r);
  }
  return [...offices.values()];
}
