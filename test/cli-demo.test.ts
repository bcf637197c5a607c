import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers/free-port.ts';

/**
 * `npm run demo -- --ask ...` as a newcomer runs it, in a fresh copy of the repository's files
 * (what a clone holds; node_modules linked in): no .env, no Docker, no Dropbox, no Telegram — the
 * sample store synced into the embedded PostgreSQL under the default data/demo, then one answer.
 */
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const clone = mkdtempSync(path.join(tmpdir(), 'tokobot-demo-'));
chmodSync(clone, 0o755); // as a checkout is; mkdtemp makes it 0700

after(() => {
  try { execFileSync('pkill', ['-f', clone]); } catch { /* nothing left running, as it should be */ }
  rmSync(clone, { recursive: true, force: true });
});

before(() => {
  for (const file of execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean)) {
    if (existsSync(path.join(root, file))) cpSync(path.join(root, file), path.join(clone, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
});

function demo(args: string[], port: number, extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'demo', '--', ...args], { cwd: clone, timeout: 120_000,
      env: { PATH: process.env.PATH ?? '', HOME: clone, PG_EMBEDDED_PORT: String(port), ...extraEnv } },
    (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

test('npm run demo -- --ask: syncs the sample store with progress, answers once, and stops its PostgreSQL', async () => {
  const port = await freePort();
  const r = await demo(['--ask', 'indomie'], port);
  assert.equal(r.code, 0, r.stderr);
  // In Indonesian by default (no locale here).
  assert.match(r.stderr, /tokobot demo: toko contoh di demo\/toko-contoh, PostgreSQL embedded di .*\/data\/demo/);
  assert.match(r.stderr, /9\/9 publish/);
  assert.match(r.stderr, /\d+ baris harga dari backup_toko_contoh\.i5bu terbit\./);
  assert.doesNotMatch(r.stderr, /"level"|^\s+at /m, 'no log record on the terminal');
  assert.match(r.stdout, /^\[Toko Contoh\]/);
  assert.match(r.stdout, /Rp \d/);
  // The terminal chat speaks the setting's language (here an English locale) to a user who chose none.
  const again = await demo(['--ask', '/status'], port, { LANG: 'en_US.UTF-8' });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /The price list from backup_toko_contoh\.i5bu is already published\./);
  assert.match(again.stdout, /Toko Contoh: (OK|ATTENTION|CHECK)\nNewest backup: /);
  assert.throws(() => execFileSync('pgrep', ['-f', clone]), 'no PostgreSQL left running');
});

test('the terminal chat answers what the bot answers, line by line, and ends at the end of input', async () => {
  const port = await freePort();
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile('npm', ['run', '--silent', 'demo'], { cwd: clone, timeout: 120_000, env: { PATH: process.env.PATH ?? '', HOME: clone, PG_EMBEDDED_PORT: String(port) } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    child.stdin?.end('gula\n/status\n/sync\n/help\n');
  });
  assert.equal(r.code, 0, r.stderr);
  const answers = r.stdout.split('tokobot> ').slice(1);
  assert.equal(answers.length, 5, r.stdout); // four answers, then the prompt that meets the end of input
  assert.match(answers[0] ?? '', /^\[Toko Contoh\]\n.*GULA.* Rp \d/s);
  // The sample backup's age runs from its dump time, so the sample store is OK only for two days after it was made.
  assert.match(answers[1] ?? '', /^\[Status\]\nToko Contoh: (OK|PERHATIAN|PERLU DICEK)\b.*\nBackup terbaru: backup_toko_contoh\.i5bu, [\d,]+ (jam|hari) lalu\n  dump \d+ \w{3} \d{4} \d\d:\d\d WIB · /);
  assert.match(answers[2] ?? '', /Sync Toko Contoh: tidak ada backup baru \(backup_toko_contoh\.i5bu sudah dipakai\)/);
  assert.match(answers[3] ?? '', /\/status — status backup dan sync\n/);
  assert.equal(answers[4], '');
  assert.throws(() => execFileSync('pgrep', ['-f', clone]), 'no PostgreSQL left running');
});

// As root the server runs as "postgres", which must pass through every folder above its cluster.
test('as root, a data folder the server cannot pass through is named, with the fix', { skip: process.getuid?.() !== 0 && 'not root' }, async () => {
  chmodSync(path.join(clone, 'data'), 0o700);
  const r = await demo(['--ask', 'indomie'], await freePort());
  assert.equal(r.code, 1, r.stderr);
  // In the demo's language (Indonesian unless the locale says English): the folder, its mode and the fix.
  assert.match(r.stderr, new RegExp(`tidak bisa melewati ${clone}/data \\(mode 700\\)\\. .*chmod o\\+x ${clone}/data`));
});
