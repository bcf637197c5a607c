import { after, before, test } from 'node:test';
import { localFile, servedDestination, withoutSecret } from '../helpers/served-folder.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtpDestination, type FtpDestinationOptions } from '../../src/adapters/ftp/ftp-destination.ts';
import { partialName } from '../../src/pipeline/backup/ports.ts';
import { backupDestinationContract } from './backup-destination-contract.ts';
import { expectFailure } from './contract-parts.ts';
import { freePort, startFtpServer } from '../helpers/ftp-server.ts';

const PASSWORD = 'rahasia-ftp-123';
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-ftp-ftp-'));
let root = '';
let server: Awaited<ReturnType<typeof startFtpServer>>;
before(async () => { server = await startFtpServer({ user: 'toko', password: PASSWORD, root: () => root }); });
after(async () => { await server.close(); rmSync(work, { recursive: true, force: true }); });

const options = (more: Partial<FtpDestinationOptions> = {}): FtpDestinationOptions =>
  ({ host: '127.0.0.1', port: server.port, user: 'toko', password: PASSWORD, dir: '/cadangan', secure: false, checkCertificate: true, timeoutMs: 5000, ...more });
const noPassword = withoutSecret(PASSWORD);

/** A fresh login root per test, as the FTP user sees it. */
function freshRoot(): string {
  root = mkdtempSync(path.join(work, 'root-'));
  return root;
}

backupDestinationContract('ftp', async () => servedDestination(freshRoot(), server, (over) => new FtpDestination(options(over))), {
  says: { blocked: /^The FTP server .* refused toko_/, damaged: /arrived on .* with 10 bytes instead of 5000/, interrupted: /was stopped before it finished/,
    unreadable: /^Could not store .*: cannot read .*ENOENT/, refused: /^The FTP server .* refused toko_.*: 5\d\d/, unreachable: /could not be reached/ },
  onError: noPassword,
});

const local = (bytes: Buffer) => localFile(work, bytes);

test('a wrong password is refused, clearly, without the password', async () => {
  freshRoot();
  await expectFailure(new FtpDestination(options({ password: 'salah-sekali-999' })).list(),
    { kind: 'refused', retryable: false, says: /refused the login of toko .*530.*passwordEnv/ }, (err) => assert.ok(!err.message.includes('salah-sekali-999')));
});

test('a full disk on the server (552) is a clear refusal, and nothing is left under either name', async () => {
  const top = freshRoot();
  server.state.mishap = 'full';
  await expectFailure(new FtpDestination(options()).put(local(randomBytes(5000)), 'penuh.dump'),
    { kind: 'refused', retryable: false, says: /has no room for penuh\.dump \(552/ }, noPassword);
  assert.deepEqual(readdirSync(path.join(top, 'cadangan')), []);
});

test('a connection cut mid-upload fails the put with nothing under its name; the next removeLeftovers recovers', async () => {
  const top = freshRoot();
  server.state.mishap = 'cut';
  const d = new FtpDestination(options());
  const err = await d.put(local(randomBytes(2_000_000)), 'putus.dump').then(() => assert.fail('the put succeeded'), (e: Error & { kind?: string }) => e);
  assert.equal(err.kind, 'unreachable', err.message);
  // ftp-srv finishes the broken STOR after the client gave up; a new login before that is answered as the old one (530 Username already set).
  await new Promise((resolve) => setTimeout(resolve, 500));
  const left = readdirSync(path.join(top, 'cadangan'));
  assert.ok(!left.includes('putus.dump'), 'a file is under the final name');
  assert.deepEqual(await d.list(), []);
  await d.removeLeftovers((n) => n === 'putus.dump');
  assert.deepEqual(readdirSync(path.join(top, 'cadangan')).filter((f) => f === partialName('putus.dump') || f === 'putus.dump'), []);
});

test('the copy\'s location says only the size was checked', async () => {
  freshRoot();
  const { location } = await new FtpDestination(options()).put(local(Buffer.from('isi')), 'ukuran.dump');
  assert.match(location, /ukuran\.dump \(size checked; the server gives no checksum\)$/);
});

test('nothing listens: unreachable, worth retrying', async () => {
  await expectFailure(new FtpDestination(options({ port: await freePort() })).list(), { kind: 'unreachable', retryable: true, says: /could not be reached/ });
});

test('FTPS (explicit, AUTH TLS): a self-signed certificate is refused unless the job says checkCertificate: false; then the copy goes over TLS', async (t) => {
  const tlsDir = mkdtempSync(path.join(work, 'tls-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', path.join(tlsDir, 'key.pem'), '-out', path.join(tlsDir, 'cert.pem')], { encoding: 'utf8', timeout: 20_000 });
  if (made.status !== 0) return void t.skip(`openssl could not make a certificate: ${made.stderr ?? made.error}`);
  const top = freshRoot();
  const tlsServer = await startFtpServer({ user: 'toko', password: PASSWORD, root: () => top,
    tls: { key: readFileSync(path.join(tlsDir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(tlsDir, 'cert.pem'), 'utf8') } });
  try {
    const secure = (checkCertificate: boolean) => new FtpDestination(options({ port: tlsServer.port, secure: true, checkCertificate }));
    await expectFailure(secure(true).list(), { kind: 'refused', retryable: false, says: /certificate this computer does not trust .*checkCertificate: false/ }, noPassword);
    const bytes = randomBytes(50_000);
    const { location } = await secure(false).put(local(bytes), 'aman.dump');
    assert.match(location, /^ftps:\/\/127\.0\.0\.1:\d+\/cadangan\/aman\.dump/);
    assert.ok(readFileSync(path.join(top, 'cadangan', 'aman.dump')).equals(bytes));
    assert.deepEqual((await secure(false).list()).map((f) => f.name), ['aman.dump']);
  } finally {
    await tlsServer.close();
  }
});
