import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.ts';
import { Damaged, FileCursor, PastEnd } from './file-cursor.ts';
import {
  COMPRESSION_ALGORITHMS, FORMAT_CUSTOM, MAGIC, NEWEST, OFFSET, OLDEST, SECTIONS, version, writtenBy,
  type CompressionAlgorithm, type DataState, type Section,
} from './archive-format.ts';
import { walkData } from './data-blocks.ts';

export { minimumPgRestoreMajor, serverMajor } from './archive-format.ts';

export interface TocEntry {
  dumpId: number;
  hadDumper: boolean;
  desc: string;
  section: Section;
  namespace: string | null;
  tag: string | null;
  owner: string | null;
  tableAm: string | null;
  dependencies: number[];
  /** SQL that creates the object, and the COPY statement for table data. */
  defn: string | null;
  copyStmt: string | null;
  dataState: DataState;
  dataOffset: number | null;
  /** Bytes of the entry's data block, found by walking its chunks. */
  dataLength: number | null;
}

export interface ArchiveInfo {
  file: string;
  fileSize: number;
  formatVersion: string;
  intSize: number;
  offSize: number;
  compression: { algorithm: CompressionAlgorithm; level: number | null };
  /** When the dump was made, in the dumping machine's local time (the archive stores no zone). */
  dumpTime: string;
  database: string;
  serverVersion: string;
  pgDumpVersion: string;
  entries: TocEntry[];
  countsByKind: Record<string, number>;
}

const refuse = (file: string, what: string) => new AppError('corrupt', 'backup-file', `${path.basename(file)}: ${what}`);
const NEW_BACKUP = 'Take a new backup in iPOS (or wait for the next one) and sync again.';
const TRUNCATED = `The upload or copy of the backup did not finish. ${NEW_BACKUP}`;

/** The dump time and the three names that end the header, in every layout since 1.10. */
async function readHeaderTail(c: FileCursor, intSize: number) {
  const tm = [];
  for (let i = 0; i < 7; i++) tm.push(await c.int(intSize));
  const [sec, min, hour, mday, mon, year] = tm as [number, number, number, number, number, number];
  const p = (n: number) => String(n).padStart(2, '0');
  // struct tm fields as the dumping machine saw them: local time, no zone is stored.
  const dumpTime = `${year + 1900}-${p(mon + 1)}-${p(mday)} ${p(hour)}:${p(min)}:${p(sec)}`;
  const database = (await c.str(intSize)) ?? '';
  const serverVersion = (await c.str(intSize)) ?? '';
  const pgDumpVersion = (await c.str(intSize)) ?? '';
  return { dumpTime, database, serverVersion, pgDumpVersion };
}

/** For a format tokobot does not read: what the header says made it, if the layout still parses. */
async function claimedPgDump(c: FileCursor, intSize: number, algorithmByte: boolean): Promise<string | null> {
  try {
    if (algorithmByte) await c.byte();
    else await c.int(intSize);
    const v = (await readHeaderTail(c, intSize)).pgDumpVersion;
    return /^\d+(\.\d+)*( \(.{1,60}\))?$/.test(v) ? v : null;
  } catch {
    return null;
  }
}

async function readHeader(c: FileCursor, file: string) {
  if (c.size === 0) throw refuse(file, 'the file is empty (0 bytes): the backup was not written or not uploaded. Take a new backup in iPOS.');
  const magic = await c.bytes(Math.min(5, c.size));
  if (c.size < 5 && MAGIC.startsWith(magic.toString('latin1'))) throw refuse(file, `the backup is truncated: the file stops after ${c.size} bytes. ${TRUNCATED}`);
  if (magic.toString('latin1') !== MAGIC) {
    const shown = JSON.stringify(magic.toString('latin1').replace(/[^\x20-\x7e]/g, '?'));
    const hint = magic[0] === 0x50 && magic[1] === 0x4b ? ' It looks like a zip file: name it .zip.' : '';
    throw refuse(file, `not a PostgreSQL custom-format archive (it starts with ${shown}, not "PGDMP"). Is this really an iPOS .i5bu backup?${hint}`);
  }
  const major = await c.byte();
  const minor = await c.byte();
  await c.byte(); // revision
  const intSize = await c.byte();
  const offSize = await c.byte();
  const format = await c.byte();
  const v = version(major, minor);
  if (v < version(...OLDEST) || v > version(...NEWEST)) {
    const claimed = intSize >= 1 && intSize <= 8 ? await claimedPgDump(c, intSize, v >= version(1, 15)) : null;
    const by = claimed ? `pg_dump ${claimed}` : writtenBy(major, minor);
    const todo = v > version(...NEWEST)
      ? 'Update tokobot, or make the backup with pg_dump 17 or older.'
      : 'iPOS 5 backups are never that old: check that this is the right file.';
    throw refuse(file, `archive format ${major}.${minor} is not supported: it was made by ${by}, and tokobot reads formats ` +
      `${OLDEST.join('.')} to ${NEWEST.join('.')} (pg_dump 9.0 to 17). ${todo}`);
  }
  // pg_dump writes sizeof(int) and sizeof(off_t): 4 and 8 on every platform iPOS runs on.
  if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
    throw refuse(file, `the header is damaged (integer size ${intSize}, offset size ${offSize}; expected 4 and 8). Take a new backup.`);
  }
  if (format !== FORMAT_CUSTOM) throw refuse(file, `archive format code ${format} is not the custom format (pg_dump -Fc) that iPOS writes.`);
  let compression: ArchiveInfo['compression'];
  if (v >= version(1, 15)) {
    const code = await c.byte();
    const algorithm = COMPRESSION_ALGORITHMS[code];
    if (!algorithm) throw refuse(file, `unknown compression code ${code} in the header: the file is damaged or made by an unknown pg_dump.`);
    // From 1.15 on only the algorithm is stored, not the level.
    compression = { algorithm, level: null };
  } else {
    const level = await c.int(intSize);
    compression = { algorithm: level === 0 ? 'none' : 'gzip', level };
  }
  const tail = await readHeaderTail(c, intSize);
  return { v, formatVersion: `${major}.${minor}`, intSize, offSize, compression, ...tail };
}

