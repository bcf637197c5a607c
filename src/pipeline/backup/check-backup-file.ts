import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError, isAppError } from '../../errors.ts';
import { MAGIC, NEWEST, version } from '../archive/archive-format.ts';
import { readArchive, type ArchiveInfo, type TocEntry } from '../archive/archive-reader.ts';
import { readAllData, UnreadableData } from '../archive/read-all-data.ts';
import { size } from '../archive/render-archive.ts';
import type { BackupLog } from '../../store/backup-log.ts';
import { HashCounter } from './backup-files.ts';
import { decryptStream } from './encryption.ts';
import { SQL_DUMP_END } from './ports.ts';

/**
 * Checks of a backup file before `tokobot backup restore` loads anything from it: a file cut
 * short or damaged is refused with a message that names it and says what was found, instead of
 * loading half of it. Every check streams; nothing holds more than a chunk in memory.
 */

const WHAT_TO_DO = 'Copy it again from where the backups are kept, or restore an older backup.';
const WHAT_TO_DO_ID = 'Salin ulang dari tempat backup disimpan, atau pulihkan backup yang lebih lama.';

const incomplete = (file: string, found: string) => new AppError('corrupt', 'backup-file', `${path.basename(file)} is incomplete: ${found}. ${WHAT_TO_DO}`);
const damaged = (file: string, found: string) => new AppError('corrupt', 'backup-file', `${path.basename(file)} is damaged: ${found}. ${WHAT_TO_DO}`);

async function sha256Of(file: string): Promise<string> {
  const hash = new HashCounter();
  await pipeline(createReadStream(file), hash, async function* (source) { for await (const _ of source) { /* only hash */ } });
  return hash.digest();
}

/**
 * Compares the file with the size and SHA-256 that the backup run which made it recorded: the
 * surest check, and the only one that can say how much of the file is missing. Does nothing when
 * this ops database does not know the file (restoring on another machine).
 */
export async function checkAgainstLog(log: Pick<BackupLog, 'madeFile'>, file: string): Promise<void> {
  const made = await log.madeFile(path.basename(file));
  if (!made?.bytes) return;
  const bytes = (await stat(file)).size;
  const was = `the backup made on ${made.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC was ${size(made.bytes)}`;
  if (bytes < made.bytes) {
    throw incomplete(file, `the file ends before the end of the backup: it holds ${size(bytes)}, but ${was} (cut at ${Math.floor((bytes / made.bytes) * 100)} %)`);
  }
  if (bytes > made.bytes) throw damaged(file, `it holds ${size(bytes)}, but ${was}`);
  if (made.sha256 && (await sha256Of(file)) !== made.sha256) {
    throw damaged(file, `its bytes differ from what was made (the size is right, the SHA-256 checksum is not: ${was})`);
  }
}

const TABLE_LINE = Buffer.from('\n-- Table ');
const TAIL_BYTES = 256;

/** Watches the SQL text of a dump go by: how much came, the table it was in, and its last bytes. */
class SqlWatcher extends Writable {
  bytes = 0;
  table: string | null = null;
  private tail = Buffer.alloc(0);

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const window = Buffer.concat([this.tail, chunk]);
    const at = window.lastIndexOf(TABLE_LINE);
    const end = at < 0 ? -1 : window.indexOf(10, at + TABLE_LINE.length);
    if (end > 0) this.table = window.toString('utf8', at + TABLE_LINE.length, end);
    this.bytes += chunk.length;
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - TAIL_BYTES)));
    done();
  }

  /** True when the text ends with the line every tokobot dump ends with. */
  get complete(): boolean {
    return this.tail.toString('utf8').trimEnd().endsWith(SQL_DUMP_END);
  }

  where(): string {
    return `after ${size(this.bytes)} of SQL${this.table ? `, in table ${this.table}` : ''}`;
  }
}

/**
 * A failure while reading a backup file through decryption and gunzip, in words: the encryption's
 * own refusal, or what gunzip found. Other failures (a missing file, a lost connection) come back
 * unchanged.
 */
export function unreadable(file: string, err: unknown, seen?: Pick<SqlWatcher, 'where'>): unknown {
  const where = seen ? ` ${seen.where()}` : '';
  if (isAppError(err) && err.kind === 'corrupt' && err.system === 'backup-file') return new AppError('corrupt', 'backup-file', `${path.basename(file)}: ${err.message} ${WHAT_TO_DO}`, { cause: err });
  const code = (err as { code?: unknown })?.code;
  if (code === 'Z_BUF_ERROR') return incomplete(file, `the file ends before the end of the backup (the compressed data stops${where})`);
  if (typeof code === 'string' && code.startsWith('Z_')) return damaged(file, `the compressed data cannot be read${where} (${(err as Error).message})`);
  return err;
}

/**
 * Reads a MySQL backup (.sql.gz, decrypted first with a passphrase) to its end: the encryption
 * authenticates every chunk and the end, gunzip checks its CRC and length, and the SQL must end
 * with SQL_DUMP_END.
 */
export async function checkSqlDump(file: string, passphrase?: string): Promise<void> {
  const seen = new SqlWatcher();
  try {
    await pipeline([createReadStream(file), ...(passphrase ? [decryptStream(passphrase)] : []), createGunzip(), seen]);
  } catch (err) {
    throw unreadable(file, err, seen);
  }
  if (!seen.complete) throw incomplete(file, `the SQL text stops ${seen.where()}, without the line "${SQL_DUMP_END}" that ends every tokobot dump`);
}

/** True when the file says it is an archive format newer than tokobot reads; pg_restore judges those alone. */
async function newerFormat(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(7), 0, 7, 0);
    return bytesRead === 7 && buffer.toString('latin1', 0, 5) === MAGIC && version(buffer[5] as number, buffer[6] as number) > version(...NEWEST);
  } finally {
    await fh.close();
  }
}

/**
 * Reads a pg_dump custom-format archive as pg_restore will: the header, the table of contents,
 * every data block to its end (inflated, so zlib's checksum catches a changed byte). Resolves
 * with what was read (null for a format newer than tokobot reads); `onTableData` as readAllData's.
 */
export async function checkArchive(file: string, onTableData?: (entry: TocEntry, chunk: Buffer) => void): Promise<{ info: ArchiveInfo; dataRead: boolean } | null> {
  if (await newerFormat(file)) return null;
  const info = await readArchive(file, {
    truncated: { en: `The file ends before the end of the backup. ${WHAT_TO_DO}`, id: `File berakhir sebelum akhir backup. ${WHAT_TO_DO_ID}` },
    damaged: { en: WHAT_TO_DO, id: WHAT_TO_DO_ID },
  });
  try {
    return { info, dataRead: await readAllData(info, onTableData) };
  } catch (err) {
    if (err instanceof UnreadableData) throw (err.kind === 'cut' ? incomplete : damaged)(file, err.message);
    throw err;
  }
}
