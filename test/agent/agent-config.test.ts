import { after, test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAgentConfig, pgDumpPath } from '../../src/config/agent-config.ts';
import type { AgentFile } from '../../src/config/agent-file-schema.ts';

const made: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-config-')); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const TOKEN = 'tka_0123456789abcdefghijklmnop';
const agentFile = (over: Partial<AgentFile> = {}): AgentFile => ({
  headOffice: { url: 'https://pusat.example.com', token: TOKEN, store: 'cabang_1', instance: '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11' },
  jobs: [{ id: 'ipos', type: 'postgres', urlEnv: 'IPOS_DB_URL', ipos: true, schedule: '0 2 * * *', destinations: [{ type: 'local', dir: 'copies' }] }],
  ...over,
});

function write(dir: string, content: unknown, name = 'agent.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
  return file;
}

function problems(env: Record<string, string>): string[] {
  const lines = configProblems({ TOKOBOT_LANG: 'en', ...env }, loadAgentConfig);
  assert.ok(!lines.join('\n').includes(TOKEN), 'the token is never in an error');
  return lines;
}

test('agent.json in DATA_DIR with the environment: jobs resolved, local dirs absolute, defaults', () => {
  const dir = tempDir();
  write(dir, agentFile());
  const c = loadAgentConfig({ DATA_DIR: dir, IPOS_DB_URL: 'postgres://ipos@127.0.0.1:5432/i5', STORE_TZ: 'Asia/Makassar', DISK_MIN_FREE_MB: '100', TOKOBOT_LANG: 'en' });
  assert.equal(c.dataDir, dir);
  assert.equal(c.file, path.join(dir, 'agent.json'));
  assert.equal(c.headOffice.store, 'cabang_1');
  assert.equal(c.heartbeatSeconds, 300);
  assert.equal(c.jobs[0]?.url, 'postgres://ipos@127.0.0.1:5432/i5');
  assert.equal(c.jobs[0]?.extension, '.i5bu');
  assert.deepEqual(c.jobs[0]?.destinations, [{ type: 'local', dir: path.resolve('copies') }]);
  assert.deepEqual(c.locale, { lang: 'en', zone: 'Asia/Makassar' });
  assert.equal(c.diskMinFreeBytes, 100 * 1024 * 1024);
  assert.equal(c.pgDump, 'pg_dump');
  assert.equal(c.fileWarning, undefined);
});

test('a missing agent.json says how to enrol, in both languages', () => {
  const dir = tempDir();
  const [en] = problems({ DATA_DIR: dir });
  assert.match(en ?? '', /^AGENT_CONFIG: this computer is not enrolled yet .*tokobot agent enroll URL TOKEN/);
  try {
    loadAgentConfig({ DATA_DIR: dir, TOKOBOT_LANG: 'id' });
    assert.fail('accepted');
  } catch (err) {
    assert.match(String((err as Error).message), /belum didaftarkan.*tokobot agent enroll URL TOKEN/);
  }
});

test('AGENT_CONFIG points elsewhere; each problem is one line naming the field', () => {
  const dir = tempDir();
  const file = write(dir, agentFile({
    headOffice: { url: 'http://pusat.example.com', token: TOKEN, store: 'cabang_1', instance: '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11' },
    jobs: [{ id: 'ipos', type: 'postgres', urlEnv: 'NOT_SET', destinations: [{ type: 'dropbox', folder: '/ipos' }], schedule: 'nightly' }],
  }), 'elsewhere.json');
  const lines = problems({ DATA_DIR: tempDir(), AGENT_CONFIG: file });
  assert.equal(lines.length, 4, lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith(`${file}: headOffice.url: plain http`)), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('urlEnv') && l.includes('NOT_SET')), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('.schedule')), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('DROPBOX_APP_KEY')), lines.join('\n'));
});

test('a broken agent.json names the place, never quotes the token', () => {
  const dir = tempDir();
  write(dir, `{"headOffice": {"token": "${TOKEN}", }}`);
  const [line] = problems({ DATA_DIR: dir });
  assert.match(line ?? '', /is not valid JSON/);
  write(dir, { ...agentFile(), extra: 1 });
  assert.ok(problems({ DATA_DIR: dir }).some((l) => l.includes('extra')));
});

test('plain http is fine on loopback; a readable file is warned about; PG_BIN_DIR finds pg_dump', () => {
  const dir = tempDir();
  const file = write(dir, agentFile({
    headOffice: { url: 'http://127.0.0.1:8080', token: TOKEN, store: 'cabang_1', instance: '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11' },
    jobs: [{ id: 'ipos', type: 'postgres', url: 'postgres://ipos@127.0.0.1/i5', destinations: [{ type: 'local', dir: path.join(dir, 'out') }] }],
  }));
  chmodSync(file, 0o644);
  const c = loadAgentConfig({ DATA_DIR: dir, PG_BIN_DIR: '/opt/pg/bin', TOKOBOT_LANG: 'en' });
  assert.match(c.fileWarning?.en ?? '', /chmod 600/);
  assert.equal(c.pgDump, '/opt/pg/bin/pg_dump');
  assert.equal(pgDumpPath('C:\\Program Files\\PostgreSQL\\9.6\\bin', 'win32'), 'C:\\Program Files\\PostgreSQL\\9.6\\bin\\pg_dump.exe');
});
