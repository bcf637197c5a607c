import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../errors.ts';

/**
 * Encrypted backup files (".enc"), streamed, with nothing held in memory but one chunk:
 *
 *   header  "TOKOBOT-ENC1\n" (13 bytes) | salt (16) | log2 N, r, p of scrypt (3) | nonce prefix (8) | chunk size (4, BE)
 *   chunks  length (4, BE) | AES-256-GCM ciphertext | tag (16)      — repeated, the last one may be shorter
 *
 * The key is scrypt(passphrase, salt). Chunk i is sealed with nonce = prefix | i (4 bytes, BE)
 * and additional data = the header + i + a "last chunk" flag, so a chunk that is changed, moved,
 * dropped, or a file cut after any chunk, is refused. An empty file is one empty last chunk.
 */
const MAGIC = Buffer.from('TOKOBOT-ENC1\n');

/** Whether `head` (a file's first bytes) starts as encryptStream's output does. */
export const looksEncrypted = (head: Buffer): boolean => head.subarray(0, MAGIC.length).equals(MAGIC);
const HEADER = MAGIC.length + 16 + 3 + 8 + 4;
const TAG = 16;
const CHUNK = 1024 * 1024;
const SCRYPT = { logN: 15, r: 8, p: 1 };

function deriveKey(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, { N: 2 ** logN, r, p, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, 8);
  return n;
}

function aad(header: Buffer, index: number, last: boolean): Buffer {
  const a = Buffer.alloc(header.length + 5);
  header.copy(a, 0);
  a.writeUInt32BE(index, header.length);
  a[header.length + 4] = last ? 1 : 0;
  return a;
}

/** Encrypts a stream; the output starts with the header. */
export function encryptStream(passphrase: string): Transform {
  const salt = randomBytes(16);
  const prefix = randomBytes(8);
  const header = Buffer.concat([MAGIC, salt, Buffer.from([SCRYPT.logN, SCRYPT.r, SCRYPT.p]), prefix, Buffer.alloc(4)]);
  header.writeUInt32BE(CHUNK, HEADER - 4);
  const keyPromise = deriveKey(passphrase, salt, SCRYPT.logN, SCRYPT.r, SCRYPT.p);
  let pending = Buffer.alloc(0);
  let index = 0;
  let started = false;
  const seal = (key: Buffer, plain: Buffer, last: boolean): Buffer => {
    const c = createCipheriv('aes-256-gcm', key, nonce(prefix, index));
    c.setAAD(aad(header, index, last));
    const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    index++;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, body]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      keyPromise.then((key) => {
        if (!started) { this.push(header); started = true; }
        pending = Buffer.concat([pending, chunk]);
        // Keep at least one byte back, so the last chunk is always sealed as the last.
        while (pending.length > CHUNK) {
          this.push(seal(key, pending.subarray(0, CHUNK), false));
          pending = pending.subarray(CHUNK);
        }
        done();
      }, done);
    },
    flush(done: TransformCallback) {
      keyPromise.then((key) => {
        if (!started) this.push(header);
        this.push(seal(key, pending, true));
        done();
      }, done);
    },
  });
}

const refuse = (what: string) => new AppError('corrupt', 'backup-file',
  `The encrypted backup ${what}: it was changed, damaged or cut short, or the passphrase is wrong. Nothing was written from it.`);

/** Decrypts a stream made by encryptStream; refuses (AppError) a wrong passphrase or any change. */
export function decryptStream(passphrase: string): Transform {
  let buf = Buffer.alloc(0);
  let header: Buffer | null = null;
  let key: Promise<Buffer> | null = null;
  let prefix: Buffer = Buffer.alloc(0);
  let index = 0;
  let sawLast = false;
  const open = async (body: Buffer, last: boolean): Promise<Buffer> => {
    const d = createDecipheriv('aes-256-gcm', await (key as Promise<Buffer>), nonce(prefix, index));
    d.setAAD(aad(header as Buffer, index, last));
    d.setAuthTag(body.subarray(body.length - TAG));
    try {
      return Buffer.concat([d.update(body.subarray(0, body.length - TAG)), d.final()]);
    } catch {
      throw refuse(`cannot be opened at chunk ${index + 1}`);
    } finally {
      index++;
    }
  };
  const drain = async (push: (b: Buffer) => void, atEnd: boolean): Promise<void> => {
    if (!header) {
      if (buf.length < HEADER) return;
      if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw refuse('is not a tokobot encrypted file (wrong header)');
      header = Buffer.from(buf.subarray(0, HEADER));
      const salt = header.subarray(MAGIC.length, MAGIC.length + 16);
      const [logN, r, p] = header.subarray(MAGIC.length + 16, MAGIC.length + 19);
      prefix = header.subarray(MAGIC.length + 19, MAGIC.length + 27);
      key = deriveKey(passphrase, salt, logN as number, r as number, p as number);
      buf = buf.subarray(HEADER);
    }
    while (buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (len < TAG || len > CHUNK + TAG) throw refuse('has a damaged chunk length');
      if (buf.length < 4 + len) break;
      const body = buf.subarray(4, 4 + len);
      buf = buf.subarray(4 + len);
      // A chunk is the last one exactly when nothing follows it in the file.
      if (!atEnd && buf.length === 0) { buf = Buffer.concat([Buffer.alloc(4), body]); buf.writeUInt32BE(len, 0); break; }
      const last = atEnd && buf.length === 0;
      if (sawLast) throw refuse('has data after its last chunk');
      push(await open(body, last));
      if (last) sawLast = true;
    }
    if (atEnd && (!sawLast || buf.length > 0)) throw refuse('ends early');
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      buf = Buffer.concat([buf, chunk]);
      drain((b) => this.push(b), false).then(() => done(), done);
    },
    flush(done) {
      if (!header) return done(refuse('is not a tokobot encrypted file (too short)'));
      drain((b) => this.push(b), true).then(() => done(), done);
    },
  });
}
