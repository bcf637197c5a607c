import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Connection, FieldPacket } from 'mysql2';
import { SQL_DUMP_END, type TableCounts } from '../../pipeline/backup/ports.ts';
import { run } from './mysql-connection.ts';
import { InsertBatcher, quoteIdentifier as q, quoteString } from './sql-values.ts';

/**
 * Writes one database as SQL text from one consistent snapshot, in the order the mysql client can
 * replay it: tables with their rows, then routines, views, triggers (after the rows, so loading
 * the rows does not fire them).
 *
 * DEFINER clauses are stripped from views, routines and triggers: the account that restores
 * becomes their definer, so a restore does not need SUPER / SET USER for the original one.
 */

export interface DumpOptions {
  signal?: AbortSignal;
  onRows?: (rows: number) => void;
}

type Row = Record<string, unknown>;
interface Column { name: string; select: string }
interface RowPacket { buffer: Buffer; offset: number; end: number; isEOF(): boolean }
type RowStep = (packet: RowPacket, connection: unknown) => unknown;

const ROWS_PER_REPORT = 10_000;

const HEADER = `SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT, @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS, @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION;
SET NAMES utf8mb4;
SET @OLD_TIME_ZONE=@@TIME_ZONE, TIME_ZONE='+00:00';
SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;
SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;
SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO';
`;

const FOOTER = `
SET SQL_MODE=@OLD_SQL_MODE;
SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;
SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS;
SET TIME_ZONE=@OLD_TIME_ZONE;
SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT, CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS, COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION;
${SQL_DUMP_END}
`;

const DEFINER = /\bDEFINER\s*=\s*(?:`(?:[^`]|``)*`|'(?:[^'\\]|\\.)*'|[^\s@]+)\s*@\s*(?:`(?:[^`]|``)*`|'(?:[^'\\]|\\.)*'|[^\s]+)\s*/i;

function withoutDefiner(create: string): string {
  return create.replace(DEFINER, '');
}

/** Columns whose values INSERT cannot set: generated ones and MariaDB's system-versioning period. */
const NOT_INSERTABLE = /(?<!DEFAULT_)\bGENERATED\b|\bROW (START|END)\b/i;

export class SqlDumper {
  private rows = 0;
  private reported = 0;

  constructor(private readonly conn: Connection, private readonly database: string, private readonly out: Writable,
    private readonly options: DumpOptions) {}

  async dump(): Promise<TableCounts> {
    await this.startSnapshot();
    const objects = await run<[string, string][]>(this.conn, { sql: 'SHOW FULL TABLES', rowsAsArray: true });
    const names = (kind: (t: string) => boolean) => objects.filter(([, t]) => kind(t)).map(([n]) => n).sort();
    const tables = names((t) => t !== 'VIEW' && t !== 'SEQUENCE');
    const views = names((t) => t === 'VIEW');
    const columns = await this.columns();

    await this.write(`-- tokobot dump of database ${q(this.database)}, one consistent snapshot\n\n${HEADER}`);
    const counts: TableCounts = {};
    for (const table of tables) counts[table] = await this.table(table, columns.get(table) ?? []);
    this.options.onRows?.(this.rows);
    await this.routines();
    await this.views(views, columns);
    await this.triggers();
    await this.write(FOOTER);
    await run(this.conn, 'COMMIT');
    return counts;
  }

