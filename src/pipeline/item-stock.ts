import pg from 'pg';
import { storeDatabases } from './databases.ts';
import type { RestoreTarget } from './ports.ts';
import { restoredConnection } from './restored-database.ts';

export interface OfficeStock {
  office: string;
  name: string;
  stok: string;
}

/** Stock of one item per office, from the store's live iPOS database (tbl_itemstok may repeat rows: summed), as the restore role. */
export async function officeStock(target: RestoreTarget, store: string, kodeitem: string): Promise<OfficeStock[]> {
  const client = new pg.Client(restoredConnection(target, storeDatabases(store).live));
  try {
    await client.connect();
    const res = await client.query(
      `SELECT s.kantor AS office, coalesce(k.namakantor, s.kantor) AS name,
              regexp_replace(regexp_replace(sum(coalesce(s.stok, 0))::text, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '') AS stok
       FROM public.tbl_itemstok s LEFT JOIN public.tbl_kantor k ON k.kodekantor = s.kantor
       WHERE s.kodeitem = $1 GROUP BY s.kantor, k.namakantor ORDER BY s.kantor`, [kodeitem]);
    return res.rows;
  } catch {
    return []; // no live database yet: the card simply shows no stock lines
  } finally {
    await client.end().catch(() => undefined);
  }
}