async function readEntry(c: FileCursor, v: number, intSize: number, offSize: number): Promise<TocEntry> {
  const dumpId = await c.int(intSize);
  if (dumpId <= 0) throw new Damaged(`entry id ${dumpId} is out of range`);
  const hadDumper = (await c.int(intSize)) !== 0;
  await c.str(intSize); // table oid
  await c.str(intSize); // oid
  const tag = await c.str(intSize);
  const desc = (await c.str(intSize)) ?? '';
  const section = SECTIONS[await c.int(intSize)] ?? 'none';
  const defn = await c.str(intSize);
  await c.str(intSize); // drop statement
  const copyStmt = await c.str(intSize);
  const namespace = await c.str(intSize);
  await c.str(intSize); // tablespace
  const tableAm = v >= version(1, 14) ? await c.str(intSize) : null;
  if (v >= version(1, 16)) await c.int(intSize); // relkind
  const owner = await c.str(intSize);
  await c.str(intSize); // "with oids", always false since 1.9
  const dependencies: number[] = [];
  for (let dep = await c.str(intSize); dep !== null; dep = await c.str(intSize)) dependencies.push(Number(dep));
  const off = await c.offset(offSize);
  const dataState: DataState = off.flag === OFFSET.set ? 'pos-set' : off.flag === OFFSET.notSet ? 'pos-not-set' : 'no-data';
  if (off.flag !== OFFSET.set && off.flag !== OFFSET.notSet && off.flag !== OFFSET.noData) {
    throw new Damaged(`bad data offset flag ${off.flag} in entry ${dumpId}`);
  }
  return { dumpId, hadDumper, desc, section, namespace, tag, owner, tableAm, dependencies, defn, copyStmt, dataState,
    dataOffset: off.flag === OFFSET.set ? off.value : null, dataLength: null };
}

/**
 * Reads and checks an .i5bu (pg_dump custom-format) archive without any database: the header,
 * the table of contents, and every entry's data block, walked chunk by chunk (lengths only), so
 * that a file cut short anywhere is refused here instead of failing months later. `advice` ends
 * the message of a cut or damaged file (by default: take a new backup in iPOS).
 */
export async function readArchive(file: string, advice = { truncated: TRUNCATED, damaged: NEW_BACKUP }): Promise<ArchiveInfo> {
  const size = (await stat(file)).size;
  const fh = await open(file, 'r');
  try {
    const c = new FileCursor(fh, size);
    let stage = 'the header';
    try {
      const h = await readHeader(c, file);
      stage = 'the table of contents';
      const count = await c.int(h.intSize);
      if (count < 0 || count > 10_000_000) throw new Damaged(`it claims ${count} entries`);
      const entries: TocEntry[] = [];
      for (let i = 0; i < count; i++) {
        stage = `the table of contents (entry ${i + 1} of ${count})`;
        entries.push(await readEntry(c, h.v, h.intSize, h.offSize));
      }
      stage = 'the data';
      await walkData(c, entries, h.intSize, (what) => { stage = what; });
      const countsByKind: Record<string, number> = {};
      for (const e of entries) countsByKind[e.desc] = (countsByKind[e.desc] ?? 0) + 1;
      const { v: _v, ...header } = h;
      return { file, fileSize: size, ...header, entries, countsByKind };
    } catch (err) {
      if (err instanceof PastEnd) {
        throw refuse(file, `the backup is truncated: ${stage} is cut off (${err.message} of the ${size}-byte file). ${advice.truncated}`);
      }
      if (err instanceof Damaged) throw refuse(file, `the backup is damaged: ${stage} is not readable (${err.message}). ${advice.damaged}`);
      throw err;
    }
  } finally {
    await fh.close();
  }
}
