import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderSource } from '../../src/adapters/folder/folder-source.ts';
import { backupSourceContract } from './backup-source-contract.ts';

/** A folder the Dropbox desktop client keeps in sync: it has no network of its own to lose. */
backupSourceContract('folder', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-folder-source-${process.pid}-`));
  const at = (name: string) => path.join(dir, name);
  return {
    source: new FolderSource(dir),
    add: async (name, bytes, modifiedAt) => {
      mkdirSync(path.dirname(at(name)), { recursive: true });
      writeFileSync(at(name), bytes);
      utimesSync(at(name), modifiedAt, modifiedAt);
    },
    replace: async (name, bytes) => writeFileSync(at(name), bytes),
    remove: async (name) => rmSync(at(name)),
    misplaced: () => new FolderSource(at('nonexistent')),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}, {
  announcesHash: false,
  says: { missing: /disappeared from .* after it was listed/, changed: /changed while being copied/, misplaced: /cannot be read \(ENOENT\): check SOURCE_DIR/ },
});
