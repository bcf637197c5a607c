import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobsEnv } from '../helpers/jobs-env.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { loadAgentConfig } from '../../src/config/agent-config.ts';
import { configProblems } from '../helpers/config-problems.ts';

// A backup job of type tokobot (README: Rebuilding a lost server): no URL, encryption required.

const { dir, env } = jobsEnv('selfconfig');

const self = (more: object = {}) => ({ id: 'self', type: 'tokobot', encryption: { passphraseEnv: 'SELF_PASS' }, destinations: [{ type: 'local', dir }], ...more });

test('a tokobot job: no url, its file named .tokobot.tar.enc, the config file and .env it backs up resolved', () => {
  const e = env([self({ schedule: '0 3 * * *' })], { SELF_PASS: 'a long enough passphrase' });
  const c = loadConfig(e, { envFile: path.join(dir, '.env') });
  const [job] = c.jobs;
  assert.equal(job?.type, 'tokobot');
  assert.equal(job?.url, '');
  assert.equal(job?.extension, '.tokobot.tar.enc');
  assert.equal(job?.passphrase, 'a long enough passphrase');
  assert.equal(job?.schedule, '0 3 * * *');
  assert.deepEqual(c.files, { config: path.resolve(e.TOKOBOT_CONFIG as string), env: path.join(dir, '.env') });
  assert.deepEqual(loadConfig(e).files, { config: path.resolve(e.TOKOBOT_CONFIG as string) }, 'no .env read: none backed up');
});

test('a tokobot job without encryption, or with a url, is a config problem in both languages', () => {
  const plain = env([{ id: 'self', type: 'tokobot', destinations: [{ type: 'local', dir }] }]);
  const en = configProblems({ ...plain, TOKOBOT_LANG: 'en' });
  assert.ok(en.some((l) => l.endsWith('jobs.0.encryption: a tokobot job must be encrypted (encryption: { passphraseEnv: ... }): its file holds secrets (.env, database passwords)')), en.join('\n'));
  const id = configProblems({ ...plain, TOKOBOT_LANG: 'id' });
  assert.ok(id.some((l) => l.endsWith('jobs.0.encryption: job tokobot wajib dienkripsi (encryption: { passphraseEnv: ... }): file-nya berisi rahasia (.env, password database)')), id.join('\n'));
  const withUrl = configProblems({ ...env([self({ url: 'postgres://u@h/db' })], { SELF_PASS: 'a long enough passphrase' }), TOKOBOT_LANG: 'en' });
  assert.ok(withUrl.some((l) => l.endsWith('jobs.0.url: a tokobot job backs up tokobot\'s own ops database: remove url/urlEnv')), withUrl.join('\n'));
  const unset = configProblems({ ...env([self()]), TOKOBOT_LANG: 'en' });
  assert.ok(unset.some((l) => l.includes('jobs.0 (self).encryption.passphraseEnv') && l.includes('SELF_PASS')), unset.join('\n'));
  const ipos = configProblems({ ...env([self({ ipos: true })], { SELF_PASS: 'a long enough passphrase' }), TOKOBOT_LANG: 'en' });
  assert.ok(ipos.some((l) => l.endsWith('jobs.0.ipos: only a postgres job can hold an iPOS database')), ipos.join('\n'));
});

test('a shop agent refuses a tokobot job', () => {
  const file = path.join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify({
    headOffice: { url: 'https://ho.example.com', token: 'tok_'.padEnd(40, 'x'), store: 'shop1', instance: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f' },
    jobs: [self()],
  }), { mode: 0o600 });
  const lines = configProblems({ AGENT_CONFIG: file, DATA_DIR: dir, SELF_PASS: 'a long enough passphrase', TOKOBOT_LANG: 'en' }, loadAgentConfig);
  assert.ok(lines.some((l) => l.includes('jobs (self).type: a shop agent does not run tokobot jobs')), lines.join('\n'));
});
