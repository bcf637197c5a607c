import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type Detail } from '../../errors.ts';
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

const refuse = (file: string, what: Detail) => new AppError('corrupt', 'backup-file', { en: `${path.basename(file)}: ${what.en}`, id: `${path.basename(file)}: ${what.id}` });
const NEW_BACKUP: Detail = {
  en: 'Take a new backup in iPOS (or wait for the next one) and sync again.',
  id: 'Buat backup baru di iPOS (atau tunggu yang berikutnya), lalu sync lagi.',
};
const TRUNCATED: Detail = {
  en: `The upload or copy of the backup did not finish. ${NEW_BACKUP.en}`,
  id: `Unggahan atau salinan backup ini belum selesai. ${NEW_BACKUP.id}`,
};

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
  if (c.size === 0) throw refuse(file, {
    en: 'the file is empty (0 bytes): the backup was not written or not uploaded. Take a new backup in iPOS.',
    id: 'file ini kosong (0 byte): backup tidak tertulis atau tidak terunggah. Buat backup baru di iPOS.',
  });
  const magic = await c.bytes(Math.min(5, c.size));
  if (c.size < 5 && MAGIC.startsWith(magic.toString('latin1'))) throw refuse(file, {
    en: `the backup is truncated: the file stops after ${c.size} bytes. ${TRUNCATED.en}`,
    id: `file backup terpotong: file berhenti setelah ${c.size} byte. ${TRUNCATED.id}`,
  });
  if (magic.toString('latin1') !== MAGIC) {
    const shown = JSON.stringify(magic.toString('latin1').replace(/[^\x20-\x7e]/g, '?'));
    const zip = magic[0] === 0x50 && magic[1] === 0x4b;
    throw refuse(file, {
      en: `not a PostgreSQL custom-format archive (it starts with ${shown}, not "PGDMP"). Is this really an iPOS .i5bu backup?${zip ? ' It looks like a zip file: name it .zip.' : ''}`,
      id: `ini bukan arsip PostgreSQL format custom (diawali ${shown}, bukan "PGDMP"). Benarkah ini backup iPOS .i5bu?${zip ? ' Sepertinya ini file zip: beri nama berakhiran .zip.' : ''}`,
    });
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
    const newer = v > version(...NEWEST);
    throw refuse(file, {
      en: `archive format ${major}.${minor} is not supported: it was made by ${by}, and tokobot reads formats ` +
        `${OLDEST.join('.')} to ${NEWEST.join('.')} (pg_dump 9.0 to 17). ` +
        (newer ? 'Update tokobot, or make the backup with pg_dump 17 or older.' : 'iPOS 5 backups are never that old: check that this is the right file.'),
      id: `format arsip ${major}.${minor} tidak didukung: dibuat oleh ${by}, sedangkan tokobot membaca format ` +
        `${OLDEST.join('.')} sampai ${NEWEST.join('.')} (pg_dump 9.0 sampai 17). ` +
        (newer ? 'Perbarui tokobot, atau buat backup dengan pg_dump 17 atau lebih lama.' : 'Backup iPOS 5 tidak pernah setua itu: periksa apakah ini file yang benar.'),
    });
  }
  // pg_dump writes sizeof(int) and sizeof(off_t): 4 and 8 on every platform iPOS runs on.
  if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
    throw refuse(file, {
      en: `the header is damaged (integer size ${intSize}, offset size ${offSize}; expected 4 and 8). Take a new backup.`,
      id: `kepala file rusak (ukuran integer ${intSize}, ukuran offset ${offSize}; seharusnya 4 dan 8). Buat backup baru.`,
    });
  }
  if (format !== FORMAT_CUSTOM) throw refuse(file, {
    en: `archive format code ${format} is not the custom format (pg_dump -Fc) that iPOS writes.`,
    id: `kode format arsip ${format} bukan format custom (pg_dump -Fc) yang ditulis iPOS.`,
  });
  let compression: ArchiveInfo['compression'];
  if (v >= version(1, 15)) {
    const code = await c.byte();
    const algorithm = COMPRESSION_ALGORITHMS[code];
    if (!algorithm) throw refuse(file, {
      en: `unknown compression code ${code} in the header: the file is damaged or made by an unknown pg_dump.`,
      id: `kode kompresi ${code} di kepala file tidak dikenal: file rusak atau dibuat oleh pg_dump yang tidak dikenal.`,
    });
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
  if (dumpId <= 0) throw new Damaged({ en: `entry id ${dumpId} is out of range`, id: `nomor entri ${dumpId} di luar batas` });
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
    throw new Damaged({ en: `bad data offset flag ${off.flag} in entry ${dumpId}`, id: `penanda offset data ${off.flag} di entri ${dumpId} salah` });
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
export async function readArchive(file: string, advice: { truncated: Detail; damaged: Detail } = { truncated: TRUNCATED, damaged: NEW_BACKUP }): Promise<ArchiveInfo> {
  const size = (await stat(file)).size;
  const fh = await open(file, 'r');
  try {
    const c = new FileCursor(fh, size);
    let stage: Detail = { en: 'the header', id: 'kepala file' };
    try {
      const h = await readHeader(c, file);
      stage = { en: 'the table of contents', id: 'daftar isi' };
      const count = await c.int(h.intSize);
      if (count < 0 || count > 10_000_000) throw new Damaged({ en: `it claims ${count} entries`, id: `tertulis ${count} entri` });
      const entries: TocEntry[] = [];
      for (let i = 0; i < count; i++) {
        stage = { en: `the table of contents (entry ${i + 1} of ${count})`, id: `daftar isi (entri ${i + 1} dari ${count})` };
        entries.push(await readEntry(c, h.v, h.intSize, h.offSize));
      }
      stage = { en: 'the data', id: 'data' };
      await walkData(c, entries, h.intSize, (what) => { stage = what; });
      const countsByKind: Record<string, number> = {};
      for (const e of entries) countsByKind[e.desc] = (countsByKind[e.desc] ?? 0) + 1;
      const { v: _v, ...header } = h;
      return { file, fileSize: size, ...header, entries, countsByKind };
    } catch (err) {
      if (err instanceof PastEnd) {
        throw refuse(file, {
          en: `the backup is truncated: ${stage.en} is cut off (${err.message} of the ${size}-byte file). ${advice.truncated.en}`,
          id: `file backup terpotong: ${stage.id} tidak utuh (${err.id}; ukuran file ${size} byte). ${advice.truncated.id}`,
        });
      }
      if (err instanceof Damaged) {
        throw refuse(file, {
          en: `the backup is damaged: ${stage.en} is not readable (${err.message}). ${advice.damaged.en}`,
          id: `file backup rusak: ${stage.id} tidak bisa dibaca (${err.id}). ${advice.damaged.id}`,
        });
      }
      throw err;
    }
  } finally {
    await fh.close();
  }
}