  private async startSnapshot(): Promise<void> {
    // time_zone +00:00 makes TIMESTAMP values come out as stored, matching the dump's header;
    // an empty sql_mode makes SHOW CREATE quote with backticks whatever the server's default.
    await run(this.conn, "SET SESSION time_zone = '+00:00', SESSION sql_mode = '', SESSION net_write_timeout = 3600");
    await run(this.conn, 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await run(this.conn, 'START TRANSACTION WITH CONSISTENT SNAPSHOT');
  }

  /** Table → the columns INSERT can set, in table order. */
  private async columns(): Promise<Map<string, Column[]>> {
    const rows = await run<Row[]>(this.conn, `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS type, EXTRA AS extra
      FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`, [this.database]);
    const byTable = new Map<string, Column[]>();
    for (const r of rows) {
      if (NOT_INSERTABLE.test(String(r.extra ?? ''))) continue;
      const list = byTable.get(r.t as string) ?? [];
      const name = r.c as string;
      // The server prints FLOAT with 6 digits, which does not always read back as the same
      // value; as a DOUBLE it prints every digit the FLOAT holds.
      list.push({ name, select: String(r.type).toLowerCase() === 'float' ? `${q(name)} + 0e0` : q(name) });
      byTable.set(r.t as string, list);
    }
    return byTable;
  }

  private async table(table: string, columns: Column[]): Promise<number> {
    const [create] = await run<Row[]>(this.conn, `SHOW CREATE TABLE ${q(table)}`);
    await this.write(`\n-- Table ${q(table)}\nDROP TABLE IF EXISTS ${q(table)};\n${create?.['Create Table']};\n\n`);
    if (!columns.length) return 0;
    return this.rowsOf(table, columns);
  }

  /** Streams one table's rows into INSERT statements, pausing the server while `out` is full. */
  private rowsOf(table: string, columns: Column[]): Promise<number> {
    const { conn, out, options } = this;
    return new Promise<number>((resolve, reject) => {
      let count = 0;
      let batcher: InsertBatcher | null = null;
      let settled = false;
      const finish = (err: unknown) => {
        if (settled) return;
        settled = true;
        out.off('drain', resume);
        out.off('error', finish);
        out.off('close', closed);
        options.signal?.removeEventListener('abort', finish);
        if (err) reject(err);
        else resolve(count);
      };
      const resume = () => conn.resume();
      const closed = () => finish(new Error('the output closed before the dump ended'));
      const emit = (statement: Buffer) => out.write(statement);
      const query = conn.query({ sql: `SELECT ${columns.map((c) => c.select).join(',')} FROM ${q(table)}`, rowsAsArray: true, typeCast: false });
      query.on('fields', (fields: FieldPacket[]) => {
        batcher = new InsertBatcher(table, columns.map((c) => c.name), fields, emit);
      });
      // mysql2 would turn each row into an array of Buffer slices, which costs more than the whole
      // dump; the query's row step (mysql2 3.x: a method returning the next step) is replaced by
      // one that copies the values straight from the packet.
      const command = query as unknown as { row: RowStep };
      const baseRow = Object.getPrototypeOf(command).row as RowStep | undefined;
      if (typeof baseRow !== 'function') throw new Error('this mysql2 version has no Query.row step; the dump needs mysql2 3.x');
      const row: RowStep = (packet, connection) => {
        if (packet.isEOF()) return baseRow.call(command, packet, connection);
        if (settled) return row;
        count++;
        if (!(batcher as InsertBatcher).addRow(packet.buffer, packet.offset, packet.end)) conn.pause();
        if (++this.rows - this.reported >= ROWS_PER_REPORT && options.onRows) {
          this.reported = this.rows;
          options.onRows(this.rows);
        }
        return row;
      };
      command.row = row;
      query.on('error', finish);
      query.on('end', () => {
        if (settled) return;
        if (batcher && !batcher.flush()) {
          once(out, 'drain').then(() => finish(null), finish);
        } else finish(null);
      });
      out.on('drain', resume);
      out.on('error', finish);
      out.on('close', closed);
      options.signal?.addEventListener('abort', finish);
    });
  }

  private async routines(): Promise<void> {
    const list = await run<Row[]>(this.conn, `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION') ORDER BY ROUTINE_TYPE, ROUTINE_NAME`, [this.database]);
    for (const { name, type } of list as { name: string; type: 'PROCEDURE' | 'FUNCTION' }[]) {
      const [row] = await run<Row[]>(this.conn, `SHOW CREATE ${type} ${q(name)}`);
      const create = row?.[type === 'PROCEDURE' ? 'Create Procedure' : 'Create Function'];
      if (typeof create !== 'string') {
        throw new Error(`the user may not read the definition of ${type.toLowerCase()} ${name}; grant it SELECT on mysql.proc (MariaDB) or SHOW_ROUTINE (MySQL 8)`);
      }
      await this.write(`\n-- ${type === 'PROCEDURE' ? 'Procedure' : 'Function'} ${q(name)}\nDROP ${type} IF EXISTS ${q(name)};\n`
        + compound(withoutDefiner(create), String(row?.sql_mode ?? '')));
    }
  }

  /**
   * Views go in twice: first a stand-in view with the same column names, then the real ones
   * (CREATE OR REPLACE), so a view built on another view loads whatever the order.
   */
  private async views(views: string[], columns: Map<string, Column[]>): Promise<void> {
    if (!views.length) return;
    let text = '\n-- Stand-ins for the views, replaced below\n';
    for (const view of views) {
      const cols = (columns.get(view) ?? [{ name: 'x' }]).map((c) => `1 AS ${q(c.name)}`).join(', ');
      text += `DROP TABLE IF EXISTS ${q(view)};\nDROP VIEW IF EXISTS ${q(view)};\nCREATE VIEW ${q(view)} AS SELECT ${cols};\n`;
    }
    await this.write(text);
    for (const view of views) {
      const [row] = await run<Row[]>(this.conn, `SHOW CREATE VIEW ${q(view)}`);
      const create = withoutDefiner(String(row?.['Create View'])).replace(/^CREATE\s+/i, 'CREATE OR REPLACE ');
      await this.write(`\n-- View ${q(view)}\n${create};\n`);
    }
  }

  private async triggers(): Promise<void> {
    const list = await run<Row[]>(this.conn, `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
      ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER`, [this.database]);
    for (const { name } of list as { name: string }[]) {
      const [row] = await run<Row[]>(this.conn, `SHOW CREATE TRIGGER ${q(name)}`);
      await this.write(`\n-- Trigger ${q(name)}\nDROP TRIGGER IF EXISTS ${q(name)};\n`
        + compound(withoutDefiner(String(row?.['SQL Original Statement'])), String(row?.sql_mode ?? '')));
    }
  }

  private async write(text: string): Promise<void> {
    if (this.options.signal?.aborted) throw this.options.signal.reason;
    if (!this.out.write(text)) await once(this.out, 'drain', { signal: this.options.signal });
  }
}

/** A routine or trigger body, in its own sql_mode, between DELIMITER lines as the mysql client wants. */
function compound(create: string, sqlMode: string): string {
  return `SET @saved_sql_mode = @@sql_mode;\nSET sql_mode = ${quoteString(sqlMode)};\nDELIMITER ;;\n${create} ;;\nDELIMITER ;\n`
    + 'SET sql_mode = @saved_sql_mode;\n';
}
