import { BLOCK } from './archive-format.ts';
import { Damaged, FileCursor, PastEnd } from './file-cursor.ts';
import type { TocEntry } from './archive-reader.ts';

/** Skips one run of chunks (length, bytes, ..., 0); only the lengths are read. */
async function skipChunks(c: FileCursor, intSize: number): Promise<void> {
  for (let len = await c.int(intSize); len !== 0; len = await c.int(intSize)) {
    if (len < 0) throw new Damaged(`negative chunk length ${len} at byte ${c.pos}`);
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
    throw new Damaged(`unknown data block type ${type} at byte ${c.pos - 1 - intSize - 1}`);
  }
  return dumpId;
}

const label = (e: TocEntry) => `the data of ${e.desc} ${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;

/**
 * Checks that every entry's data is whole: positioned blocks are visited by offset; blocks of an
 * archive written to a pipe (offsets not set) follow the table of contents in order.
 * Fills in dataOffset and dataLength.
 */
export async function walkData(c: FileCursor, entries: TocEntry[], intSize: number, setStage: (what: string) => void): Promise<void> {
  const dataStart = c.pos;
  const positioned = entries.filter((e) => e.dataState === 'pos-set').sort((a, b) => (a.dataOffset ?? 0) - (b.dataOffset ?? 0));
  for (const e of positioned) {
    setStage(label(e));
    const offset = e.dataOffset as number;
    if (offset >= c.size) throw new PastEnd(`it starts at byte ${offset}, past the end`);
    c.pos = offset;
    const id = await skipBlock(c, intSize);
    if (id !== e.dumpId) throw new Damaged(`the block at byte ${offset} belongs to entry ${id}, not ${e.dumpId}`);
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
