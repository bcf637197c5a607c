/**
 * How an iPOS 5 database turns into price list rows. This is the one place that knows the iPOS
 * price columns; the meanings come from public code that reads iPOS databases (see
 * shared/ipos5/README.md), so correct them here if a shop's data says otherwise.
 *
 * - sistemhargajual 'O': one row for the base unit (tbl_item.satuan), price tbl_item.hargajual1.
 * - 'S' (per unit), 'L' (levels), 'J' (quantity tiers): one row per tbl_itemhj row whose tipehj
 *   equals the item's system; rows of another system are stale leftovers and ignored.
 * - konversi and barcode come from tbl_itemsatuanjml for that unit (1 and empty without a row);
 *   cost is that row's hargapokok, else tbl_item.hargapokok × konversi.
 * - stok is the sum over every office and every row (tbl_itemstok has no key), in base units.
 * - Items marked not for sale (statusjual 'N') or deleted (statushapus 'Y', 'T' or '1') are left out.
 */
export const PRICE_COLUMNS = [
  'store', 'kodeitem', 'namaitem', 'jenis', 'merek', 'satuan', 'konversi', 'barcode',
  'sistemhargajual', 'level', 'jmlsampai', 'hargapokok', 'hargajual', 'stok',
] as const;

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

// numeric::text never uses exponent notation; this only strips trailing zeros ("3500.000" → "3500").
const plain = (expr: string) => `regexp_replace(regexp_replace((${expr})::text, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '')`;

/** The export query, run on a restored iPOS database. Ordered for stable files; tables are named with their schema (search_path is pg_catalog alone there). */
export const priceExportSql = (storeId: string) => `
  WITH stock AS (
    SELECT kodeitem, sum(stok) AS stok FROM public.tbl_itemstok GROUP BY kodeitem
  ), items AS (
    SELECT * FROM public.tbl_item
    WHERE upper(trim(coalesce(statusjual, ''))) <> 'N'
      AND upper(trim(coalesce(statushapus, ''))) NOT IN ('Y', 'T', '1')
  ), entries AS (
    SELECT i.kodeitem, i.satuan, NULL::integer AS level, NULL::numeric AS jmlsampai, i.hargajual1 AS hargajual
    FROM items i WHERE i.sistemhargajual = 'O'
    UNION ALL
    SELECT i.kodeitem, h.satuan, h.level, h.jmlsampai, h.hargajual
    FROM items i JOIN public.tbl_itemhj h ON h.kodeitem = i.kodeitem AND h.tipehj = i.sistemhargajual
    WHERE i.sistemhargajual IN ('S', 'L', 'J')
  )
  SELECT ${literal(storeId)}::text AS store, i.kodeitem, i.namaitem, i.jenis, i.merek, e.satuan,
    ${plain('coalesce(u.jumlahkonv, 1)')} AS konversi,
    coalesce(u.kodebarcode, '') AS barcode,
    i.sistemhargajual, e.level,
    ${plain('e.jmlsampai')} AS jmlsampai,
    ${plain('coalesce(u.hargapokok, i.hargapokok * coalesce(u.jumlahkonv, 1))')} AS hargapokok,
    ${plain('e.hargajual')} AS hargajual,
    ${plain('coalesce(s.stok, 0)')} AS stok
  FROM entries e
  JOIN items i ON i.kodeitem = e.kodeitem
  LEFT JOIN LATERAL (
    SELECT jumlahkonv, kodebarcode, hargapokok FROM public.tbl_itemsatuanjml x
    WHERE x.kodeitem = e.kodeitem AND x.satuan = e.satuan
    ORDER BY x.iddetail LIMIT 1
  ) u ON true
  LEFT JOIN stock s ON s.kodeitem = e.kodeitem
  ORDER BY i.kodeitem, e.satuan, e.level NULLS FIRST, e.jmlsampai NULLS FIRST`;
