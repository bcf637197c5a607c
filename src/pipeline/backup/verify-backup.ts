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
 * A shop agent's verification, without a restore server: reads the whole archive as pg_restore
 * would (checkArchive: header, table of contents, every data block inflated to its end) and
 * counts the tables and rows it read. Weaker than a restore (the server never parses the rows),
 * but it catches a dump that was cut off or damaged.
 */
export async function verifyPostgresByReading(file: string): Promise<Verification> {
  const tables = new Set<number>();
  let rows = 0;
  const read = await checkArchive(file, (entry, chunk) => {
    tables.add(entry.dumpId);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  });
  if (!read) return { ok: true, detail: 'read: an archive format newer than tokobot reads; not checked' };
  const withData = read.info.entries.filter((e) => e.desc === 'TABLE DATA').length;
  const detail = read.dataRead
    ? `read the whole archive: ${withData} tables, ${rows} rows`
    : `read the archive's table of contents (${withData} tables); its ${read.info.compression.algorithm} data is checked by pg_restore only`;
  return { ok: true, detail, tables: withData, rows: read.dataRead ? rows : undefined } as Verification;
}
