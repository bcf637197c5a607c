import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
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

test('RESTORE_TARGET=auto: a Docker Engine that answers /_ping means Docker; one that never answers means the embedded server', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-auto-'));
  const servers: http.Server[] = [];
  const serve = async (name: string, handler: http.RequestListener) => {
    const socket = path.join(dir, name);
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return socket;
  };
  try {
    const pings: string[] = [];
    const answering = await serve('docker.sock', (req, res) => { pings.push(req.url ?? ''); res.end('OK'); });
    const silent = await serve('silent.sock', () => undefined);
    const quiet = pino({ level: 'silent' });
    const choose = (socket: string) => buildTarget(loadConfig({ SOURCE: 'folder', SOURCE_DIR: dir, DATA_DIR: dir, DOCKER_SOCKET: socket }), quiet);
    assert.equal((await choose(answering)).kind, 'docker');
    assert.deepEqual(pings, ['/_ping']);
    assert.equal((await choose(silent)).kind, 'embedded');
  } finally {
    for (const s of servers) { s.closeAllConnections(); s.close(); }
    rmSync(dir, { recursive: true, force: true });
  }
});
