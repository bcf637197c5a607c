import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port.ts';
import { LOCAL_PG_URL, requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';
import { TOKOBOT_BIN } from '../helpers/tokobot-cli.ts';

// `tokobot web --link`: the dashboard alone, as its own process, printing a one-time sign-in link
// for the person at the terminal (the owner, as in `tokobot chat`).

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-web-link-${process.pid}-`));
const OPS = `tokobot_t_weblink_${process.pid}`;
let ops: ScratchOps | undefined;

before(async () => { if (!skip) ops = await scratchOps(OPS); });
after(async () => {
  await ops?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('tokobot web --link prints a link that signs the terminal\'s person in as the owner, once', { skip, timeout: 60_000 }, async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [TOKOBOT_BIN, 'web', '--link'], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL,
      OPS_DATABASE: OPS, DATA_DIR: path.join(dir, 'data'), WEB_PORT: String(port), LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const link = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no link printed: ${stdout} ${stderr}`)), 45_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        const found = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(stdout);
        if (found) { clearTimeout(timer); resolve(found[0]); }
      });
      child.on('close', () => { clearTimeout(timer); reject(new Error(`exited: ${stderr}`)); });
    });
    assert.match(stdout, /^Tautan masuk dasbor web \(sekali pakai, berlaku 10 menit\):\n/);
    assert.equal(new URL(link).port, String(port));
    const signedIn = await fetch(link, { redirect: 'manual' });
    assert.equal(signedIn.status, 303);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const res = await fetch(`http://127.0.0.1:${port}/akses`, { headers: { cookie } });
    const page = await res.text();
    assert.equal(res.status, 200, `${page} ${stderr}`);
    assert.match(page, /Masuk sebagai 0 \(pemilik\)/, 'the owner: the access page opens');
    assert.match(page, /terminal · pemilik/);
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 410, 'the link works once');
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  }
});
