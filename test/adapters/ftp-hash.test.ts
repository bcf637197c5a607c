import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtpDestination, type FtpDestinationOptions } from '../../src/adapters/ftp/ftp-destination.ts';
import { expectFailure } from './contract-parts.ts';
import { localFile } from '../helpers/served-folder.ts';
import { addHashCommand, startFtpServer } from '../helpers/ftp-server.ts';

// An FTP server that offers its own SHA-256 (HASH, as FileZilla Server does): a copy is checked
// by it as well as by its size, so bytes changed on the way with the size the same are caught.
addHashCommand();
const PASSWORD = 'rahasia-hash-123';
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-ftp-hash-'));
let root = '';
let hashing: Awaited<ReturnType<typeof startFtpServer>>;
let refusing: Awaited<ReturnType<typeof startFtpServer>>;
before(async () => {
  hashing = await startFtpServer({ user: 'toko', password: PASSWORD, root: () => root });
  refusing = await startFtpServer({ user: 'toko', password: PASSWORD, root: () => root, refuse: ['HASH'] });
});
after(async () => {
  await hashing.close();
  await refusing.close();
  rmSync(work, { recursive: true, force: true });
});

const options = (port: number): FtpDestinationOptions =>
  ({ host: '127.0.0.1', port, user: 'toko', password: PASSWORD, dir: '/cadangan', secure: false, checkCertificate: true, timeoutMs: 5000 });
const fresh = (bytes: Buffer) => {
  root = mkdtempSync(path.join(work, 'root-'));
  return localFile(work, bytes);
};

test('a server with HASH: the copy is checked by its SHA-256 too, and its record says so', async () => {
  const bytes = randomBytes(50_000);
  const { location } = await new FtpDestination(options(hashing.port)).put(fresh(bytes), 'utuh.dump');
  assert.match(location, /utuh\.dump \(size and SHA-256 checked\)$/);
  assert.deepEqual(readFileSync(path.join(root, 'cadangan', 'utuh.dump')), bytes);
});

test('bytes changed on the way with the size the same: refused as corrupt, deleted there, nothing under the name', async () => {
  const file = fresh(randomBytes(50_000));
  hashing.state.mishap = 'flip';
  await expectFailure(new FtpDestination(options(hashing.port)).put(file, 'rusak.dump'),
    { kind: 'corrupt', retryable: true, says: /rusak\.dump arrived on .* with the right size but other bytes \(its SHA-256 differs\); it was deleted there/ });
  assert.deepEqual(readdirSync(path.join(root, 'cadangan')), []);
  const again = await new FtpDestination(options(hashing.port)).put(file, 'rusak.dump');
  assert.match(again.location, /SHA-256 checked/, 'the next try sends it again');
});

test('a server that lists HASH but refuses it: the size is what is checked, and said', async () => {
  const { location } = await new FtpDestination(options(refusing.port)).put(fresh(Buffer.from('isi')), 'ukuran.dump');
  assert.match(location, /ukuran\.dump \(size checked; the server gives no checksum\)$/);
});
