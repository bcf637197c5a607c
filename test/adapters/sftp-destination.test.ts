import { after, before, test } from 'node:test';
import { localFile, servedDestination, withoutSecret } from '../helpers/served-folder.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint, SftpDestination, type SftpDestinationOptions } from '../../src/adapters/sftp/sftp-destination.ts';
import { partialName } from '../../src/pipeline/backup/ports.ts';
import { backupDestinationContract } from './backup-destination-contract.ts';
import { expectFailure } from './contract-parts.ts';
import { freePort } from '../helpers/ftp-server.ts';
import { newHostKey, startSftpServer } from '../helpers/sftp-server.ts';
import ssh2 from 'ssh2';

const PASSWORD = 'rahasia-sftp-123';
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-ftp-sftp-'));
const host = newHostKey();
const KEY_PASSPHRASE = 'kunci-rahasia-77';
/** A client key encrypted with a passphrase (ssh-keygen -N), as a shop's IT would make one. */
const clientKey = ssh2.utils.generateKeyPairSync('ed25519', { passphrase: KEY_PASSPHRASE, cipher: 'aes256-ctr', comment: 'tokobot' });
const FINGERPRINT = hostKeyFingerprint(host.blob);
let root = '';
let server: Awaited<ReturnType<typeof startSftpServer>>;
before(async () => { server = await startSftpServer({ user: 'toko', password: PASSWORD, hostKey: host.key, root: () => root, clientKey: clientKey.public }); });
after(async () => { await server.close(); rmSync(work, { recursive: true, force: true }); });

const options = (more: Partial<SftpDestinationOptions> = {}): SftpDestinationOptions =>
  ({ host: '127.0.0.1', port: server.port, user: 'toko', password: PASSWORD, dir: '/cadangan', hostKey: FINGERPRINT, timeoutMs: 5000, ...more });
const noPassword = withoutSecret(PASSWORD);
function freshRoot(): string {
  root = mkdtempSync(path.join(work, 'root-'));
  return root;
}

backupDestinationContract('sftp', async () => servedDestination(freshRoot(), server, (over) => new SftpDestination(options(over))), {
  says: { blocked: /^The SFTP server .* refused toko_/, damaged: /arrived on .* with 10 bytes instead of 5000/, interrupted: /was stopped before it finished/,
    unreadable: /^Could not store .*: cannot read .*ENOENT/, refused: /^The SFTP server .* refused toko_/, unreachable: /could not be reached/ },
  onError: noPassword,
});

const local = (bytes: Buffer) => localFile(work, bytes);

test('a wrong password is refused, clearly, without the password', async () => {
  freshRoot();
  await expectFailure(new SftpDestination(options({ password: 'salah-sekali-999' })).list(),
    { kind: 'refused', retryable: false, says: /refused the login of toko/ }, (err) => assert.ok(!err.message.includes('salah-sekali-999')));
});

test('no host key in the job: refused before any secret is sent, printing the server\'s fingerprint to copy', async () => {
  const top = freshRoot();
  const { hostKey: _none, ...rest } = options();
  await expectFailure(new SftpDestination(rest).put(local(Buffer.from('x')), 'pertama.dump'),
    { kind: 'refused', retryable: false, says: new RegExp(`not trusted yet: its host key is ${FINGERPRINT.replace(/[+/]/g, '\\$&')}.*hostKey: '`) }, noPassword);
  assert.deepEqual(readdirSync(top), []);
});

test('a host key other than the pinned one is refused', async () => {
  freshRoot();
  const other = hostKeyFingerprint(newHostKey().blob);
  await expectFailure(new SftpDestination(options({ hostKey: other })).list(),
    { kind: 'refused', retryable: false, says: /showed the host key SHA256:.*, not the SHA256:.* the job expects/ }, noPassword);
});

test('a full disk on the server (SFTP failure on write) is a clear refusal, and nothing is left under either name', async () => {
  const top = freshRoot();
  server.state.mishap = 'full';
  await expectFailure(new SftpDestination(options()).put(local(randomBytes(5000)), 'penuh.dump'),
    { kind: 'refused', retryable: false, says: /has no room for penuh\.dump/ }, noPassword);
  assert.deepEqual(readdirSync(path.join(top, 'cadangan')), []);
});

test('a connection cut mid-upload fails the put with nothing under its name; the next removeLeftovers recovers', async () => {
  const top = freshRoot();
  server.state.mishap = 'cut';
  const d = new SftpDestination(options());
  const err = await d.put(local(randomBytes(2_000_000)), 'putus.dump').then(() => assert.fail('the put succeeded'), (e: Error & { kind?: string }) => e);
  assert.equal(err.kind, 'unreachable', err.message);
  assert.ok(!readdirSync(path.join(top, 'cadangan')).includes('putus.dump'), 'a file is under the final name');
  assert.deepEqual(await d.list(), []);
  await d.removeLeftovers((n) => n === 'putus.dump');
  assert.deepEqual(readdirSync(path.join(top, 'cadangan')).filter((f) => f === partialName('putus.dump')), []);
});

test('nothing listens: unreachable, worth retrying', async () => {
  await expectFailure(new SftpDestination(options({ port: await freePort() })).list(), { kind: 'unreachable', retryable: true, says: /could not be reached/ });
});

test('a key file with a passphrase logs in with it; without it, or with a wrong one, the job is told what to set, and no secret is shown', async () => {
  freshRoot();
  const keyed = (passphrase?: string) => new SftpDestination(options({ password: undefined, privateKey: clientKey.private, ...(passphrase ? { passphrase } : {}) }));
  const file = local(randomBytes(3000));
  await keyed(KEY_PASSPHRASE).put(file, 'kunci.dump');
  assert.deepEqual((await keyed(KEY_PASSPHRASE).list()).map((f) => [f.name, f.size]), [['kunci.dump', 3000]]);
  const secretFree = (err: Error) => assert.ok(!err.message.includes(KEY_PASSPHRASE) && !err.message.includes('salah-kunci') && !err.message.includes('PRIVATE KEY'));
  await expectFailure(keyed().list(), { kind: 'config', retryable: false, says: /key file \(privateKeyPath\) .* cannot be used: .*no passphrase given.*passphraseEnv/ }, secretFree);
  await expectFailure(keyed('salah-kunci').list(), { kind: 'config', retryable: false, says: /cannot be used: .*bad passphrase/ }, secretFree);
});
