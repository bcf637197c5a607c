import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers/free-port.ts';

/**
 * `npm run demo -- --ask ...` as a newcomer runs it: no .env, no Docker, no Dropbox, no Telegram —
 * the sample store in the repository, synced into the embedded PostgreSQL, then one answer.
 */
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = mkdtempSync(path.join(tmpdir(), 'tokobot-demo-'));

after(() => {
  try { execFileSync('pkill', ['-f', data]); } catch { /* nothing left running, as it should be */ }
  rmSync(data, { recursive: true, force: true });
});


function demo(args: string[], port: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'demo', '--', ...args], { cwd: root, timeout: 120_000,
      env: { PATH: process.env.PATH ?? '', HOME: data, TOKOBOT_DEMO_DATA_DIR: data, PG_EMBEDDED_PORT: String(port) } },
    (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

test('npm run demo -- --ask: syncs the sample store with progress, answers once, and stops its PostgreSQL', async () => {
  const port = await freePort();
  const r = await demo(['--ask', 'indomie'], port);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /tokobot demo: the sample store in demo\/toko-contoh, PostgreSQL embedded/);
  assert.match(r.stderr, /8\/8 publish/);
  assert.match(r.stderr, /Published \d+ price rows from backup_toko_contoh\.i5bu\./);
  assert.match(r.stdout, /^\[Toko Contoh\]/);
  assert.match(r.stdout, /Rp \d/);
  const again = await demo(['--ask', '/status'], port);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /is already published/);
  assert.match(again.stdout, /Toko Contoh: /);
  assert.throws(() => execFileSync('pgrep', ['-f', data]), 'no PostgreSQL left running');
});
