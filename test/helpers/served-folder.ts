import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DestinationUnderTest } from '../adapters/backup-destination-contract.ts';

/**
 * The folder `sub` under a test server's root (FTP, SFTP), as the destination contract arranges
 * and inspects it: files planted and read there directly, beside the server.
 */
export function servedFolder(top: string, sub: string): Pick<DestinationUnderTest, 'plant' | 'stored' | 'block'> {
  const dir = path.join(top, sub);
  const at = (name: string) => path.join(dir, name);
  return {
    plant: async (name, bytes) => { mkdirSync(path.dirname(at(name)), { recursive: true }); writeFileSync(at(name), bytes); },
    stored: async () => {
      const files = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()) : [];
      return Object.fromEntries(files.map((e) => [e.name, readFileSync(at(e.name))]));
    },
    block: async (name) => { mkdirSync(at(name), { recursive: true }); writeFileSync(path.join(at(name), 'isi.txt'), 'in the way'); },
  };
}

/** Fails when an error's message, in either language, holds `secret`. */
export const withoutSecret = (secret: string) => (err: { message: string; messageId?: string }) => {
  assert.ok(!err.message.includes(secret) && !(err.messageId ?? '').includes(secret), 'the secret is in the message');
};
