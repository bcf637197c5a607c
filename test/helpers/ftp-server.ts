import { createServer } from 'node:net';
import { truncateSync } from 'node:fs';
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
export type Mishap = 'damage' | 'full' | 'cut' | null;

const silent = { child: () => silent, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };

/**
 * A real FTP server (ftp-srv) on loopback, serving `root()` (changed per test) to user/password;
 * `mishap` makes the next STOR arrive short, fail as a full disk (552), or lose its data connection.
 */
export async function startFtpServer(o: { user: string; password: string; root: () => string; tls?: { key: string; cert: string } }) {
  const port = await freePort();
  const pasv = 42000 + Math.floor(Math.random() * 2000);
  const state: { mishap: Mishap } = { mishap: null };
  const server = new FtpSrv({ url: `ftp://127.0.0.1:${port}`, pasv_url: '127.0.0.1', pasv_min: pasv, pasv_max: pasv + 200, anonymous: false,
    greeting: 'tokobot test', log: silent, ...(o.tls ? { tls: o.tls } : {}) });
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
