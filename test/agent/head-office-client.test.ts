import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadOfficeError, HttpHeadOffice, retryAfterMs } from '../../src/adapters/head-office/head-office-client.ts';
import { isAppError } from '../../src/errors.ts';
import { reportBatchSchema, type HelloAnswer } from '../../src/pipeline/agents/protocol.ts';
import { freePort } from '../helpers/free-port.ts';
import { sampleBatch, sampleRun } from '../helpers/agent-reports.ts';

const TOKEN = 'tka_secret_0123456789abcdefghij';
const HELLO: HelloAnswer = { store: { id: 'cabang_1', name: 'Cabang 1', timeZone: 'Asia/Jakarta', dropboxFolder: null }, headOffice: { version: '0.1.0' }, heartbeatSeconds: 300 };

/** What the stand-in head office answers next: status, headers, body (a string as is, else JSON). */
let answer: { status: number; headers?: Record<string, string>; body: unknown; delayMs?: number } = { status: 200, body: HELLO };
const seen: { path: string; auth: string | undefined; body: unknown }[] = [];

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization, body: body ? JSON.parse(body) : undefined });
    const a = answer;
    const reply = () => {
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    };
    if (a.delayMs) setTimeout(reply, a.delayMs).unref(); else reply();
  });
});
let url = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => { server.closeAllConnections(); server.close(); });

async function failure(p: Promise<unknown>): Promise<HeadOfficeError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isAppError(err) && err.system === 'head-office', `expected a head-office AppError, got ${err}`);
    assert.ok(!err.message.includes(TOKEN) && !(err.messageId ?? '').includes(TOKEN), 'the token never appears in an error');
    return err as HeadOfficeError;
  }
  assert.fail('expected a failure');
}

test('hello and send: POST JSON with the Bearer token to the protocol paths, answers parsed', async () => {
  const client = new HttpHeadOffice({ url: `${url}/`, token: TOKEN });
  answer = { status: 200, body: HELLO };
  assert.deepEqual(await client.hello(), HELLO);
  const batch = sampleBatch([{ seq: 1, type: 'run', run: sampleRun() }]);
  answer = { status: 200, body: { accepted: 1, duplicates: 0, lastSeq: 1 } };
  assert.deepEqual(await client.send(batch), { accepted: 1, duplicates: 0, lastSeq: 1 });
  assert.deepEqual(seen.slice(-2).map((s) => s.path), ['/api/agent/v1/hello', '/api/agent/v1/reports']);
  assert.ok(seen.slice(-2).every((s) => s.auth === `Bearer ${TOKEN}`));
  assert.deepEqual(reportBatchSchema.parse(seen.at(-1)?.body), batch);
});

test('refusals that sending again will not fix: refused, with the reason and the head office\'s words', async () => {
  const client = new HttpHeadOffice({ url, token: TOKEN });
  for (const [status, error] of [[401, 'token-revoked'], [401, 'token-unknown'], [403, 'wrong-store'], [400, 'bad-report'], [413, 'too-large']] as const) {
    answer = { status, body: { error, message: { en: 'Ask the head office for a new token.', id: 'Minta token baru ke kantor pusat.' }, issues: ['reports.0.run.id: bad'] } };
    const err = await failure(client.send(sampleBatch([{ seq: 1, type: 'run', run: sampleRun() }])));
    assert.equal(err.kind, 'refused');
    assert.equal(err.refusal, error);
    assert.equal(err.status, status);
    assert.equal(err.retryable, false);
    assert.match(err.message, /Ask the head office for a new token/);
    assert.match(err.messageId ?? '', /Minta token baru/);
  }
});

test('429 and 503 are unreachable and retryable, with Retry-After in ms; 5xx and HTML too', async () => {
  const client = new HttpHeadOffice({ url, token: TOKEN });
  answer = { status: 429, headers: { 'retry-after': '7' }, body: { error: 'rate-limited', message: { en: 'Too many.', id: 'Terlalu banyak.' } } };
  let err = await failure(client.hello());
  assert.deepEqual([err.kind, err.retryable, err.retryAfterMs, err.refusal], ['unreachable', true, 7000, 'rate-limited']);
  answer = { status: 503, headers: { 'retry-after': '30' }, body: { error: 'busy', message: { en: 'Busy.', id: 'Sibuk.' } } };
  err = await failure(client.hello());
  assert.deepEqual([err.kind, err.retryAfterMs, err.refusal], ['unreachable', 30_000, 'busy']);
  answer = { status: 502, body: '<html>Bad gateway</html>' };
  err = await failure(client.hello());
  assert.deepEqual([err.kind, err.retryable, err.retryAfterMs], ['unreachable', true, undefined]);
});

test('a URL that is no head office: 404 is refused and says what to check; a 200 not in the protocol is unreachable', async () => {
  const client = new HttpHeadOffice({ url, token: TOKEN });
  answer = { status: 404, body: 'Not Found' };
  let err = await failure(client.hello());
  assert.equal(err.kind, 'refused');
  assert.match(err.message, /AGENT_INGEST=true/);
  answer = { status: 200, body: '<html>Login to the hotel wifi</html>' };
  err = await failure(client.hello());
  assert.equal(err.kind, 'unreachable');
  assert.match(err.message, /not tokobot's report API/);
  answer = { status: 200, body: { accepted: -1 } };
  err = await failure(client.send(sampleBatch([{ seq: 1, type: 'run', run: sampleRun() }])));
  assert.equal(err.kind, 'unreachable');
});

test('no answer in time, nobody listening, stopped by the caller', async () => {
  answer = { status: 200, body: HELLO, delayMs: 2000 };
  let err = await failure(new HttpHeadOffice({ url, token: TOKEN, timeoutMs: 200 }).hello());
  assert.deepEqual([err.kind, err.retryable], ['unreachable', true]);
  assert.match(err.message, /did not answer within/);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  err = await failure(new HttpHeadOffice({ url, token: TOKEN }).hello(controller.signal));
  assert.equal(err.kind, 'interrupted');
  const closed = await freePort();
  err = await failure(new HttpHeadOffice({ url: `http://127.0.0.1:${closed}`, token: TOKEN }).hello());
  assert.deepEqual([err.kind, err.retryable], ['unreachable', true]);
  assert.match(err.message, /ECONNREFUSED/);
});

test('plain http to another machine is refused before anything is sent', () => {
  assert.throws(() => new HttpHeadOffice({ url: 'http://pusat.example.com', token: TOKEN }), (err) => isAppError(err) && err.kind === 'config' && /https/.test(err.message));
  assert.doesNotThrow(() => new HttpHeadOffice({ url: 'https://pusat.example.com', token: TOKEN }));
  assert.doesNotThrow(() => new HttpHeadOffice({ url: 'http://localhost:8080', token: TOKEN }));
});

test('Retry-After: seconds or an HTTP date, capped', () => {
  assert.equal(retryAfterMs('5'), 5000);
  assert.equal(retryAfterMs(null), undefined);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(new Date(60_000).toUTCString(), 0), 60_000);
  assert.equal(retryAfterMs('999999'), 3_600_000);
});
