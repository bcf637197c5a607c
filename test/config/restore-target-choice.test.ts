import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildTarget } from '../../src/main/restore-target.ts';
import { loadConfig } from '../../src/config/load-config.ts';

test('RESTORE_TARGET=auto (the default): no Docker Engine at the socket means the embedded server, said in one log line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-auto-'));
  try {
    const config = loadConfig({ SOURCE: 'folder', SOURCE_DIR: dir, DATA_DIR: dir, DOCKER_SOCKET: path.join(dir, 'no-docker.sock') });
    assert.equal(config.restore.target, 'auto');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line).msg); } });
    const target = await buildTarget(config, logger);
    assert.equal(target.kind, 'embedded');
    assert.deepEqual(lines, [`no Docker Engine answers at ${path.join(dir, 'no-docker.sock')}: using the embedded PostgreSQL under ${path.join(dir, 'pg')} (set RESTORE_TARGET to choose)`]);
    assert.match(await target.diagnose(), /will be created in .* at the first sync/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
