import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, statSync, truncateSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { SFTPWrapper } from 'ssh2';
import type { Mishap } from './ftp-server.ts';

const { Server, utils } = ssh2;
const { STATUS_CODE, flagsToString } = utils.sftp;

/** A new ed25519 host key (private, OpenSSH format) and its public blob, as a client sees it. */
export function newHostKey(): { key: string; blob: Buffer } {
  const key = utils.generateKeyPairSync('ed25519').private;
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  return { key, blob: (Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH() };
}

const attrs = (s: Stats) => ({ mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });
const longname = (name: string, s: Stats) => `${s.isDirectory() ? 'd' : '-'}rw------- 1 toko toko ${s.size} Jan 1 00:00 ${name}`;
const codeOf = (err: unknown) => ((err as NodeJS.ErrnoException).code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE
  : (err as NodeJS.ErrnoException).code === 'EACCES' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE);

/** The SFTP requests tokobot's destination makes, served from the folder `root()` (paths resolved inside it; enough for a test, not a jail). */
function serve(sftp: SFTPWrapper, root: () => string, state: { mishap: Mishap }, cut: () => void): void {
  const at = (p: string) => path.join(root(), path.posix.normalize(`/${p}`));
  const handles = new Map<number, { fd?: number; dir?: string[]; base?: string; file?: string; damage?: boolean }>();
  let next = 0;
  const handle = (id: number, h: { fd?: number; dir?: string[]; base?: string; file?: string; damage?: boolean }) => {
    handles.set(++next, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(next);
    sftp.handle(id, b);
  };
  const get = (b: Buffer) => handles.get(b.readUInt32BE(0));
  const tryDo = (id: number, fn: () => void) => {
    try { fn(); } catch (err) { sftp.status(id, codeOf(err), (err as Error).message); }
  };
  sftp.on('REALPATH', (id, p) => sftp.name(id, [{ filename: path.posix.normalize(`/${p}`), longname: '', attrs: {} as never }]));
  sftp.on('STAT', (id, p) => tryDo(id, () => sftp.attrs(id, attrs(statSync(at(p))))));
  sftp.on('LSTAT', (id, p) => tryDo(id, () => sftp.attrs(id, attrs(statSync(at(p))))));
  sftp.on('MKDIR', (id, p) => tryDo(id, () => { mkdirSync(at(p)); sftp.status(id, STATUS_CODE.OK); }));
  sftp.on('REMOVE', (id, p) => tryDo(id, () => { unlinkSync(at(p)); sftp.status(id, STATUS_CODE.OK); }));
  sftp.on('RMDIR', (id, p) => tryDo(id, () => { rmdirSync(at(p)); sftp.status(id, STATUS_CODE.OK); }));
  sftp.on('RENAME', (id, from, to) => tryDo(id, () => { renameSync(at(from), at(to)); sftp.status(id, STATUS_CODE.OK); }));
  sftp.on('OPEN', (id, p, flags) => tryDo(id, () => {
    const mishap = flags & utils.sftp.OPEN_MODE.WRITE ? state.mishap : null;
    if (mishap) state.mishap = null;
    handle(id, { fd: openSync(at(p), flagsToString(flags) ?? 'r'), file: at(p), damage: mishap === 'damage', ...(mishap ? { mishap } : {}) } as never);
    if (mishap === 'full' || mishap === 'cut') handles.get(next)!.base = mishap;
  }));
  sftp.on('WRITE', (id, h, offset, data) => tryDo(id, () => {
    const o = get(h);
    if (o?.base === 'full') return sftp.status(id, STATUS_CODE.FAILURE, 'No space left on device');
    if (o?.base === 'cut' && offset > 0) return cut();
    writeSync(o!.fd!, data, 0, data.length, offset);
    sftp.status(id, STATUS_CODE.OK);
  }));
  sftp.on('READ', (id, h, offset, length) => tryDo(id, () => {
    const buf = Buffer.alloc(length);
    const n = readSync(get(h)!.fd!, buf, 0, length, offset);
    if (n === 0) sftp.status(id, STATUS_CODE.EOF);
    else sftp.data(id, buf.subarray(0, n));
  }));
  sftp.on('FSTAT', (id, h) => tryDo(id, () => sftp.attrs(id, attrs(fstatSync(get(h)!.fd!)))));
  sftp.on('SETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('FSETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('OPENDIR', (id, p) => tryDo(id, () => handle(id, { dir: readdirSync(at(p)), base: at(p) })));
  sftp.on('READDIR', (id, h) => tryDo(id, () => {
    const o = get(h)!;
    if (!o.dir?.length) return sftp.status(id, STATUS_CODE.EOF);
    const names = o.dir.splice(0).map((n) => { const s = statSync(path.join(o.base!, n)); return { filename: n, longname: longname(n, s), attrs: attrs(s) }; });
    sftp.name(id, names);
  }));
  sftp.on('CLOSE', (id, h) => tryDo(id, () => {
    const o = get(h);
    handles.delete(h.readUInt32BE(0));
    if (o?.fd !== undefined) closeSync(o.fd);
    if (o?.damage && o.file) truncateSync(o.file, 10);
    sftp.status(id, STATUS_CODE.OK);
  }));
}

/** A real SSH server (ssh2) on loopback with an SFTP subsystem over `root()`, for one user and password. */
/**
 * `clientKey`: a public key (OpenSSH format) that may log in as `user` too, checked as sshd does
 * (the key offered, then its signature over the session).
 */
export async function startSftpServer(o: { user: string; password: string; hostKey: string; root: () => string; clientKey?: string }) {
  const allowed = o.clientKey ? utils.parseKey(o.clientKey) : undefined;
  if (allowed instanceof Error) throw allowed;
  const clientKey = Array.isArray(allowed) ? allowed[0] : allowed;
  const state: { mishap: Mishap } = { mishap: null };
  const server = new Server({ hostKeys: [o.hostKey] }, (client) => {
    const sock = (client as unknown as { _sock: Socket })._sock;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === o.user && ctx.password === o.password) return ctx.accept();
      if (ctx.method === 'publickey' && clientKey && ctx.username === o.user && ctx.key.algo === clientKey.type && ctx.key.data.equals(clientKey.getPublicSSH())) {
        if (!ctx.signature || !ctx.blob) return ctx.accept(); // the key is one it takes: the client signs next
        if (clientKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      ctx.reject(clientKey ? ['password', 'publickey'] : ['password']);
    });
    client.on('ready', () => client.on('session', (accept) => accept().on('sftp', (acceptSftp) => serve(acceptSftp(), o.root, state, () => sock.destroy()))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port, state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
