import { storeDatabases } from './databases.ts';
import type { RestoreTarget } from './ports.ts';

export interface OfficeStock {
  office: string;
  name: string;
  stok: string;
}

/** The iPOS schema is read here, so its table and column names stay in the pipeline; readRestored pins search_path, hence public.tbl_... */
const OFFICE_STOCK_SQL = `SELECT s.kantor AS office, coalesce(k.namakantor, s.kantor) AS name,
    regexp_replace(regexp_replace(sum(coalesce(s.stok, 0))::text, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '') AS stok
  FROM public.tbl_itemstok s LEFT JOIN public.tbl_kantor k ON k.kodekantor = s.kantor
  WHERE s.kodeitem = $1 GROUP BY s.kantor, k.namakantor ORDER BY s.kantor`;

/** Stock of one item per office, from the store's live iPOS database (tbl_itemstok may repeat rows: summed), as the restore role. */
export async function officeStock(target: Pick<RestoreTarget, 'readRestored'>, store: string, kodeitem: string): Promise<OfficeStock[]> {
  // No live database yet: the card simply shows no stock lines.
  return target.readRestored<OfficeStock>(storeDatabases(store).live, OFFICE_STOCK_SQL, [kodeitem]).catch(() => []);
}
