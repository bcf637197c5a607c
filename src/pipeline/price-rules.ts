/**
 * How an iPOS 5 database turns into price list rows. This is the one place that knows the iPOS
 * price columns; the meanings come from public code that reads iPOS databases (see
 * shared/ipos5/README.md), so correct them here if a shop's data says otherwise.
 *
 * - The price system is tbl_item.sistemhargajual, trimmed and in any case ('j' is 'J'). NULL or
 *   blank is 'J', the column's default in the iPOS schema (varchar(1) DEFAULT 'J'): the schema's
 *   own reading, where leaving the item out would hide an item on sale without a word.
 * - 'O': one row for the base unit (tbl_item.satuan), price tbl_item.hargajual1.
 * - 'S' (per unit), 'L' (levels), 'J' (quantity tiers): one row per tbl_itemhj row whose tipehj
 *   (trimmed, any case) equals the item's system; rows of another system are stale leftovers and
 *   ignored.
 * - Any other code: no reading of it is safe, so the item is left out of the list, and counted with
 *   examples (ruleFindingsSql) in the validation report and in the status, so the owner can fix it.
 * - konversi and barcode come from tbl_itemsatuanjml for that unit (1 and empty without a row);
 *   cost is that row's hargapokok, else tbl_item.hargapokok × konversi.
 * - stok is the sum over every office and every row (tbl_itemstok has no key), in base units.
 * - Flags are iPOS Y/N flags (tbl_item's flag columns that have a default, tipe, serial,
 *   konsinyasi and pendingin, default to 'Y' or 'N'), read trimmed and in any case: deleted means
 *   statushapus 'Y' only, not for sale means statusjual 'N' only. NULL or blank is unset. Any other
 *   value ('T' reads as Indonesian "Tidak", no; '1') keeps the item, as unset would, and is counted
 *   with examples: never guessed into a yes.
 */
export const PRICE_COLUMNS = [
  'store', 'kodeitem', 'namaitem', 'jenis', 'merek', 'satuan', 'konversi', 'barcode',
  'sistemhargajual', 'level', 'jmlsampai', 'hargapokok', 'hargajual', 'stok',
] as const;

/** The price systems this reading knows; see above. */
const PRICE_SYSTEMS = ['O', 'S', 'L', 'J'] as const;
/** tbl_item.sistemhargajual's default in the iPOS schema, for NULL or blank. */
const DEFAULT_SYSTEM = 'J';
/** Examples of each finding kept for the report: enough to find the pattern, few enough for a chat message. */
const EXAMPLES = 5;

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const known = PRICE_SYSTEMS.map(literal).join(', ');

// numeric::text never uses exponent notation; this only strips trailing zeros ("3500.000" → "3500").
export const plain = (expr: string) => `regexp_replace(regexp_replace((${expr})::text, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '')`;
/** A code or flag as the rules read it: trimmed, upper case, '' for NULL. */
export const code = (expr: string) => `upper(trim(coalesce(${expr}, '')))`;
/** The price system of tbl_item `i`, NULL or blank read as the default. */
const SYSTEM = `CASE WHEN ${code('i.sistemhargajual')} = '' THEN ${literal(DEFAULT_SYSTEM)} ELSE ${code('i.sistemhargajual')} END`;
/** For sale and not deleted, tbl_item `i`. */
const LISTED = `${code('i.statusjual')} <> 'N' AND ${code('i.statushapus')} <> 'Y'`;
const oddFlag = (column: 'statusjual' | 'statushapus') => `
    SELECT 'odd-flag'::text AS kind, i.kodeitem, '${column}'::text AS field, i.${column}::text AS value
    FROM public.tbl_item i WHERE ${code(`i.${column}`)} NOT IN ('', 'Y', 'N')`;

