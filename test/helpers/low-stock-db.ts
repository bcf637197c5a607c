import pg from 'pg';
import { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import type { LowStockRow } from '../../src/pipeline/low-stock.ts';
import { createTableStatements } from '../fixtures/ipos-schema.ts';
import { dropScratchDb, LOCAL_PG_URL, TEST_RESTORE_ROLE } from './local-pg.ts';

/**
 * A store's live iPOS database for the stock tests: tbl_kantor, tbl_item and tbl_itemstok as the
 * iPOS schema declares them (ipos-schema.json), made and filled by the restore role as a restore
 * would leave them, on this machine's PostgreSQL. Every stock rule has an item:
 *
 * | item | stokmin | flags            | stock rows                  | expected                           |
 * |------|---------|------------------|-----------------------------|------------------------------------|
 * | A1   | 10      |                  | UTM 3 + 4 (repeated), CBG 12| low in UTM (7), not in CBG         |
 * | A2   | 5.5     |                  | UTM 1.25, CBG -2            | low in both; CBG shows -2          |
 * | A3   | NULL    |                  | UTM 0                       | no minimum                         |
 * | A4   | 0       |                  | UTM -5                      | no minimum                         |
 * | A5   | 20      |                  | UTM 20, CBG 19.5            | equal is not low; low in CBG       |
 * | A6   | 10      | statushapus 'Y'  | UTM 1                       | left out, counted deleted          |
 * | A7   | 10      | statusjual 'N'   | UTM 1                       | left out, counted not for sale     |
 * | A8   | 5       | statushapus ' y '| UTM 10                      | deleted, not low: not counted      |
 * | A9   | 3       |                  | none                        | counted: no stock rows             |
 * | A10  | 2       |                  | UTM NULL                    | low in UTM (NULL is 0)             |
 * | A11  | 4       | statusjual 'T'   | CBG 1                       | kept (odd flag read as unset): low |
 * | A12  | -1      |                  | UTM 0                       | no minimum                         |
 * | A13  | 3       |                  | UTM 2                       | low; a third missing               |
 * | A14  | 1.5     |                  | UTM 1                       | low; a third missing: after A13    |
 */
const OFFICES = [['UTM', 'Toko Utama'], ['CBG', 'Cabang Barat']];
const ITEMS: [string, string, string, string | null, string | null, string | null][] = [
  // kodeitem, namaitem, satuan, stokmin, statusjual, statushapus
  ['A1', 'INDOMIE GORENG', 'PCS', '10', 'Y', 'N'],
  ['A2', 'GULA PASIR', 'KG', '5.5', null, null],
  ['A3', 'TEH CELUP', 'BOX', null, 'Y', 'N'],
  ['A4', 'KOPI BUBUK', 'PCS', '0', 'Y', 'N'],
  ['A5', 'BERAS 5KG', 'SAK', '20', 'Y', 'N'],
  ['A6', 'SABUN LAMA', 'PCS', '10', 'Y', 'Y'],
  ['A7', 'ROKOK', 'BKS', '10', 'N', 'N'],
  ['A8', 'SAMPO LAMA', 'PCS', '5', 'Y', ' y '],
  ['A9', 'MINYAK BARU', 'LTR', '3', 'Y', 'N'],
  ['A10', 'TELUR', 'KG', '2', 'Y', 'N'],
  ['A11', 'SUSU KALENG', 'KLG', '4', 'T', 'N'],
  ['A12', 'KECAP', 'BTL', '-1', 'Y', 'N'],
  ['A13', 'GARAM', 'PCS', '3', 'Y', 'N'],
  ['A14', 'MERICA', 'KG', '1.5', 'Y', 'N'],
];
const STOCK: [string, string, string | null][] = [
  ['A1', 'UTM', '3'], ['A1', 'UTM', '4'], ['A1', 'CBG', '12'],
  ['A2', 'UTM', '1.25'], ['A2', 'CBG', '-2'],
  ['A3', 'UTM', '0'], ['A4', 'UTM', '-5'],
  ['A5', 'UTM', '20'], ['A5', 'CBG', '19.5'],
  ['A6', 'UTM', '1'], ['A7', 'UTM', '1'], ['A8', 'UTM', '10'],
  ['A10', 'UTM', null], ['A11', 'CBG', '1'], ['A12', 'UTM', '0'],
  ['A13', 'UTM', '2'], ['A14', 'UTM', '1'],
];

/** The rows the rules give for the data above, in the report's order (office code, then largest share of the minimum missing). */
export const EXPECTED_ROWS: LowStockRow[] = [
  { office: 'CBG', officeName: 'Cabang Barat', kodeitem: 'A2', namaitem: 'GULA PASIR', satuan: 'KG', stok: '-2', stokmin: '5.5', shortfall: '7.5' },
  { office: 'CBG', officeName: 'Cabang Barat', kodeitem: 'A11', namaitem: 'SUSU KALENG', satuan: 'KLG', stok: '1', stokmin: '4', shortfall: '3' },
  { office: 'CBG', officeName: 'Cabang Barat', kodeitem: 'A5', namaitem: 'BERAS 5KG', satuan: 'SAK', stok: '19.5', stokmin: '20', shortfall: '0.5' },
  { office: 'UTM', officeName: 'Toko Utama', kodeitem: 'A10', namaitem: 'TELUR', satuan: 'KG', stok: '0', stokmin: '2', shortfall: '2' },
  { office: 'UTM', officeName: 'Toko Utama', kodeitem: 'A2', namaitem: 'GULA PASIR', satuan: 'KG', stok: '1.25', stokmin: '5.5', shortfall: '4.25' },
  { office: 'UTM', officeName: 'Toko Utama', kodeitem: 'A13', namaitem: 'GARAM', satuan: 'PCS', stok: '2', stokmin: '3', shortfall: '1' },
  { office: 'UTM', officeName: 'Toko Utama', kodeitem: 'A14', namaitem: 'MERICA', satuan: 'KG', stok: '1', stokmin: '1.5', shortfall: '0.5' },
  { office: 'UTM', officeName: 'Toko Utama', kodeitem: 'A1', namaitem: 'INDOMIE GORENG', satuan: 'PCS', stok: '7', stokmin: '10', shortfall: '3' },
];
export const EXPECTED_COUNTS = { rows: 8, items: 7, offices: 2, deleted: 1, notForSale: 1, noMinimum: 3, noStockRows: 1 };

const TABLES = new Set(['tbl_kantor', 'tbl_item', 'tbl_itemstok']);

/** The restore target of this machine's PostgreSQL, and a store whose live database holds the data above; drop() removes it. */
export async function lowStockStore(store: string): Promise<{ target: ExternalPostgres; drop: () => Promise<void> }> {
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE });
  await target.ensure();
  const database = storeDatabases(store).live;
  await dropScratchDb(database);
  await target.createDatabase(database);
  const drop = () => dropScratchDb(database);
  const c = new pg.Client(target.restoreConnection(database));
  try {
    await c.connect();
    for (const sql of createTableStatements()) if (TABLES.has(/^CREATE TABLE (\w+)/.exec(sql)?.[1] ?? '')) await c.query(sql);
    for (const [code, name] of OFFICES) await c.query('INSERT INTO tbl_kantor (kodekantor, namakantor) VALUES ($1, $2)', [code, name]);
    for (const item of ITEMS) {
      await c.query('INSERT INTO tbl_item (kodeitem, namaitem, satuan, stokmin, statusjual, statushapus) VALUES ($1, $2, $3, $4, $5, $6)', item);
    }
    for (const row of STOCK) await c.query('INSERT INTO tbl_itemstok (kodeitem, kantor, stok) VALUES ($1, $2, $3)', row);
  } catch (err) {
    await drop();
    throw err;
  } finally {
    await c.end().catch(() => undefined);
  }
  return { target, drop };
}
