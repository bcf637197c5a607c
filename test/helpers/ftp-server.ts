import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, truncateSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { FtpSrv, FileSystem } from 'ftp-srv';

/** A free loopback port (asked of the system, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the next upload meets on the server. */
export type Mishap = 'damage' | 'flip' | 'full' | 'cut' | null;

const silent = { child: () => silent, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };

/**
 * A real FTP server (ftp-srv) on loopback, serving `root()` (changed per test) to user/password;
 * `mishap` makes the next STOR arrive short, arrive whole with one byte changed (flip: what only a
 * checksum tells), fail as a full disk (552), or lose its data connection. `refuse` names commands
 * it answers 502 (ftp-srv's blacklist), e.g. a HASH its FEAT lists (addHashCommand).
 */
export async function startFtpServer(o: { user: string; password: string; root: () => string; tls?: { key: string; cert: string }; refuse?: string[] }) {
  const port = await freePort();
  const pasv = 42000 + Math.floor(Math.random() * 2000);
  const state: { mishap: Mishap } = { mishap: null };
  const server = new FtpSrv({ url: `ftp://127.0.0.1:${port}`, pasv_url: '127.0.0.1', pasv_min: pasv, pasv_max: pasv + 200, anonymous: false,
    greeting: 'tokobot test', log: silent, ...(o.tls ? { tls: o.tls } : {}), ...(o.refuse ? { blacklist: o.refuse } : {}) });
  server.on('login', ({ connection, username, password }, resolve, reject) => {
    if (username !== o.user || password !== o.password) return reject(new Error('Login incorrect'));
    // ftp-srv answers every failed STOR with 550; a real server with a full disk says 552.
    const reply = connection.reply.bind(connection);
    connection.reply = (options: number | object, ...letters: unknown[]) =>
      reply(options === 550 && /No space/.test(String(letters[0])) ? 552 : options, ...letters);
    class TestFs extends FileSystem {
      override write(fileName: string, options?: { append?: boolean; start?: unknown }) {
        const mishap = state.mishap;
        state.mishap = null;
        if (mishap === 'full') {
          // The bytes are taken, the disk fills as the file is closed: the client reads the refusal, not a dropped connection.
          return new Writable({ write(_c, _e, done) { done(); }, final(done) { done(Object.assign(new Error('No space left on device'), { code: 'ENOSPC' })); } });
        }
        const written = super.write(fileName, options) as { stream: Writable & { path: string }; clientPath: string };
        if (mishap === 'damage') written.stream.prependOnceListener('finish', () => truncateSync(written.stream.path, 10));
        if (mishap === 'flip') written.stream.prependOnceListener('finish', () => flipByte(written.stream.path));
        if (mishap === 'cut') {
          written.stream.prependOnceListener('pipe', () => setImmediate(() => {
            (connection as unknown as { connector: { socket?: { destroy(): void } } }).connector.socket?.destroy();
          }));
        }
        return written;
      }
    }
    resolve({ fs: new TestFs(connection, { root: o.root(), cwd: '/' }) });
  });
  await server.listen();
  return { port, state, close: () => server.close() };
}

/** Changes the middle byte of a file in place: the size stays, the bytes do not. */
function flipByte(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const size = readFileSync(file).length;
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Teaches ftp-srv (for this test process: its command registry is the module's) the HASH command
 * of draft-bryan-ftpext-hash as FileZilla Server answers it, listed in FEAT with SHA-256:
 * `213 SHA-256 0-<size> <hex> <file>`. A server started with `refuse: ['HASH']` lists it and answers 502.
 */
export function addHashCommand(): void {
  const registry = createRequire(import.meta.url)('ftp-srv/src/commands/registry.js') as Record<string, unknown>;
  registry.HASH = {
    directive: 'HASH',
    handler(this: { fs: { _resolvePath(p: string): { fsPath: string } }; reply(code: number, message: string): unknown }, { command }: { command: { arg: string } }) {
      const bytes = readFileSync(this.fs._resolvePath(command.arg).fsPath);
      return this.reply(213, `SHA-256 0-${bytes.length} ${createHash('sha256').update(bytes).digest('hex')} ${command.arg}`);
    },
    syntax: '{{cmd}} <path>',
    description: 'The SHA-256 of a file',
    flags: { feat: 'HASH SHA-256*;SHA-1' },
  };
}