/** The export query, run on a restored iPOS database. Ordered for stable files; tables are named with their schema (search_path is pg_catalog alone there). */
export const priceExportSql = (storeId: string) => `
  WITH stock AS (
    SELECT kodeitem, sum(stok) AS stok FROM public.tbl_itemstok GROUP BY kodeitem
  ), items AS (
    SELECT i.*, ${SYSTEM} AS price_system FROM public.tbl_item i WHERE ${LISTED}
  ), entries AS (
    SELECT i.kodeitem, i.satuan, NULL::integer AS level, NULL::numeric AS jmlsampai, i.hargajual1 AS hargajual
    FROM items i WHERE i.price_system = 'O'
    UNION ALL
    SELECT i.kodeitem, h.satuan, h.level, h.jmlsampai, h.hargajual
    FROM items i JOIN public.tbl_itemhj h ON h.kodeitem = i.kodeitem AND ${code('h.tipehj')} = i.price_system
    WHERE i.price_system IN ('S', 'L', 'J')
  )
  SELECT ${literal(storeId)}::text AS store, i.kodeitem, i.namaitem, i.jenis, i.merek, e.satuan,
    ${plain('coalesce(u.jumlahkonv, 1)')} AS konversi,
    coalesce(u.kodebarcode, '') AS barcode,
    i.price_system AS sistemhargajual, e.level,
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

/** The tbl_item columns whose odd values are reported. */
export const RULE_COLUMNS = ['sistemhargajual', 'statusjual', 'statushapus'] as const;

/** An item a rule read without a sure meaning: its code, the column and the value as stored. */
interface RuleExample {
  kodeitem: string;
  column: (typeof RULE_COLUMNS)[number];
  value: string;
}

/** How many items a rule applied to, with the first few of them by item code. */
interface RuleCount {
  items: number;
  examples: RuleExample[];
}

/** What the export left out or kept on a reading the owner should check; see the rules above. */
export interface PriceRuleFindings {
  /** Items for sale and not deleted, left out: their sistemhargajual is none of O, S, L, J. */
  unknownSystem: RuleCount;
  /** Items whose statusjual or statushapus is neither Y nor N nor unset: kept, read as unset. */
  oddFlags: RuleCount;
}

/** A row of ruleFindingsSql: one per kind that has items. */
export interface RuleFindingRow {
  kind: 'unknown-system' | 'odd-flag';
  items: number;
  examples: RuleExample[];
}

/** The counts and up to EXAMPLES examples of each finding, run on the same restored database as the export, by the same rules. */
export const ruleFindingsSql = () => `
  WITH odd AS (
    SELECT 'unknown-system'::text AS kind, i.kodeitem, 'sistemhargajual'::text AS field, i.sistemhargajual::text AS value
    FROM public.tbl_item i WHERE ${LISTED} AND ${SYSTEM} NOT IN (${known})
    UNION ALL ${oddFlag('statusjual')}
    UNION ALL ${oddFlag('statushapus')}
  ), numbered AS (
    SELECT o.*, row_number() OVER (PARTITION BY o.kind ORDER BY o.kodeitem COLLATE "C", o.field) AS n FROM odd o
  )
  SELECT kind, count(DISTINCT kodeitem)::integer AS items,
    json_agg(json_build_object('kodeitem', kodeitem, 'column', field, 'value', value) ORDER BY n) FILTER (WHERE n <= ${EXAMPLES}) AS examples
  FROM numbered GROUP BY kind ORDER BY kind`;

/** The findings of ruleFindingsSql's rows (kinds without a row had no items). */
export function ruleFindings(rows: RuleFindingRow[]): PriceRuleFindings {
  const of = (kind: RuleFindingRow['kind']): RuleCount => {
    const row = rows.find((r) => r.kind === kind);
    return row ? { items: row.items, examples: row.examples.slice(0, EXAMPLES) } : { items: 0, examples: [] };
  };
  return { unknownSystem: of('unknown-system'), oddFlags: of('odd-flag') };
}

/** Control characters of a stored value, shown as '?' so that a value cannot break a line of a message. */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, '?');

/** "A 'X', B statushapus 'T'": the column is left out where the finding names it already. */
export function examplesText(count: RuleCount, column?: RuleExample['column']): string {
  return count.examples.map((e) => `${printable(e.kodeitem)} ${e.column === column ? '' : `${e.column} `}'${printable(e.value)}'`).join(', ');
}
