import { localConnection, queryOn } from './local-pg.ts';

const query = queryOn(localConnection);

export type Snapshot = Record<string, unknown[]>;

/** Everything a restore decides, in a form that differs only when the databases do. */
export async function snapshot(db: string): Promise<Snapshot> {
  const q = async (sql: string) => (await query(db, sql)).rows;
  const user = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";
  const tables = await q(`SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND ${user} ORDER BY 1, 2`);
  const rows: unknown[] = [];
  for (const t of tables) {
    const id = `"${t.schema}"."${t.name}"`;
    rows.push({ table: id, ...(await q(`SELECT count(*)::int AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM ${id} t`))[0] });
  }
  return {
    tables,
    columns: await q(`SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND ${user} ORDER BY 1, a.attnum`),
    constraints: await q(`SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE ${user} ORDER BY 1, 2`),
    indexes: await q(`SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`),
    triggers: await q('SELECT tgrelid::regclass::text AS rel, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2'),
    functions: await q(`SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${user} ORDER BY 1`),
    sequences: await q("SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname <> 'pg_catalog' ORDER BY 1, 2"),
    comments: await q(`SELECT c.relname, d.objsubid, d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
      AND d.classoid = 'pg_class'::regclass ORDER BY 1, 2`),
    largeObjects: await q('SELECT oid::text, md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY 1'),
    rows,
  };
}
