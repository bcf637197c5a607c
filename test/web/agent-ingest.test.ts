import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createAdaptorServer } from '@hono/node-server';
import pg from 'pg';
import { loadConfig } from '../../src/config/load-config.ts';
import type { StoreConfig } from '../../src/config/stores-from.ts';
import { createLogger } from '../../src/log.ts';
import { AlertEngine } from '../../src/pipeline/alerts/alert-engine.ts';
import { AgentIngest } from '../../src/pipeline/agents/ingest.ts';
import { helloAnswerSchema, MAX_BODY_BYTES, PROTOCOL_PATH, refusalBodySchema, reportAnswerSchema, type AgentRun, type Heartbeat, type ReportBatch } from '../../src/pipeline/agents/protocol.ts';
import { createAgentToken } from '../../src/pipeline/agents/tokens.ts';
import { createBackupAlertStores } from '../../src/store/backup-alert-stores.ts';
import { PgAgents } from '../../src/store/postgres/agents.ts';
import { TOKOBOT_VERSION } from '../../src/version.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';
import { store, webSetup } from '../helpers/web-app.ts';

/**
 * The head office's ingest API over real HTTP on the loopback, into a scratch ops database: the
 * dashboard app (web-app.tsx) with the ingest mounted, as the web server serves it.
 */
const skip = await requireLocalPg();
const north: StoreConfig = { ...store('north', 'Toko Utara'), timeZone: 'Asia/Makassar', source: { type: 'dropbox', folder: '/iPOS/north' } };
const STORES = [north, store('south', 'Toko Selatan')];

let ops: ScratchOps;
let logged = '';
const logger = createLogger('debug', new Writable({ write(chunk: Buffer, _e, done) { logged += chunk.toString(); done(); } }));
const tokens: Record<string, string> = {};
const servers: http.Server[] = [];
let base = '';

function ingestOf(pool: pg.Pool, ratePerMinute = 1000) {
  const stores = createBackupAlertStores(pool);
  const alerts = new AlertEngine({ store: stores.alerts, recipients: [], remindMs: 3_600_000, zone: 'Asia/Jakarta' });
  return { alerts, log: stores.backupLog, ingest: new AgentIngest({ agents: new PgAgents(pool), stores: STORES, runs: stores.backupLog, alerts, ratePerMinute, version: TOKOBOT_VERSION, logger }) };
}

