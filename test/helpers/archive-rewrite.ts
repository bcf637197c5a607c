import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Re-encodes a real pg_dump 15 archive (format 1.14) in the layout of another format version, so
 * the reader is tested on versions this machine's pg_dump cannot write: 1.12/1.13 have no table
 * access method per entry, 1.15 stores a compression algorithm byte instead of a level, 1.16
 * adds a relkind integer per entry. Data offsets are shifted by the change in TOC size.
 */
export function rewriteArchive(src: string, dest: string, minor: 12 | 13 | 14 | 15 | 16): void {
  const b = readFileSync(src);
  if (b[5] !== 1 || b[6] !== 14) throw new Error('rewriteArchive expects a 1.14 archive');
  const intSize = b[8] as number;
  const offSize = b[9] as number;
  let p = 11;
  const out: Buffer[] = [];
  const int = () => { const v = b.readUIntLE(p + 1, intSize) * (b[p] ? -1 : 1); p += 1 + intSize; return v; };
  const mark = () => p;
  const copy = (from: number) => out.push(b.subarray(from, p));
  const str = () => { const len = int(); if (len > 0) p += len; return len; };
  const encInt = (v: number) => { const x = Buffer.alloc(1 + intSize); x[0] = v < 0 ? 1 : 0; x.writeUIntLE(Math.abs(v), 1, intSize); return x; };

  const header = Buffer.from(b.subarray(0, 11));
  header[6] = minor;
  out.push(header);
  let from = mark();
  const level = int();
  if (minor >= 15) out.push(Buffer.from([level === 0 ? 0 : 1]));
  else copy(from);
  from = mark();
  for (let i = 0; i < 7; i++) int();
  str(); str(); str();
  copy(from);
  from = mark();
  const count = int();
  copy(from);
  const offsets: { at: number }[] = [];
  for (let i = 0; i < count; i++) {
    from = mark();
    int(); int(); str(); str(); str(); str(); int(); str(); str(); str(); str(); str();
    copy(from);
    from = mark();
    str(); // table access method
    if (minor >= 14) copy(from);
    if (minor >= 16) out.push(encInt(114));
    from = mark();
    str(); str(); // owner, with oids
    while (str() >= 0) { /* dependencies until NULL */ }
    copy(from);
    offsets.push({ at: out.reduce((n, x) => n + x.length, 0) });
    from = mark();
    p += 1 + offSize;
    copy(from);
  }
  const dataStart = p;
  const rebuilt = Buffer.concat(out);
  const delta = rebuilt.length - dataStart;
  for (const o of offsets) {
    if (rebuilt[o.at] === 2) rebuilt.writeUIntLE(rebuilt.readUIntLE(o.at + 1, 6) + delta, o.at + 1, 6);
  }
  writeFileSync(dest, Buffer.concat([rebuilt, b.subarray(dataStart)]));
}

export interface OffsetField {
  dumpId: number;
  /** Byte position of the flag byte; the offset follows, least significant byte first. */
  at: number;
  flag: number;
  value: number;
}

/** Where each entry's data offset sits in the table of contents of a 1.14 archive (for patching tests). */
export function offsetFields(b: Buffer): OffsetField[] {
  if (b[5] !== 1 || b[6] !== 14) throw new Error('offsetFields expects a 1.14 archive');
  const intSize = b[8] as number;
  const offSize = b[9] as number;
  let p = 11;
  const int = () => { const v = b.readUIntLE(p + 1, intSize) * (b[p] ? -1 : 1); p += 1 + intSize; return v; };
  const str = () => { const len = int(); if (len > 0) p += len; return len; };
  int(); // compression level
  for (let i = 0; i < 7; i++) int();
  str(); str(); str();
  const count = int();
  const fields: OffsetField[] = [];
  for (let i = 0; i < count; i++) {
    const dumpId = int();
    int(); str(); str(); str(); str(); int(); str(); str(); str(); str(); str(); str(); str(); str();
    while (str() >= 0) { /* dependencies until NULL */ }
    fields.push({ dumpId, at: p, flag: b[p] as number, value: b.readUIntLE(p + 1, 6) });
    p += 1 + offSize;
  }
  return fields;
}

/**
 * Writes a copy of a 1.14 archive whose first data block gets `chunks` extra chunks of
 * `chunkBytes` each, left as holes in a sparse file: a multi-gigabyte archive that costs no disk
 * space, for checking that the reader skips data instead of reading it.
 */
export async function inflateArchive(src: string, dest: string, chunks: number, chunkBytes: number): Promise<number> {
  const b = readFileSync(src);
  const fields = offsetFields(b).filter((f) => f.flag === 2).sort((x, y) => x.value - y.value);
  const first = fields[0];
  if (!first) throw new Error('inflateArchive needs an archive with data offsets');
  const intSize = b[8] as number;
  const body = first.value + 1 + (1 + intSize); // after the block type and dump id
  const extra = chunks * (1 + intSize + chunkBytes);
  const head = Buffer.from(b.subarray(0, body));
  for (const f of fields.slice(1)) head.writeUIntLE(f.value + extra, f.at + 1, 6);
  const fh = await open(dest, 'w');
  try {
    await fh.write(head, 0, head.length, 0);
    const len = Buffer.alloc(1 + intSize);
    len.writeUIntLE(chunkBytes, 1, intSize);
    for (let i = 0; i < chunks; i++) await fh.write(len, 0, len.length, head.length + i * (1 + intSize + chunkBytes));
    const rest = b.subarray(body);
    await fh.write(rest, 0, rest.length, head.length + extra);
    return head.length + extra + rest.length;
  } finally {
    await fh.close();
  }
}
