import { AppError } from '../../errors.ts';
import { killPoint } from '../../kill-point.ts';
import type { RestoreTarget } from '../ports.ts';
import type { Verification } from '../../store/backup-log.ts';
import type { MysqlServer, TableCounts } from './ports.ts';
import { openSqlDump } from './backup-files.ts';
import { checkArchive } from './check-backup-file.ts';

/**
 * The scratch database a run's verification restores into: one per run, so that neither two jobs
 * nor two tokobot installations sharing a server (each with its own ops database and run ids
 * that may match, but then never at once on one job lock) collide; crash recovery drops the one
 * of an interrupted run. At most 15 + 40 + 1 + 19 characters: within both servers' 63/64.
 */
export function scratchName(jobId: string, runId: number): string {
  return `tokobot_verify_${jobId.replace(/-/g, '_')}_${runId}`;
}

/** How many tables a restored database holds, and their rows together. */
export async function countPostgresRows(target: Pick<RestoreTarget, 'countRows'>, database: string): Promise<{ tables: number; rows: number }> {
  const counts = Object.values(await target.countRows(database));
  return { tables: counts.length, rows: counts.reduce((a, b) => a + b, 0) };
}

/** Restores a pg_dump archive into a scratch database on the restore target, counts what arrived, and drops it. */
export async function verifyPostgres(target: RestoreTarget, scratch: string, file: string, signal?: AbortSignal): Promise<Verification> {
  await target.dropDatabase(scratch);
  await target.createDatabase(scratch);
  try {
    await target.restore(file, scratch, { signal });
    killPoint('mid-verify');
    const { tables, rows } = await countPostgresRows(target, scratch);
    return { ok: true, detail: `restored into a scratch database: ${tables} tables, ${rows} rows`, tables, rows };
  } finally {
    await target.dropDatabase(scratch).catch(() => undefined);
  }
}

/** Differences between the snapshot's row counts and the restored ones, as readable lines. */
export function countDifferences(expected: TableCounts, actual: TableCounts): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names.flatMap((n) => {
    if (!(n in actual)) return [`${n}: missing after restore`];
    if (!(n in expected)) return [`${n}: not in the dump's snapshot`];
    return expected[n] === actual[n] ? [] : [`${n}: ${expected[n]} rows in the snapshot, ${actual[n]} restored`];
  });
}

/**
 * Loads a gzipped MySQL dump into a scratch database on the same server and compares every
 * table's row count with the snapshot's, then drops the scratch database.
 */
export async function verifyMysql(server: MysqlServer, scratch: string, file: string, snapshot: TableCounts, signal?: AbortSignal): Promise<Verification> {
  await server.dropDatabase(scratch);
  await server.createDatabase(scratch);
  try {
    await server.load(openSqlDump(file), scratch, { signal });
    const restored = await server.countRows(scratch);
    const diffs = countDifferences(snapshot, restored);
    const tables = Object.keys(snapshot).length;
    const rows = Object.values(snapshot).reduce((a, b) => a + b, 0);
    if (diffs.length) {
      throw new AppError('corrupt', 'backup-file', `The backup does not restore to the same data: ${diffs.slice(0, 5).join('; ')}${diffs.length > 5 ? ` (and ${diffs.length - 5} more)` : ''}.`);
    }
    return { ok: true, detail: `loaded into a scratch database: ${tables} tables, ${rows} rows, every count equal to the snapshot`, tables, rows };
  } finally {
    await server.dropDatabase(scratch).catch(() => undefined);
  }
}

/**
 * Rows of one table's COPY text as pg_dump wrote it: one line per row, up to the line `\.` that
 * ends the data (pg_dump writes blank lines after it). Fed in pieces cut anywhere.
 */
class CopyRows {
  rows = 0;
  #ended = false;
  /** The current line's length so far and its first bytes (enough to tell the end line). */
  #length = 0;
  #head = '';

  add(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1 && !this.#ended; nl = chunk.indexOf(10, nl + 1)) {
      const head = (this.#head + chunk.toString('latin1', start, Math.min(nl, start + 3))).slice(0, 3);
      if (this.#length + nl - start === 2 && head === '\\.') this.#ended = true;
      else this.rows++;
      this.#length = 0;
      this.#head = '';
      start = nl + 1;
    }
    if (this.#ended) return;
    this.#length += chunk.length - start;
    if (this.#head.length < 3) this.#head = (this.#head + chunk.toString('latin1', start, Math.min(chunk.length, start + 3))).slice(0, 3);
  }
}

/**
 * A shop agent's verification, without a restore server: reads the whole archive as pg_restore
 * would (checkArchive: header, table of contents, every data block inflated to its end) and
 * counts the tables and rows it read. Weaker than a restore (the server never parses the rows),
 * but it catches a dump that was cut off or damaged.
 */
export async function verifyPostgresByReading(file: string): Promise<Verification> {
  const tables = new Map<number, CopyRows>();
  const read = await checkArchive(file, (entry, chunk) => {
    const rows = tables.get(entry.dumpId) ?? tables.set(entry.dumpId, new CopyRows()).get(entry.dumpId) as CopyRows;
    rows.add(chunk);
  });
  if (!read) return { ok: true, detail: 'read: an archive format newer than tokobot reads; not checked' };
  const withData = read.info.entries.filter((e) => e.desc === 'TABLE DATA').length;
  if (!read.dataRead) {
    return { ok: true, detail: `read the archive's table of contents (${withData} tables); its ${read.info.compression.algorithm} data is checked by pg_restore only`, tables: withData };
  }
  const rows = [...tables.values()].reduce((sum, t) => sum + t.rows, 0);
  return { ok: true, detail: `read the whole archive: ${withData} tables, ${rows} rows`, tables: withData, rows };
}
