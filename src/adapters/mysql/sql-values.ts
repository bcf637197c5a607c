import type { FieldPacket } from 'mysql2';

/**
 * Turns rows, as the server sends them in text-protocol packets, into multi-row INSERT
 * statements, written byte by byte into one Buffer per batch. The values never become JS
 * numbers, Dates, strings or even Buffers: numbers are copied as the server wrote them (exact
 * DECIMAL, BIGINT UNSIGNED, FLOAT text), text is quoted with the escapes a MySQL server reads back,
 * and binary data becomes a hex literal. Escaping works on UTF-8 bytes because no byte of a
 * multi-byte character is below 0x80.
 */

const enum Kind { Raw, Quoted, Hex }

const RAW_TYPES = new Set([0 /* DECIMAL */, 1, 2, 3, 4 /* FLOAT */, 5 /* DOUBLE */, 8, 9, 13 /* YEAR */, 246 /* NEWDECIMAL */]);
/** VARCHAR, VAR_STRING, STRING and the BLOBs: binary when their charset is (dates are "binary" too, yet text). */
const STRING_TYPES = new Set([15, 249, 250, 251, 252, 253, 254]);
const BIT = 16, GEOMETRY = 255;
const BINARY_CHARSET = 63;

/** Backslash escape for each byte that needs one (0 = copy as is). */
const ESCAPE = new Uint8Array(256);
ESCAPE[0x00] = 0x30; // \0
ESCAPE[0x0a] = 0x6e; // \n
ESCAPE[0x0d] = 0x72; // \r
ESCAPE[0x1a] = 0x5a; // \Z
ESCAPE[0x27] = 0x27; // \'
ESCAPE[0x5c] = 0x5c; // \\

const HEX = Buffer.from('0123456789abcdef');
/** A batch is closed once it passes this size, as mysqldump's default net_buffer_length. */
const BATCH_BYTES = 1 << 20;

export function quoteIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

/** Single-quoted SQL string literal, for the few strings (sql_mode, names) the dump writes itself. */
export function quoteString(text: string): string {
  return "'" + text.replace(/[\0\n\r\x1a'\\]/g, (c) => '\\' + String.fromCharCode(ESCAPE[c.charCodeAt(0)] ?? 0)) + "'";
}

function kindOf(field: FieldPacket): Kind {
  const type = field.columnType ?? 253;
  if (RAW_TYPES.has(type)) return Kind.Raw;
  if (type === BIT || type === GEOMETRY || (STRING_TYPES.has(type) && field.characterSet === BINARY_CHARSET)) return Kind.Hex;
  return Kind.Quoted;
}

export class InsertBatcher {
  private readonly prefix: Buffer;
  private readonly kinds: Kind[];
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  /** `emit` receives each finished statement and returns false when the reader wants a pause. */
  constructor(table: string, columns: string[], fields: FieldPacket[], private readonly emit: (statement: Buffer) => boolean) {
    this.prefix = Buffer.from(`INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(',')}) VALUES `);
    this.kinds = fields.map(kindOf);
  }

  /**
   * Adds the row held in a text-protocol row packet's payload, src[start, end): per column a
   * length-coded byte count and the value as text (0xfb for NULL). Returns false when the
   * statement just emitted asked for a pause.
   */
  addRow(src: Buffer, start: number, end: number): boolean {
    const kinds = this.kinds;
    // No value grows more than twice (escapes, hex digits), NULL takes 4 bytes for 1.
    const bound = 2 * (end - start) + 4 * kinds.length + 3;
    let ok = true;
    if (this.pos > 0 && this.pos + bound + 2 > BATCH_BYTES) ok = this.flush();
    if (this.pos === 0) this.open(bound);
    else this.buf[this.pos++] = 0x2c; // ,
    const out = this.buf;
    let p = this.pos;
    let i = start;
    out[p++] = 0x28; // (
    for (let col = 0; col < kinds.length; col++) {
      if (col > 0) out[p++] = 0x2c;
      let n = src[i++] as number;
      if (n >= 0xfb) {
        if (n === 0xfb) {
          out[p++] = 0x4e; out[p++] = 0x55; out[p++] = 0x4c; out[p++] = 0x4c; // NULL
          continue;
        }
        if (n === 0xfc) n = src.readUInt16LE(i), i += 2;
        else if (n === 0xfd) n = src.readUIntLE(i, 3), i += 3;
        else n = src.readUIntLE(i, 6), i += 8;
      }
      const stop = i + n;
      switch (kinds[col]) {
        case Kind.Raw:
          while (i < stop) out[p++] = src[i++] as number;
          break;
        case Kind.Hex:
          if (n === 0) {
            out[p++] = 0x27; out[p++] = 0x27;
            break;
          }
          out[p++] = 0x30; out[p++] = 0x78; // 0x
          while (i < stop) {
            const c = src[i++] as number;
            out[p++] = HEX[c >> 4] as number;
            out[p++] = HEX[c & 15] as number;
          }
          break;
        default:
          out[p++] = 0x27;
          while (i < stop) {
            const c = src[i++] as number;
            const e = ESCAPE[c] as number;
            if (e === 0) out[p++] = c;
            else {
              out[p++] = 0x5c;
              out[p++] = e;
            }
          }
          out[p++] = 0x27;
      }
    }
    out[p++] = 0x29; // )
    this.pos = p;
    return ok;
  }

  /** Ends the open statement, if any; returns what `emit` returned. */
  flush(): boolean {
    if (this.pos === 0) return true;
    this.buf[this.pos++] = 0x3b; // ;
    this.buf[this.pos++] = 0x0a;
    const statement = this.buf.subarray(0, this.pos);
    this.pos = 0;
    return this.emit(statement);
  }

  /** Starts a statement in a fresh buffer: the previous one may still sit in the writer's queue. */
  private open(rowBound: number): void {
    this.buf = Buffer.allocUnsafe(Math.max(BATCH_BYTES, rowBound) + this.prefix.length + 8);
    this.pos = this.prefix.copy(this.buf, 0);
  }
}
