/**
 * Splits SQL text into statements the way the mysql client does, fed one chunk at a time: quotes
 * ('…' "…" with backslash escapes, `…`), comments (`-- `, `#`, and /* *\/ are dropped, but
 * executable comments /*! … *\/, /*M! … *\/ and hints /*+ … *\/ stay: the server runs them) and
 * `DELIMITER xx` lines. It works on bytes, so binary data in a dump (mysqldump without
 * --hex-blob) passes through untouched; every character it looks for is ASCII, which never occurs
 * inside a multi-byte UTF-8 character. Memory is one statement plus one chunk.
 */

const enum State { Code, Single, Double, Backtick, SingleEscape, DoubleEscape, LineComment, BlockComment }

const QUOTE = 0x27, DQUOTE = 0x22, BACKTICK = 0x60, BACKSLASH = 0x5c, HASH = 0x23, DASH = 0x2d, SLASH = 0x2f, STAR = 0x2a, NEWLINE = 0x0a;

const isSpace = (c: number | undefined) => c !== undefined && c <= 0x20;

export class StatementTooLarge extends Error {
  constructor(readonly limit: number, readonly start: Buffer) {
    super(`statement longer than ${limit} bytes`);
  }
}

export class StatementSplitter {
  private delimiter = Buffer.from(';');
  private state = State.Code;
  /** Inside an executable comment: a delimiter there does not end the statement. */
  private inExecutable = false;
  private statement = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private hasContent = false;
  private rest: Buffer | null = null;

  constructor(private readonly maxStatement = 64 * 1024 * 1024) {}

  /** The statements completed by this chunk, without their delimiter. */
  push(chunk: Buffer): Buffer[] {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    const out: Buffer[] = [];
    this.scan(buf, false, out);
    return out;
  }

  /** The last statement, when the text does not end with a delimiter. */
  end(): Buffer[] {
    const out: Buffer[] = [];
    const buf = this.rest ?? Buffer.alloc(0);
    this.rest = null;
    this.scan(buf, true, out);
    if (this.hasContent) this.emit(out);
    return out;
  }

  private scan(buf: Buffer, final: boolean, out: Buffer[]): void {
    const n = buf.length;
    let delim = this.delimiter;
    let d0 = delim[0] as number;
    let state = this.state;
    let i = 0;
    let run = 0; // first byte not yet copied into the statement (while not in a dropped comment)
    const hold = (at: number) => {
      this.append(buf, run, at);
      this.rest = Buffer.from(buf.subarray(at));
      this.state = state;
    };
    while (i < n) {
      const c = buf[i] as number;
      switch (state) {
        case State.Code: {
          if (c === d0 && !this.inExecutable) {
            if (delim.length > 1) {
              if (i + delim.length > n && !final) return hold(i);
              if (!buf.subarray(i, i + delim.length).equals(delim)) break;
            }
            this.append(buf, run, i);
            this.emit(out);
            i += delim.length;
            run = i;
            continue;
          }
          if (!this.hasContent) {
            if (isSpace(c)) break;
            if (c === 0x64 || c === 0x44) { // d, D: perhaps a DELIMITER line
              if (i + 10 > n && !final) return hold(i);
              if (/^delimiter[ \t]/i.test(buf.toString('latin1', i, i + 10))) {
                const eol = buf.indexOf(NEWLINE, i);
                if (eol < 0 && !final) return hold(i);
                const end = eol < 0 ? n : eol;
                const word = /^delimiter[ \t]+(\S+)/i.exec(buf.toString('latin1', i, end));
                if (word) {
                  delim = this.delimiter = Buffer.from(word[1] as string, 'latin1');
                  d0 = delim[0] as number;
                  this.length = 0;
                  i = run = end;
                  continue;
                }
              }
            }
          }
          if (c === QUOTE) state = State.Single;
          else if (c === DQUOTE) state = State.Double;
          else if (c === BACKTICK) state = State.Backtick;
          else if (c === HASH || c === DASH || c === SLASH) {
            const need = c === HASH ? 1 : c === DASH ? 3 : 4;
            if (i + need > n && !final) return hold(i);
            const c1 = buf[i + 1], c2 = buf[i + 2], c3 = buf[i + 3];
            if (c === HASH || (c === DASH && c1 === DASH && (c2 === undefined || isSpace(c2)))) {
              this.append(buf, run, i);
              state = State.LineComment;
              i += c === HASH ? 1 : 2;
              continue;
            }
            if (c === SLASH && c1 === STAR) {
              if (c2 === 0x21 || c2 === 0x2b || ((c2 === 0x4d || c2 === 0x6d) && c3 === 0x21)) {
                this.inExecutable = true;
                this.hasContent = true;
                i += 3;
                continue;
              }
              this.append(buf, run, i);
              state = State.BlockComment;
              i += 2;
              continue;
            }
          } else if (c === STAR && this.inExecutable) {
            if (i + 2 > n && !final) return hold(i);
            if (buf[i + 1] === SLASH) {
              this.inExecutable = false;
              i += 2;
              continue;
            }
          }
          if (!isSpace(c)) this.hasContent = true;
          break;
        }
        case State.Single:
          if (c === QUOTE) state = State.Code;
          else if (c === BACKSLASH) state = State.SingleEscape;
          break;
        case State.Double:
          if (c === DQUOTE) state = State.Code;
          else if (c === BACKSLASH) state = State.DoubleEscape;
          break;
        case State.SingleEscape:
          state = State.Single;
          break;
        case State.DoubleEscape:
          state = State.Double;
          break;
        case State.Backtick:
          if (c === BACKTICK) state = State.Code;
          break;
        case State.LineComment:
          if (c === NEWLINE) {
            state = State.Code;
            run = i; // keep the newline: it separates the tokens around the comment
          }
          break;
        case State.BlockComment:
          if (c === STAR) {
            if (i + 2 > n && !final) {
              this.rest = Buffer.from(buf.subarray(i));
              this.state = state;
              return;
            }
            if (buf[i + 1] === SLASH) {
              state = State.Code;
              i += 2;
              this.appendSpace();
              run = i;
              continue;
            }
          }
          break;
      }
      i++;
    }
    if (state !== State.LineComment && state !== State.BlockComment) this.append(buf, run, n);
    this.state = state;
  }

  private append(buf: Buffer, from: number, to: number): void {
    const k = to - from;
    if (k <= 0) return;
    if (this.length + k > this.statement.length) this.grow(this.length + k);
    buf.copy(this.statement, this.length, from, to);
    this.length += k;
  }

  private appendSpace(): void {
    this.append(SPACE, 0, 1);
  }

  private grow(needed: number): void {
    if (needed > this.maxStatement) {
      throw new StatementTooLarge(this.maxStatement, Buffer.from(this.statement.subarray(0, Math.min(this.length, 200))));
    }
    const bigger = Buffer.allocUnsafe(Math.min(this.maxStatement, Math.max(needed, this.statement.length * 2)));
    this.statement.copy(bigger, 0, 0, this.length);
    this.statement = bigger;
  }

  private emit(out: Buffer[]): void {
    let start = 0, end = this.length;
    while (start < end && isSpace(this.statement[start])) start++;
    while (end > start && isSpace(this.statement[end - 1])) end--;
    if (this.hasContent && end > start) out.push(Buffer.from(this.statement.subarray(start, end)));
    this.length = 0;
    this.hasContent = false;
    this.inExecutable = false;
    if (this.statement.length > 1 << 20) this.statement = Buffer.allocUnsafe(64 * 1024);
  }
}

const SPACE = Buffer.from(' ');
