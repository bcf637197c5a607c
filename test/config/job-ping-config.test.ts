import { test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { jobsEnv } from '../helpers/jobs-env.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { secretValues } from '../../src/config/secrets.ts';

// A backup job's `ping` (README: backup jobs): the monitor's URL from the file or the environment, checked like the database's.

const { dir, env } = jobsEnv('ping-config');

const job = (id: string, ping: object) => ({ id, type: 'postgres', url: 'postgres://u@db/shop', destinations: [{ type: 'local', dir }], ping });

function problems(e: Record<string, string>, lang = 'en'): string[] {
  return configProblems({ TOKOBOT_LANG: lang, ...e });
}

test('a ping URL from the file or the environment; healthchecks unless the style says otherwise; a secret like the database URL', () => {
  const c = loadConfig(env([
    job('a', { url: 'https://hc-ping.com/5b8c2f7e-1d3a-4e6f-9a0b-7c1d2e3f4a5b' }),
    job('b', { urlEnv: 'KUMA_PUSH', style: 'uptime-kuma' }),
    { id: 'c', type: 'postgres', url: 'postgres://u@db/shop', destinations: [{ type: 'local', dir }] },
  ], { KUMA_PUSH: ' http://kuma.lan:3001/api/push/Kx9pQ2?status=up&msg=OK&ping= ' }));
  assert.deepEqual(c.jobs.map((j) => j.ping), [
    { url: 'https://hc-ping.com/5b8c2f7e-1d3a-4e6f-9a0b-7c1d2e3f4a5b', style: 'healthchecks' },
    { url: 'http://kuma.lan:3001/api/push/Kx9pQ2?status=up&msg=OK&ping=', style: 'uptime-kuma' },
    undefined,
  ]);
  const secrets = secretValues(c);
  assert.ok(secrets.includes('https://hc-ping.com/5b8c2f7e-1d3a-4e6f-9a0b-7c1d2e3f4a5b'));
});

test('each ping problem is one line naming the job and field, in English and Indonesian, the URL never repeated', () => {
  const bad = env([
    job('a', { url: 'ftp://hc.example/key-secret-1' }),
    job('b', { urlEnv: 'HC_URL' }),
    job('f', { urlEnv: 'KUMA_URL', style: 'uptime-kuma' }),
  ], { KUMA_URL: 'kuma.lan:3001/api/push/key-secret-2' });
  const en = problems(bad);
  const all = en.join('\n');
  assert.ok(en.some((l) => l.endsWith('jobs.0 (a).ping.url: expected a URL starting with https:// or http://, e.g. https://hc-ping.com/<uuid>')), all);
  assert.ok(en.some((l) => l.includes('jobs.1 (b).ping.urlEnv: the environment variable HC_URL is not set')), all);
  assert.ok(en.some((l) => l.includes('jobs.2 (f).ping (KUMA_URL):') && l.includes('https://kuma.example.com/api/push/<key>')), all);
  assert.ok(!/key-secret/.test(all), all);

  const id = problems(bad, 'id').join('\n');
  assert.match(id, /jobs\.1 \(b\)\.ping\.urlEnv: variabel lingkungan HC_URL belum diisi \(seharusnya berisi URL ping monitor/);
  assert.match(id, /jobs\.0 \(a\)\.ping\.url: harus URL yang diawali https:\/\/ atau http:\/\//);

  const shape = problems(env([
    job('c', { url: 'https://hc-ping.com/x', urlEnv: 'HC_URL' }),
    job('d', { url: 'https://hc-ping.com/x', style: 'nagios' }),
    job('e', { url: 'https://hc-ping.com/x', method: 'GET' }),
  ]));
  const lines = shape.join('\n');
  assert.ok(shape.some((l) => l.endsWith('jobs.0.ping: give exactly one of url or urlEnv')), lines);
  assert.ok(shape.some((l) => l.endsWith('jobs.1.ping.style: expected healthchecks or uptime-kuma')), lines);
  assert.ok(shape.some((l) => l.includes('jobs.2.ping: not a known field: method')), lines);
});