/** The dashboard with `ingest` mounted, listening on a loopback port; its base URL. */
async function serve(ingest: AgentIngest): Promise<string> {
  const { app } = webSetup({ deps: { ingest, log: (err, ref) => logger.error({ err, ref }, 'web request failed unexpectedly') } });
  const server = createAdaptorServer({ fetch: app.fetch }) as http.Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${PROTOCOL_PATH}`;
}

let main: ReturnType<typeof ingestOf>;

before(async () => {
  if (skip) return;
  ops = await scratchOps(`tokobot_t_ingest_web_${process.pid}`);
  main = ingestOf(ops.pool);
  for (const s of ['north', 'south', 'gone', 'old']) tokens[s] = (await createAgentToken(ops.stores.agents, s, 'test')).token;
  await ops.stores.agents.revokeTokens('old');
  base = await serve(main.ingest);
});

after(async () => {
  for (const s of servers) await new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); });
  await ops?.close();
});

const post = (url: string, token: string | null, body: unknown = {}) => fetch(url, {
  method: 'POST', headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const agentRun = (over: Partial<AgentRun> = {}): AgentRun => ({
  id: randomUUID(), job: 'ipos', jobType: 'postgres', trigger: 'schedule', status: 'running', stage: 'dump', stages: [{ name: 'dump', startedAt: new Date().toISOString() }],
  startedAt: new Date().toISOString(), finishedAt: null, fileName: null, bytes: null, sha256: null, destinations: [], verification: null, error: null, failure: null, ...over,
});
const beat = (): Heartbeat => ({
  at: new Date().toISOString(), startedAt: new Date().toISOString(), timeZone: 'Asia/Makassar', disk: [{ dir: '/data', freeBytes: 5e9, totalBytes: 2e10 }],
  jobs: [{ id: 'ipos', type: 'postgres', schedule: '0 23 * * *', nextRun: null }], outboxPending: 0, diskMinFreeBytes: 1e9,
});

let instanceOf: Record<string, string> = {};
function batch(storeId: string, reports: ReportBatch['reports'], sentAt = new Date()): ReportBatch {
  instanceOf[storeId] ??= randomUUID();
  return { store: storeId, agent: { instance: instanceOf[storeId]!, host: `kasir-${storeId}`, version: TOKOBOT_VERSION }, sentAt: sentAt.toISOString(), reports };
}

async function refusalOf(res: Response, status: number, error: string) {
  assert.equal(res.status, status);
  const body = refusalBodySchema.parse(await res.json());
  assert.equal(body.error, error);
  return body;
}

test('hello: a good token answers its store, zone, Dropbox folder, heartbeat and the head office version; others are refused saying what to do', { skip }, async () => {
  const good = await post(`${base}/hello`, tokens.north!);
  assert.equal(good.status, 200);
  assert.deepEqual(helloAnswerSchema.parse(await good.json()), {
    store: { id: 'north', name: 'Toko Utara', timeZone: 'Asia/Makassar', dropboxFolder: '/iPOS/north' }, headOffice: { version: TOKOBOT_VERSION }, heartbeatSeconds: 300,
  });
  assert.equal((helloAnswerSchema.parse(await (await post(`${base}/hello`, tokens.south!)).json())).store.dropboxFolder, null);

  const missing = await refusalOf(await post(`${base}/hello`, null), 401, 'token-missing');
  assert.match(missing.message.en, /tokobot agent enroll/);
  const unknown = await refusalOf(await post(`${base}/hello`, 'tka_north_not-a-real-token'), 401, 'token-unknown');
  assert.match(unknown.message.en, /tokobot store add STORE.*tokobot agent enroll again/);
  assert.match(unknown.message.id, /tokobot store add TOKO.*tokobot agent enroll lagi/);
  const revoked = await refusalOf(await post(`${base}/hello`, tokens.old!), 401, 'token-revoked');
  assert.match(revoked.message.en, /tokobot store add old/);
  const gone = await refusalOf(await post(`${base}/hello`, tokens.gone!), 403, 'wrong-store');
  assert.match(gone.message.en, /no longer in the head office's config/);
  assert.ok((await ops.stores.agents.tokens('north'))[0]!.lastUsedAt, 'the use is noted');
});

test('reports: a batch is stored once (a replay counts as duplicates), an older report changes nothing, and the store\'s agent is known', { skip }, async () => {
  const r = agentRun();
  const first = batch('north', [{ seq: 1, type: 'heartbeat', beat: beat() }, { seq: 2, type: 'run', run: r }]);
  const res = await post(`${base}/reports`, tokens.north!, first);
  assert.equal(res.status, 200);
  assert.deepEqual(reportAnswerSchema.parse(await res.json()), { accepted: 2, duplicates: 0, lastSeq: 2 });
  assert.deepEqual(await (await post(`${base}/reports`, tokens.north!, first)).json(), { accepted: 0, duplicates: 2, lastSeq: 2 });

  const done = { ...r, status: 'success' as const, stage: null, finishedAt: new Date().toISOString(), fileName: 'north.i5bu', bytes: 1234 };
  assert.deepEqual(await (await post(`${base}/reports`, tokens.north!, batch('north', [{ seq: 4, type: 'run', run: done }]))).json(), { accepted: 1, duplicates: 0, lastSeq: 4 });
  // Seq 3 arrives late (an outbox sent out of order): older than what is stored, it is a duplicate and the run stays a success.
  const late = await (await post(`${base}/reports`, tokens.north!, batch('north', [{ seq: 3, type: 'run', run: r }]))).json();
  assert.deepEqual(late, { accepted: 0, duplicates: 1, lastSeq: 4 });
  const rows = (await ops.pool.query('SELECT job, status, file_name FROM backup_runs WHERE agent_run = $1', [r.id])).rows;
  assert.deepEqual(rows, [{ job: 'north/ipos', status: 'success', file_name: 'north.i5bu' }]);
  const agent = await ops.stores.agents.get('north');
  assert.equal(agent?.host, 'kasir-north');
  assert.equal(agent?.lastSeq, 4);
});

test('reports: an agent two hours ahead gets its run times on the head office\'s clock', { skip }, async () => {
  const ahead = 2 * 3_600_000;
  const now = Date.now();
  const at = (msAgo: number) => new Date(now + ahead - msAgo).toISOString();
  const r = agentRun({ job: 'skewed', status: 'success', stage: null, startedAt: at(600_000), finishedAt: at(60_000),
    stages: [{ name: 'dump', startedAt: at(600_000), endedAt: at(300_000) }] });
  const res = await post(`${base}/reports`, tokens.south!, batch('south', [{ seq: 1, type: 'run', run: r }], new Date(now + ahead)));
  assert.equal(res.status, 200);
  const row = (await ops.pool.query('SELECT started_at, finished_at, stages FROM backup_runs WHERE agent_run = $1', [r.id])).rows[0];
  const near = (d: Date | string, msAgo: number) => assert.ok(Math.abs(new Date(d).getTime() - (now - msAgo)) < 5_000, `${new Date(d).toISOString()} is not ${msAgo} ms before now`);
  near(row.started_at, 600_000);
  near(row.finished_at, 60_000);
  near(row.stages[0].endedAt, 300_000);
  const skew = (await ops.stores.agents.get('south'))!.skewMs;
  assert.ok(Math.abs(skew - ahead) < 5_000, `skew ${skew}`);
});

test('reports: a valid token of one store reporting for another is refused 403 and nothing is stored', { skip }, async () => {
  const forged = await refusalOf(await post(`${base}/reports`, tokens.north!, batch('south', [{ seq: 50, type: 'heartbeat', beat: beat() }])), 403, 'wrong-store');
  assert.match(forged.message.en, /belongs to store north, not south/);
  assert.ok(((await ops.stores.agents.get('south'))?.lastSeq ?? 0) < 50);
});

test('reports: a bad report is 400 naming the field, never echoing the input; over MAX_BODY_BYTES is 413; a 100 KB batch passes the dashboard\'s own limit', { skip }, async () => {
  const bad = await refusalOf(await post(`${base}/reports`, tokens.north!, batch('north', [{ seq: 0, type: 'heartbeat', beat: beat() }])), 400, 'bad-report');
  assert.ok(bad.issues?.some((i) => i.startsWith('reports.0.seq:')), String(bad.issues));
  const huge = 'x'.repeat(100_000);
  const notJson = await refusalOf(await post(`${base}/reports`, tokens.north!, `{"store": "${huge}`), 400, 'bad-report');
  assert.ok(JSON.stringify(notJson).length < 2_000, 'the input is not echoed');
  const longField = await refusalOf(await post(`${base}/reports`, tokens.north!, { ...batch('north', [{ seq: 9, type: 'heartbeat', beat: beat() }]), store: huge }), 400, 'bad-report');
  assert.ok(JSON.stringify(longField).length < 2_000);

  await refusalOf(await post(`${base}/reports`, tokens.north!, 'x'.repeat(MAX_BODY_BYTES + 1)), 413, 'too-large');
  const runs = Array.from({ length: 25 }, (_, i) => ({ seq: 100 + i, type: 'run' as const, run: agentRun({ error: 'e'.repeat(4000) }) }));
  const big = batch('north', runs);
  assert.ok(JSON.stringify(big).length > 100_000);
  assert.equal((await post(`${base}/reports`, tokens.north!, big)).status, 200);
});

