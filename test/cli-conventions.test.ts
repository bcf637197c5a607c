import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMMANDS } from '../src/cli/commands.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

/**
 * The command line's conventions, in this process (see tokobot-cli.ts): help on every command
 * without running it, unknown commands named with the nearest known one, empty arguments refused,
 * all in Indonesian by default and English by TOKOBOT_LANG or the locale.
 */
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-cli-conv-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Settings under which any command that did run would leave a trace or fail: folders that do not
 * exist yet, a PostgreSQL and a Dropbox that do not answer, a Telegram token (start would wait on it).
 */
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: path.join(dir, 'backups'), RESTORE_TARGET: 'external',
  PG_URL: 'postgres://nobody@127.0.0.1:9/none', DATA_DIR: path.join(dir, 'data'), TOKOBOT_DEMO_DATA_DIR: path.join(dir, 'demo'),
  TOKOBOT_DEMO_TARGET: 'external', TOKOBOT_DEMO_PG_URL: 'postgres://nobody@127.0.0.1:9/none', TELEGRAM_BOT_TOKEN: '123:never-used',
  DROPBOX_API_URL: 'http://127.0.0.1:9',
};
const run = (args: string[], extra: Record<string, string> = {}) => tokobot(args, { ...env, ...extra });
const lines = (text: string) => text.split('\n').filter(Boolean);

