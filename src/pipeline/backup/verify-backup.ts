import { killPoint } from '../../kill-point.ts';
import type { RestoreTarget } from '../ports.ts';
import type { RestoreCheck, Verification } from '../../store/backup-log.ts';
import { restoreCheckDetail } from '../../i18n/restore-check-words.ts';
import type { MysqlServer, TableCounts } from './ports.ts';
import { openSqlDump } from './backup-files.ts';
import { archiveRows, compareRows, mismatchError, notMade } from './restore-check.ts';

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
  return totals(await target.countRows(database));
}

const totals = (counts: TableCounts) => ({ tables: Object.keys(counts).length, rows: Object.values(counts).reduce((a, b) => a + b, 0) });

/**
 * A verification whose restore gave other rows than the source's is not ok: the caller records
 * it (so the run keeps which tables differ) and then fails with mismatchError.
 */
function verdict(what: string, equal: string, counted: { tables: number; rows: number }, check: RestoreCheck): Verification {
  const { tables, rows } = counted;
  if (check.mismatches) return { ok: false, detail: mismatchError(check).message, tables, rows, restoreCheck: check };
  const compared = check.notMade ? `; ${restoreCheckDetail(check, 'en')}` : `, ${equal}`;
  return { ok: true, detail: `${what}: ${tables} tables, ${rows} rows${compared}`, tables, rows, restoreCheck: check };
}

/**
 * Restores a pg_dump archive into a scratch database on the restore target, compares each table's
 * rows with the archive's (what pg_dump read from the source, in its snapshot), and drops it.
 * The archive is read once first (checkArchive: a damaged one is refused before any restore).
 */
export async function verifyPostgres(target: RestoreTarget, scratch: string, file: string, signal?: AbortSignal): Promise<Verification> {
  const source = await archiveRows(file);
  signal?.throwIfAborted();
  await target.dropDatabase(scratch);
  await target.createDatabase(scratch);
  try {
    await target.restore(file, scratch, { signal });
    killPoint('mid-verify');
    const restored = await target.countRows(scratch);
    const check = source.counts ? compareRows(source.counts, restored, { sourceTablesOnly: true }) : notMade(source.gap ?? 'newer-format');
    return verdict('restored into a scratch database', "every table's rows equal to the archive's", totals(restored), check);
  } finally {
    await target.dropDatabase(scratch).catch(() => undefined);
  }
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
    const check = compareRows(snapshot, await server.countRows(scratch));
    return verdict('loaded into a scratch database', 'every count equal to the snapshot', totals(snapshot), check);
  } finally {
    await server.dropDatabase(scratch).catch(() => undefined);
  }
}

/**
 * A shop agent's verification, without a restore server: reads the whole archive as pg_restore
 * would (checkArchive: header, table of contents, every data block inflated to its end) and
 * counts the tables and rows it read. Weaker than a restore (the server never parses the rows),
 * but it catches a dump that was cut off or damaged.
 */
export async function verifyPostgresByReading(file: string): Promise<Verification> {
  const read = await archiveRows(file);
  if (read.tables === undefined) return { ok: true, detail: 'read: an archive format newer than tokobot reads; not checked' };
  if (!read.counts) {
    return { ok: true, detail: `read the archive's table of contents (${read.tables} tables); its ${read.compression} data is checked by pg_restore only`, tables: read.tables };
  }
  const rows = Object.values(read.counts).reduce((sum, n) => sum + n, 0);
  return { ok: true, detail: `read the whole archive: ${read.tables} tables, ${rows} rows`, tables: read.tables, rows };
}