test('a finished failed run raises the backup-failed alert (naming the shop PC); a later success clears it', { skip }, async () => {
  const r = agentRun({ job: 'nightly', status: 'failed', stage: null, finishedAt: new Date().toISOString(), error: 'pg_dump: connection refused', errorId: 'pg_dump: koneksi ditolak',
    failure: { kind: 'unreachable', system: 'postgres' } });
  assert.equal((await post(`${base}/reports`, tokens.south!, batch('south', [{ seq: 200, type: 'run', run: r }]))).status, 200);
  const open = (await main.alerts.open()).find((a) => a.key === 'backup:south/nightly');
  assert.equal(open?.kind, 'backup-failed');
  assert.equal(open?.params.machine, 'kasir-south');
  assert.equal(open?.params.errorId, 'pg_dump: koneksi ditolak');
  const ok = agentRun({ job: 'nightly', status: 'success', stage: null, finishedAt: new Date().toISOString(), fileName: 'south.i5bu', bytes: 10 });
  assert.equal((await post(`${base}/reports`, tokens.south!, batch('south', [{ seq: 201, type: 'run', run: ok }]))).status, 200);
  assert.equal((await main.alerts.open()).find((a) => a.key === 'backup:south/nightly'), undefined);
});

test('rate limit: past AGENT_RATE_PER_MINUTE a token gets 429 with Retry-After; an address guessing tokens is held off too', { skip }, async () => {
  const limited = await serve(ingestOf(ops.pool, 3).ingest);
  for (let i = 0; i < 3; i++) assert.equal((await post(`${limited}/hello`, tokens.north!)).status, 200);
  const over = await post(`${limited}/hello`, tokens.north!);
  await refusalOf(over, 429, 'rate-limited');
  assert.ok(Number(over.headers.get('retry-after')) >= 1 && Number(over.headers.get('retry-after')) <= 60, String(over.headers.get('retry-after')));
  assert.equal((await post(`${limited}/hello`, tokens.south!)).status, 200, 'another token has its own window');

  const guessing = await serve(ingestOf(ops.pool).ingest);
  for (let i = 0; i < 20; i++) await refusalOf(await post(`${guessing}/hello`, `tka_north_guess${i}`), 401, 'token-unknown');
  const held = await post(`${guessing}/hello`, tokens.north!);
  await refusalOf(held, 429, 'rate-limited');
  assert.ok(Number(held.headers.get('retry-after')) >= 1);
});