test('COMMAND --help and -h print that command\'s help, exit 0, and run nothing — every command, demo and start included', { timeout: 60_000 }, async () => {
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      // Options of the command and words it needs may come too: help comes first, and nothing is checked.
      const r = await run([...command.name.split(' '), flag, ...(command.name === 'demo' ? ['--ask', 'gula'] : [])]);
      assert.equal(r.code, 0, `${command.name} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, '', `${command.name} ${flag} printed on stderr`);
      assert.ok(r.stdout.startsWith(`Cara pakai: tokobot ${command.name}`), `${command.name} ${flag}:\n${r.stdout}`);
      assert.match(r.stdout, /\nPilihan:\n(.*\n)*  -h, --help +bantuan ini; tidak menjalankan apa pun\n/);
    }
  }
  for (const made of [env.DATA_DIR, env.TOKOBOT_DEMO_DATA_DIR, env.SOURCE_DIR]) assert.ok(!existsSync(made), `${made} was made: a command ran`);
  const en = await run(['backup', 'restore', '--help'], { TOKOBOT_LANG: 'en' });
  assert.match(en.stdout, /^Usage: tokobot backup restore FILE --into DB\n\nLoad a job's backup into a new database \(checked whole first\)\.\n.*\n\nOptions:\n  --into DB   the new \(or empty\) database to load into\n/);
});

test('tokobot help, help COMMAND, help GROUP: exit 0 on stdout; tokobot alone: the list, exit 2', async () => {
  const all = await run(['help']);
  assert.equal(all.code, 0);
  assert.match(all.stdout, /^Cara pakai: tokobot COMMAND \[OPTIONS\]\n\nPerintah:\n/);
  for (const command of COMMANDS) assert.match(all.stdout, new RegExp(`\\n  ${command.name} `), `${command.name} is not listed`);
  assert.deepEqual(await run(['--help']), all);
  const alone = await run([]);
  assert.equal(alone.code, 2);
  assert.equal(alone.stdout, all.stdout);

  const sync = await run(['help', 'sync'], { LANG: 'en_US.UTF-8' });
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /^Usage: tokobot sync \[--store ID\] \[--json\]\n\nSync the newest backup of one store \(default: every store\)\.\nExit code 0 /);
  assert.match(sync.stdout, /\n  --store ID +only this store/);
  assert.deepEqual(await run(['sync', '--help'], { LANG: 'en_US.UTF-8' }), sync);
  const group = await run(['help', 'backup']);
  assert.equal(group.code, 0);
  assert.deepEqual(lines(group.stdout).slice(2).map((l) => l.trim().split(' ').slice(0, 2).join(' ')),
    ['backup run', 'backup list', 'backup prune', 'backup decrypt', 'backup restore']);
  assert.match((await run(['help', 'backup', 'run'])).stdout, /^Cara pakai: tokobot backup run JOB \[--json\]\n/);
});

test('an unknown command is named, with the nearest known one; exit 2, one line on stderr', async () => {
  const cases: [string[], RegExp][] = [
    [['stauts'], /^tokobot: perintah "stauts" tidak dikenal; mungkin maksud Anda tokobot status\?\n$/],
    [['synk', '--json'], /^tokobot: perintah "synk" tidak dikenal; mungkin maksud Anda tokobot sync\?\n$/],
    [['doktor'], /^tokobot: perintah "doktor" tidak dikenal; mungkin maksud Anda tokobot doctor\?\n$/],
    [['backup', 'rnu', 'shop'], /^tokobot: perintah "backup rnu" tidak dikenal; mungkin maksud Anda tokobot backup run\?\n$/],
    [['help', 'inspekt'], /^tokobot: perintah "inspekt" tidak dikenal; mungkin maksud Anda tokobot inspect\?\n$/],
    [['frobnicate'], /^tokobot: perintah "frobnicate" tidak dikenal; tokobot help menampilkan semua perintah\n$/],
    [['x'], /^tokobot: perintah "x" tidak dikenal; tokobot help menampilkan semua perintah\n$/],
  ];
  for (const [args, expected] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, expected);
    assert.equal(r.stdout, '');
  }
  const en = await run(['stauts'], { TOKOBOT_LANG: 'en' });
  assert.equal(en.stderr, 'tokobot: unknown command "stauts"; did you mean tokobot status?\n');
  assert.equal((await run(['frobnicate', '--help'])).code, 2, 'help on an unknown command is the same usage error');
});

test('a command given wrongly is a usage error naming what is wrong, with the command\'s usage; exit 2, nothing run', async () => {
  const cases: [string[], string][] = [
    [['ask', ''], 'tokobot: ask butuh TEXT: tokobot ask "TEXT" [--store ID] [--json]'],
    [['ask', '   ', ' '], 'tokobot: ask butuh TEXT: tokobot ask "TEXT" [--store ID] [--json]'],
    [['ask'], 'tokobot: ask butuh TEXT: tokobot ask "TEXT" [--store ID] [--json]'],
    [['inspect'], 'tokobot: inspect butuh FILE: tokobot inspect FILE [--json]'],
    [['backup'], 'tokobot: backup butuh salah satu dari: run, list, prune, decrypt atau restore'],
    [['backup', 'restore', 'x.dump'], 'tokobot: backup restore butuh --into DB: tokobot backup restore FILE --into DB'],
    [['sync', '--into', 'x'], 'tokobot: sync tidak punya pilihan --into: tokobot sync [--store ID] [--json]'],
    [['sync', '--frob'], 'tokobot: pilihan --frob tidak dikenal: tokobot sync [--store ID] [--json]'],
    [['sync', '--store'], 'tokobot: --store butuh nilai: tokobot sync [--store ID] [--json]'],
    [['sync', '--json=yes'], 'tokobot: --json tidak menerima nilai: tokobot sync [--store ID] [--json]'],
    [['status', 'now'], 'tokobot: status tidak menerima "now": tokobot status [--json]'],
    // Checked before the settings are read: no config error comes first.
    [['worker', '--concurrency', 'nol'], 'tokobot: --concurrency harus bilangan bulat 1 sampai 64, bukan "nol"'],
    [['worker', '--concurrency', '65'], 'tokobot: --concurrency harus bilangan bulat 1 sampai 64, bukan "65"'],
  ];
  for (const [args, expected] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, `${expected}\n`);
  }
  assert.equal((await run(['ask', ''], { TOKOBOT_LANG: 'en' })).stderr, 'tokobot: ask needs TEXT: tokobot ask "TEXT" [--store ID] [--json]\n');
  assert.ok(!existsSync(env.DATA_DIR));
});
