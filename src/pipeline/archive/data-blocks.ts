import { BLOCK } from './archive-format.ts';
import { Damaged, FileCursor, PastEnd } from './file-cursor.ts';
import type { TocEntry } from './archive-reader.ts';
import type { Detail } from '../../errors.ts';

/** Skips one run of chunks (length, bytes, ..., 0); only the lengths are read. */
async function skipChunks(c: FileCursor, intSize: number): Promise<void> {
  for (let len = await c.int(intSize); len !== 0; len = await c.int(intSize)) {
    if (len < 0) throw new Damaged({ en: `negative chunk length ${len} at byte ${c.pos}`, id: `panjang potongan negatif ${len} di byte ${c.pos}` });
    c.skip(len);
  }
}

/** Walks the data block at the cursor and returns its dump id; large objects hold one chunk run each. */
async function skipBlock(c: FileCursor, intSize: number): Promise<number> {
  const type = await c.byte();
  const dumpId = await c.int(intSize);
  if (type === BLOCK.data) {
    await skipChunks(c, intSize);
  } else if (type === BLOCK.blobs) {
    for (let oid = await c.int(intSize); oid !== 0; oid = await c.int(intSize)) await skipChunks(c, intSize);
  } else {
    throw new Damaged({ en: `unknown data block type ${type} at byte ${c.pos - 1 - intSize - 1}`, id: `jenis blok data ${type} tidak dikenal di byte ${c.pos - 1 - intSize - 1}` });
  }
  return dumpId;
}

const label = (e: TocEntry): Detail => {
  const name = `${e.desc} ${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;
  return { en: `the data of ${name}`, id: `data ${name}` };
};

/**
 * Checks that every entry's data is whole: positioned blocks are visited by offset; blocks of an
 * archive written to a pipe (offsets not set) follow the table of contents in order.
 * Fills in dataOffset and dataLength.
 */
export async function walkData(c: FileCursor, entries: TocEntry[], intSize: number, setStage: (what: Detail) => void): Promise<void> {
  const dataStart = c.pos;
  const positioned = entries.filter((e) => e.dataState === 'pos-set').sort((a, b) => (a.dataOffset ?? 0) - (b.dataOffset ?? 0));
  for (const e of positioned) {
    setStage(label(e));
    const offset = e.dataOffset as number;
    if (offset >= c.size) throw new PastEnd({ en: `it starts at byte ${offset}, past the end`, id: `mulai di byte ${offset}, melewati akhir file` });
    c.pos = offset;
    const id = await skipBlock(c, intSize);
    if (id !== e.dumpId) throw new Damaged({ en: `the block at byte ${offset} belongs to entry ${id}, not ${e.dumpId}`, id: `blok di byte ${offset} milik entri ${id}, bukan ${e.dumpId}` });
    e.dataLength = c.pos - offset;
  }

  const pending = new Map(entries.filter((e) => e.dataState === 'pos-not-set').map((e) => [e.dumpId, e]));
  c.pos = dataStart;
  while (pending.size > 0) {
    const first = pending.values().next().value as TocEntry;
    setStage(label(first));
    const start = c.pos;
    const id = await skipBlock(c, intSize);
    const e = pending.get(id);
    if (e) {
      e.dataOffset = start;
      e.dataLength = c.pos - start;
      pending.delete(id);
    }
  }
}