test('the ops database out of reach: 503 busy (the agent retries), and no token in any log line', { skip }, async () => {
  const dead = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 2_000 });
  try {
    const down = await serve(ingestOf(dead).ingest);
    await refusalOf(await post(`${down}/hello`, tokens.north!), 503, 'busy');
    await refusalOf(await post(`${down}/reports`, tokens.north!, batch('north', [{ seq: 300, type: 'heartbeat', beat: beat() }])), 503, 'busy');
  } finally {
    await dead.end();
  }
  assert.match(logged, /agent token could not be checked/);
  for (const token of Object.values(tokens)) assert.ok(!logged.includes(token), 'a token reached the log');
  assert.ok(!logged.includes('tka_'), 'no token-looking text in the log');
});

test('without AGENT_INGEST the path is the dashboard\'s (not found); AGENT_INGEST=true needs WEB_PORT, said in both languages', async () => {
  const { app } = webSetup();
  assert.equal((await app.request(`${PROTOCOL_PATH}/hello`, { method: 'POST' })).status, 404);
  const env = { SOURCE: 'folder', SOURCE_DIR: '/tmp', RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/x', AGENT_INGEST: 'true' };
  assert.throws(() => loadConfig({ ...env, TOKOBOT_LANG: 'en' }), /WEB_PORT: required when AGENT_INGEST=true/);
  assert.throws(() => loadConfig({ ...env, TOKOBOT_LANG: 'id' }), /WEB_PORT: wajib diisi bila AGENT_INGEST=true/);
  assert.doesNotThrow(() => loadConfig({ ...env, WEB_PORT: '8080' }));
});

test('the agent\'s own client (HttpHeadOffice) against this head office: hello, a batch sent, a revoked token refused', { skip }, async () => {
  const { HttpHeadOffice, HeadOfficeError } = await import('../../src/adapters/head-office/head-office-client.ts');
  const root = base.slice(0, -PROTOCOL_PATH.length);
  const office = new HttpHeadOffice({ url: root, token: tokens.north! });
  assert.equal((await office.hello()).store.id, 'north');
  const answer = await office.send(batch('north', [{ seq: 1000, type: 'heartbeat', beat: beat() }]));
  assert.equal(answer.lastSeq, 1000);
  const revoked = await new HttpHeadOffice({ url: root, token: tokens.old! }).hello().catch((err: unknown) => err);
  assert.ok(revoked instanceof HeadOfficeError);
  assert.equal(revoked.kind, 'refused');
  assert.equal(revoked.refusal, 'token-revoked');
  assert.ok(!String(revoked.message).includes(tokens.old!));
});
