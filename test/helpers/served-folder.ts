import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DestinationUnderTest } from '../adapters/backup-destination-contract.ts';
import type { BackupDestination } from '../../src/pipeline/backup/ports.ts';

/** A test server (FTP, SFTP) whose next upload can be made to go wrong. */
interface ServerWithMishaps { state: { mishap: unknown } }

/**
 * A destination on a test server (FTP, SFTP) whose login root is `top`, as the destination
 * contract arranges and inspects it: its folder `cadangan` read and planted in directly, beside
 * the server; `make` builds the destination, in another folder or at another port when asked.
 */
export function servedDestination(top: string, server: ServerWithMishaps,
  make: (over?: { dir?: string; port?: number }) => BackupDestination): DestinationUnderTest {
  const dir = path.join(top, 'cadangan');
  const at = (name: string) => path.join(dir, name);
  return {
    destination: make(),
    plant: async (name, bytes) => { mkdirSync(path.dirname(at(name)), { recursive: true }); writeFileSync(at(name), bytes); },
    stored: async () => {
      const files = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()) : [];
      return Object.fromEntries(files.map((e) => [e.name, readFileSync(at(e.name))]));
    },
    block: async (name) => { mkdirSync(at(name), { recursive: true }); writeFileSync(path.join(at(name), 'isi.txt'), 'in the way'); },
    damageNextPut: () => { server.state.mishap = 'damage'; },
    readOnly: () => {
      writeFileSync(path.join(top, 'berkas'), 'a file where a folder should be');
      return make({ dir: '/berkas/cadangan' });
    },
    unreachable: () => make({ port: 1 }),
    close: async () => { server.state.mishap = null; rmSync(top, { recursive: true, force: true }); },
  };
}

/** Fails when an error's message, in either language, holds `secret`. */
export const withoutSecret = (secret: string) => (err: { message: string; messageId?: string }) => {
  assert.ok(!err.message.includes(secret) && !(err.messageId ?? '').includes(secret), 'the secret is in the message');
};

/** A local file of `bytes` in `dir`, under a name of its own: what a put sends. */
export function localFile(dir: string, bytes: Buffer): string {
  const file = path.join(dir, `lokal-${randomBytes(4).toString('hex')}.dump`);
  writeFileSync(file, bytes);
  return file;
}
