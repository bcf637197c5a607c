import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Settings whose config file (TOKOBOT_CONFIG) holds `jobs`, each call its own file in a folder of
 * the test file's (removed after it), with a folder source and an external restore server, plus
 * `extra` variables: what the backup job config tests load.
 */
export function jobsEnv(name: string): { dir: string; env: (jobs: object[], extra?: Record<string, string>) => Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-${name}-${process.pid}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    env: (jobs, extra = {}) => {
      const file = path.join(dir, `tokobot-${n++}.json`);
      writeFileSync(file, JSON.stringify({ jobs }));
      return { SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', TOKOBOT_CONFIG: file, ...extra };
    },
  };
}
