import { Readable } from 'node:stream';
import { createInflate } from 'node:zlib';
import { BLOCK } from './archive-format.ts';
import { Damaged, type FileCursor } from './file-cursor.ts';

/**
 * Streams the data blocks of a custom-format archive (pg_backup_custom.c): a block is a type
 * byte and the entry's dump id, then chunks (length, bytes, ..., length 0). With gzip
 * compression the chunks of one run together form one zlib stream. Nothing here holds more
 * than one read buffer and one COPY-sized piece in memory.
 */

/** Uncompressed archives carry one chunk per COPY row; joining them saves thousands of tiny COPY messages. */
const PIECE_BYTES = 1 << 18;

async function* chunkRun(c: FileCursor, intSize: number): AsyncGenerator<Buffer> {
  for (let len = await c.int(intSize); len !== 0; len = await c.int(intSize)) {
    if (len < 0) throw new Damaged({ en: `negative chunk length ${len} at byte ${c.pos}`, id: `panjang potongan negatif ${len} di byte ${c.pos}` });
    yield await c.bytes(len);
  }
}

async function* joined(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= PIECE_BYTES) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

/** One run of chunks as a readable of the original bytes, inflated when the archive is compressed. */
function runStream(c: FileCursor, intSize: number, compressed: boolean): Readable {
  const raw = Readable.from(compressed ? chunkRun(c, intSize) : joined(chunkRun(c, intSize)), { objectMode: false });
  if (!compressed) return raw;
  const inflate = createInflate({ chunkSize: PIECE_BYTES });
  raw.on('error', (err) => inflate.destroy(err));
  return raw.pipe(inflate);
}

/** Positions the cursor after the block header of `dumpId`, checking that the block is what the entry expects. */
async function enterBlock(c: FileCursor, offset: number, dumpId: number, intSize: number, type: number): Promise<void> {
  c.pos = offset;
  const found = await c.byte();
  const id = await c.int(intSize);
  if (id !== dumpId) throw new Damaged({ en: `the block at byte ${offset} belongs to entry ${id}, not ${dumpId}`, id: `blok di byte ${offset} milik entri ${id}, bukan ${dumpId}` });
  if (found !== type) throw new Damaged({ en: `the block of entry ${dumpId} has type ${found}, expected ${type}`, id: `blok entri ${dumpId} berjenis ${found}, seharusnya ${type}` });
}

/** The rows of a TABLE DATA entry in COPY text format, exactly as pg_dump's COPY TO wrote them. */
export async function tableData(c: FileCursor, offset: number, dumpId: number, intSize: number, compressed: boolean): Promise<Readable> {
  await enterBlock(c, offset, dumpId, intSize, BLOCK.data);
  return runStream(c, intSize, compressed);
}

/**
 * The large objects of a BLOBS entry, one at a time: each object's bytes must be read to the
 * end before the next object is asked for, since they share the cursor.
 */
export async function* largeObjects(c: FileCursor, offset: number, dumpId: number, intSize: number, compressed: boolean): AsyncGenerator<{ oid: number; bytes: Readable }> {
  await enterBlock(c, offset, dumpId, intSize, BLOCK.blobs);
  for (let oid = await c.int(intSize); oid !== 0; oid = await c.int(intSize)) {
    yield { oid, bytes: runStream(c, intSize, compressed) };
  }
}
