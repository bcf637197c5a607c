import type { FileHandle } from 'node:fs/promises';
import type { Detail } from '../../errors.ts';

/** What a read found wrong, in English (`message`) and in Indonesian (`id`): the reader turns it into an AppError. */
class ReadFault extends Error {
  readonly id: string;
  constructor(text: Detail) {
    super(text.en);
    this.id = text.id;
  }
}

/** Raised when a read would go past the end of the file. */
export class PastEnd extends ReadFault {}

/** Raised when bytes are there but cannot be what pg_dump writes (a bad flag, a block of another entry). */
export class Damaged extends ReadFault {}

/**
 * Sequential reads over a file through one fixed buffer, so that reading a table of contents
 * and walking the data blocks of a large archive needs little memory and few system calls.
 */
export class FileCursor {
  pos = 0;
  private buf: Buffer;
  private bufStart = 0;
  private bufLen = 0;

  constructor(private readonly fh: FileHandle, readonly size: number, bufferSize = 1 << 20) {
    this.buf = Buffer.alloc(Math.max(64, Math.min(bufferSize, size)));
  }

  private async fill(need: number): Promise<void> {
    if (this.pos + need > this.size) throw new PastEnd({ en: `needs ${need} bytes at byte ${this.pos}`, id: `perlu ${need} byte di byte ${this.pos}` });
    if (this.pos >= this.bufStart && this.pos + need <= this.bufStart + this.bufLen) return;
    if (need > this.buf.length) this.buf = Buffer.alloc(need);
    const { bytesRead } = await this.fh.read(this.buf, 0, this.buf.length, this.pos);
    this.bufStart = this.pos;
    this.bufLen = bytesRead;
    if (bytesRead < need) throw new PastEnd({ en: `short read at ${this.pos}`, id: `bacaan terpotong di byte ${this.pos}` });
  }

  async bytes(n: number): Promise<Buffer> {
    await this.fill(n);
    const start = this.pos - this.bufStart;
    this.pos += n;
    return Buffer.from(this.buf.subarray(start, start + n));
  }

  async byte(): Promise<number> {
    await this.fill(1);
    return this.buf[this.pos++ - this.bufStart] as number;
  }

  skip(n: number): void {
    if (this.pos + n > this.size) throw new PastEnd({ en: `a chunk of ${n} bytes at byte ${this.pos} runs past the end`, id: `potongan ${n} byte di byte ${this.pos} melewati akhir file` });
    this.pos += n;
  }

  /** pg_dump's integer: a sign byte, then `intSize` bytes, least significant first. */
  async int(intSize: number): Promise<number> {
    const raw = await this.bytes(intSize + 1);
    let value = 0;
    for (let i = intSize; i >= 1; i--) value = value * 256 + (raw[i] as number);
    return raw[0] ? -value : value;
  }

  /** A length-prefixed string; length -1 is NULL. */
  async str(intSize: number): Promise<string | null> {
    const len = await this.int(intSize);
    if (len < 0) return null;
    if (this.pos + len > this.size) throw new PastEnd({ en: `a text of ${len} bytes at byte ${this.pos} runs past the end`, id: `teks ${len} byte di byte ${this.pos} melewati akhir file` });
    return (await this.bytes(len)).toString('utf8');
  }

  /** A data offset: a flag byte, then `offSize` bytes, least significant first. */
  async offset(offSize: number): Promise<{ flag: number; value: number }> {
    const raw = await this.bytes(offSize + 1);
    let value = 0;
    for (let i = offSize; i >= 1; i--) value = value * 256 + (raw[i] as number);
    return { flag: raw[0] as number, value };
  }
}
