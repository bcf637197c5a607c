import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-port.ts';
import { skipUnless } from '../helpers/needs.ts';

/**
 * The README's promise: the tests pass anywhere `npm install` does. test/bare-machine.sh hides
 * every database server, Docker socket and client program; the sync suite and the demo must then
 * pass against the embedded PostgreSQL that the test runner starts.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const skip = skipUnless(process.getuid?.() === 0 ? undefined : 'test/bare-machine.sh needs root (unshare, mount)');

test('with no PostgreSQL, MariaDB, Docker or client programs, the sync and demo suites pass on the embedded server', { skip, timeout: 240_000 }, async () => {
  const cluster = mkdtempSync(path.join(tmpdir(), 'tokobot-bare-pg-'));
  const port = await freePort();
  try {
    const files = ['test/pipeline/sync-e2e.test.ts', 'test/cli-demo.test.ts'];
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile('bash', ['test/bare-machine.sh', process.execPath, '--import', 'tsx', 'test/run-tests.ts', ...files], {
        cwd: root, timeout: 230_000, maxBuffer: 64 << 20,
        // A cluster and port of its own: the outer run may be using the default ones (the server's
        // socket lock lives in /tmp, which the bare machine shares).
        env: { ...process.env, TOKOBOT_TEST_PG_DIR: path.join(cluster, 'pg'), TOKOBOT_TEST_PG_PORT: String(port) },
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
    });
    assert.equal(r.code, 0, r.out.slice(-4000));
    assert.match(r.out, new RegExp(`tests: no PostgreSQL answers on 127\\.0\\.0\\.1:5432; using the embedded PostgreSQL \\(.*, port ${port}\\)`));
    // The runner's closing line sums its files (each file's own "# pass" comes in the order files end).
    const [, passed = 0, failed = -1, skipped = -1] = (/^tests: (\d+) passed, (\d+) failed, (\d+) skipped/m.exec(r.out) ?? []).map(Number);
    assert.equal(failed, 0, r.out.slice(-3000));
    assert.ok(passed >= 10, `only ${passed} tests passed:\n${r.out.slice(-3000)}`);
    // The one sync test that needs a restore server older than PostgreSQL 17 is the only skip.
    assert.equal(skipped, 1, r.out.slice(-3000));
  } finally {
    rmSync(cluster, { recursive: true, force: true });
  }
});
