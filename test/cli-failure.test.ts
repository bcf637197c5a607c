import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

/**
 * How the command line fails, in this process (see tokobot-cli.ts): an expected failure is one
 * line (what, why, what to do) with no stack and nothing said twice, in Indonesian or English;
 * --verbose or LOG_LEVEL=debug adds the detail; anything else is one line with a reference, the
 * detail in the log under the same reference.
 */
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-cli-fail-${process.pid}-`));
const sample = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo', 'toko-contoh', 'backup_toko_contoh.i5bu');
const truncated = path.join(dir, 'backup_terpotong.i5bu');
const env = { PATH: process.env.PATH ?? '', HOME: dir };

before(() => {
  const whole = readFileSync(sample);
  writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const STACK_LINE = /^\s+at /m;
const repeated = (text: string) => text.split('\n').filter((l, i, all) => l && all.indexOf(l) !== i);

test('a truncated backup: one line on stderr saying what, why and what to do; no stack, nothing twice; exit 1 — in Indonesian and in English', async () => {
  const id = await tokobot(['inspect', truncated], env);
  assert.equal(id.code, 1);
  assert.equal(id.stdout, '');
  assert.equal(id.stderr.split('\n').length, 2, `one line:\n${id.stderr}`);
  assert.match(id.stderr, /^tokobot: File backup rusak atau tidak lengkap, jadi tidak dipakai: backup_terpotong\.i5bu: file backup terpotong: .* tidak utuh \(.*; ukuran file \d+ byte\)\. .*Buat backup baru di iPOS/);
  assert.doesNotMatch(id.stderr, /truncated|Take a new backup|the file/, 'the detail is in Indonesian too');
  assert.doesNotMatch(id.stderr, STACK_LINE);

  const en = await tokobot(['inspect', truncated], { ...env, LANG: 'en_US.UTF-8' });
  assert.equal(en.code, 1);
  assert.equal(en.stderr.split('\n').length, 2, `one line:\n${en.stderr}`);
  assert.match(en.stderr, /^tokobot: The backup file is damaged or incomplete, so it was not used: backup_terpotong\.i5bu: the backup is truncated: .* Take a new backup in iPOS/);
  assert.doesNotMatch(en.stderr, /terpotong:|Buat backup/, 'no Indonesian for an English reader');
  const numbers = (s: string) => s.match(/\d+/g)?.join(' ');
  assert.equal(numbers(id.stderr), numbers(en.stderr), 'the same numbers in both languages');
  assert.equal(en.stderr.match(/truncated/g)?.length, 1, 'the detail is said once');
  assert.deepEqual(repeated(en.stderr), []);
});

test('--verbose, or LOG_LEVEL=debug, adds the whole headline and the stack after the same line', async () => {
  const plain = await tokobot(['inspect', truncated], { ...env, TOKOBOT_LANG: 'en' });
  for (const r of [await tokobot(['inspect', truncated, '--verbose'], { ...env, TOKOBOT_LANG: 'en' }), await tokobot(['inspect', truncated], { ...env, TOKOBOT_LANG: 'en', LOG_LEVEL: 'debug' })]) {
    assert.equal(r.code, 1);
    assert.ok(r.stderr.startsWith(plain.stderr), 'the same first line');
    assert.match(r.stderr, /\nThe backup file is damaged or incomplete, so it was not used\. Make a new backup/);
    assert.match(r.stderr, /\nAppError: backup_terpotong\.i5bu: the backup is truncated/);
    assert.match(r.stderr, STACK_LINE);
  }
  const usage = await tokobot(['sync', '--frob', '--verbose'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^tokobot: pilihan --frob tidak dikenal: tokobot sync .*\n.*\nAppError: /, 'a usage error too');
});

/** Standard output that fails under the command's feet: a failure no code path expects. */
const brokenOut = { write() { throw new TypeError('stdout went away'); } } as unknown as NodeJS.WritableStream;

async function unexpected(extraEnv: Record<string, string>, args = ['help']): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(args, {
    env: { ...env, ...extraEnv }, stdin: Readable.from([]), stdout: brokenOut,
    stderr: new Writable({ write(chunk: Buffer, _encoding, done) { stderr += chunk.toString(); done(); } }),
  });
  return { code, stderr };
}

test('an unexpected error: one short line with a reference, exit 1; the detail in DATA_DIR/logs/cli.log under the same reference', async () => {
  const data = path.join(dir, 'data');
  mkdirSync(data);
  const r = await unexpected({ DATA_DIR: data });
  assert.equal(r.code, 1);
  const log = path.join(data, 'logs', 'cli.log');
  const [, ref] = /^tokobot: kesalahan tak terduga \(ref ([0-9a-f]{8})\); rinciannya di log: (.+)\n$/.exec(r.stderr) ?? assert.fail(r.stderr);
  assert.ok(r.stderr.endsWith(`${log}\n`));
  const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const record = records.find((x) => x.ref === ref) ?? assert.fail(`no record with ref ${ref}`);
  assert.equal(record.level, 50);
  assert.equal(record.command, 'help');
  assert.match(record.err.stack, /^TypeError: stdout went away\n\s+at /);
  assert.equal(statSync(log).mode & 0o077, 0, 'the log is the owner\'s only');

  const en = await unexpected({ DATA_DIR: data, TOKOBOT_LANG: 'en', LOG_LEVEL: 'debug' });
  assert.match(en.stderr, /^tokobot: unexpected error \(ref [0-9a-f]{8}\); details in the log: .*cli\.log\nTypeError: stdout went away\n\s+at /, 'LOG_LEVEL=debug: the stack too');
});

test('an unexpected error where DATA_DIR does not exist: the record on stderr, then the line pointing to it; no folder made', async () => {
  const missing = path.join(dir, 'nowhere');
  const r = await unexpected({ DATA_DIR: missing, TOKOBOT_LANG: 'en' });
  assert.equal(r.code, 1);
  const ref = /\(ref ([0-9a-f]{8})\); details in the log: the record on stderr above\n$/.exec(r.stderr)?.[1] ?? assert.fail(r.stderr);
  assert.match(r.stderr, new RegExp(`^tokobot: unexpected error \\{"ref":"${ref}","command":"help"\\}\\n    TypeError: stdout went away\\n\\s+at `));
  assert.throws(() => statSync(missing));
});
