import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderDestination } from '../../src/adapters/folder/folder-destination.ts';
import { backupDestinationContract } from './backup-destination-contract.ts';

/** A second disk or a NAS mount: the file is linked or copied in place, nothing travels, no network to lose. */
backupDestinationContract('folder', async () => {
  const root = mkdtempSync(path.join(tmpdir(), `tokobot-folder-destination-${process.pid}-`));
  const dir = path.join(root, 'cadangan');
  const at = (name: string) => path.join(dir, name);
  return {
    destination: new FolderDestination(dir),
    plant: async (name, bytes) => {
      mkdirSync(path.dirname(at(name)), { recursive: true });
      writeFileSync(at(name), bytes);
    },
    stored: async () => {
      const files = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()) : [];
      return Object.fromEntries(files.map((e) => [e.name, readFileSync(at(e.name))]));
    },
    block: async (name) => {
      mkdirSync(at(name), { recursive: true });
      writeFileSync(path.join(at(name), 'isi.txt'), 'a folder in the way');
    },
    readOnly: () => {
      writeFileSync(path.join(root, 'berkas'), 'a file where a folder should be');
      return new FolderDestination(path.join(root, 'berkas', 'cadangan'));
    },
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
}, {
  says: { blocked: /^Could not store .* in .*cadangan: EISDIR/, interrupted: /^The copy of .* was stopped before it finished; nothing was kept there/,
    unreadable: /^Could not store .*: ENOENT/, refused: /^Could not store .*: ENOTDIR/ },
});

test('the folder is 0700 and each backup in it 0600: backups are for the owner alone', async () => {
  const root = mkdtempSync(path.join(tmpdir(), `tokobot-folder-destination-${process.pid}-`));
  try {
    const local = path.join(root, 'work.dump');
    writeFileSync(local, 'PGDMP');
    const dir = path.join(root, 'cadangan');
    await new FolderDestination(dir).put(local, 'toko.dump');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, 'toko.dump')).mode & 0o777, 0o600);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
