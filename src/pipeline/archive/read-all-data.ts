import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ArchiveInfo, TocEntry } from './archive-reader.ts';
import { BLOCK } from './archive-format.ts';
import { largeObjects, tableData } from './data-stream.ts';
import { Damaged, FileCursor, PastEnd } from './file-cursor.ts';

/** Why an archive's data cannot be read: cut short, or bytes that are not what pg_dump wrote. */
export class UnreadableData extends Error {
  constructor(readonly kind: 'cut' | 'damaged', readonly entry: string, readonly detail: string) {
    super(`the data of ${entry} ${kind === 'cut' ? 'is cut off' : 'is not readable'} (${detail})`);
  }
}

const entryLabel = (e: TocEntry) => `${e.desc} ${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;

const isZlibError = (err: unknown) => String((err as { code?: unknown })?.code).startsWith('Z_');

/** Reads `bytes` to the end, handing each piece to `onData` when given. */
async function drain(bytes: Readable, onData?: (chunk: Buffer) => void): Promise<void> {
  for await (const chunk of bytes) onData?.(chunk as Buffer);
}

/**
 * Reads the data of every entry of an archive that readArchive has checked, to the end, inflating
 * compressed data: readArchive walks only the chunk lengths, so a changed byte inside the data is
 * found only here (by zlib's checksum), before a restore has loaded anything. One read buffer and
 * one inflated piece in memory. lz4 and zstd data (pg_dump 16+ on request) are not unpacked here:
 * resolves false for them, since pg_restore checks them itself as it loads. `onTableData` sees
 * each TABLE DATA entry's COPY text as it is read (a shop agent counts the rows).
 */
export async function readAllData(info: ArchiveInfo, onTableData?: (entry: TocEntry, chunk: Buffer) => void): Promise<boolean> {
  if (info.compression.algorithm === 'lz4' || info.compression.algorithm === 'zstd') return false;
  const compressed = info.compression.algorithm === 'gzip';
  const fh = await open(info.file, 'r');
  try {
    const c = new FileCursor(fh, info.fileSize);
    for (const e of info.entries) {
      if (e.dataOffset === null) continue;
      try {
        c.pos = e.dataOffset;
        if ((await c.byte()) === BLOCK.blobs) {
          for await (const lo of largeObjects(c, e.dataOffset, e.dumpId, info.intSize, compressed)) await drain(lo.bytes);
        } else {
          await drain(await tableData(c, e.dataOffset, e.dumpId, info.intSize, compressed), onTableData && ((chunk) => onTableData(e, chunk)));
        }
      } catch (err) {
        if (err instanceof PastEnd) throw new UnreadableData('cut', entryLabel(e), err.message);
        if (err instanceof Damaged || isZlibError(err)) throw new UnreadableData('damaged', entryLabel(e), (err as Error).message);
        throw err;
      }
    }
    return true;
  } finally {
    await fh.close();
  }
}
