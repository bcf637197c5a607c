import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadOfficeError } from '../../src/adapters/head-office/head-office-client.ts';
import type { HeadOffice } from '../../src/pipeline/agents/ports.ts';
import { MAX_BATCH, type HelloAnswer, type ReportAnswer, type ReportBatch } from '../../src/pipeline/agents/protocol.ts';
import { MAX_BACKOFF_MS, REFUSED_RETRY_MS, ReportSender, type SenderState } from '../../src/pipeline/agents/report-sender.ts';
import { ReportOutbox } from '../../src/store/file/report-outbox.ts';
import { sampleBeat } from '../helpers/agent-reports.ts';
import { until } from '../helpers/until.ts';

const made: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-sender-')); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** A head office in memory: keeps what it is sent (once per seq), or fails as `fail` says. */
class FakeHeadOffice implements HeadOffice {
  readonly seqs: number[] = [];
  readonly batches: number[] = [];
  fail: ((batch: ReportBatch) => Error | null) = () => null;

  async hello(): Promise<HelloAnswer> { throw new Error('not used'); }

  async send(batch: ReportBatch): Promise<ReportAnswer> {
    this.batches.push(batch.reports.length);
    const err = this.fail(batch);
    if (err) throw err;
    let accepted = 0;
    for (const r of batch.reports) if (!this.seqs.includes(r.seq)) { this.seqs.push(r.seq); accepted++; }
    return { accepted, duplicates: batch.reports.length - accepted, lastSeq: Math.max(0, ...this.seqs) };
  }
}

const logged: { level: string; obj: object; msg?: string }[] = [];
const logger = {
  info: (obj: object, msg?: string) => { logged.push({ level: 'info', obj, msg }); },
  warn: (obj: object, msg?: string) => { logged.push({ level: 'warn', obj, msg }); },
  error: (obj: object, msg?: string) => { logged.push({ level: 'error', obj, msg }); },
} as never;

async function setup(reports: number) {
  const outbox = await ReportOutbox.open(tempDir());
  for (let i = 0; i < reports; i++) await outbox.enqueue({ type: 'heartbeat', beat: sampleBeat() });
  const headOffice = new FakeHeadOffice();
  const states: SenderState[] = [];
  const sender = new ReportSender({
    headOffice, outbox, logger, random: () => 0.5, batch: { store: 'cabang_1', agent: { instance: '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11', host: 'kasir', version: '0.1.0' } },
    saveState: async (s) => { states.push(s); },
  });
  return { outbox, headOffice, sender, states };
}

const never = new AbortController().signal;
const unreachable = (retryAfterMs?: number) => new HeadOfficeError('unreachable', { en: 'down', id: 'mati' }, { retryAfterMs });

test('sends everything oldest first in batches of at most MAX_BATCH, and removes what the head office holds', async () => {
  const { outbox, headOffice, sender, states } = await setup(MAX_BATCH + 50);
  assert.equal(await sender.sendOnce(never), 'sent');
  assert.equal(await sender.sendOnce(never), 'sent');
  assert.equal(await sender.sendOnce(never), 'empty');
  assert.deepEqual(headOffice.batches, [MAX_BATCH, 50]);
  assert.deepEqual(headOffice.seqs, Array.from({ length: MAX_BATCH + 50 }, (_, i) => i + 1));
  assert.equal(outbox.size, 0);
  assert.deepEqual([states.at(-1)?.pending, states.at(-1)?.lastError], [0, null]);
  assert.ok(states.at(-1)?.lastSuccessAt);
});

test('unreachable: waits 5 s doubling to 10 min (jitter ±20%), at least what Retry-After asks; the reports stay', async () => {
  const { outbox, headOffice, sender, states } = await setup(3);
  headOffice.fail = () => unreachable();
  const waits: number[] = [];
  for (let i = 0; i < 9; i++) waits.push(((await sender.sendOnce(never)) as { wait: number }).wait);
  assert.deepEqual(waits, [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
  headOffice.fail = () => unreachable(3_600_000);
  assert.deepEqual(await sender.sendOnce(never), { wait: 3_600_000 });
  assert.equal(outbox.size, 3);
  assert.deepEqual([states.at(-1)?.lastError?.kind, states.at(-1)?.pending], ['unreachable', 3]);
  headOffice.fail = () => null;
  assert.equal(await sender.sendOnce(never), 'sent');
  headOffice.fail = () => unreachable();
  assert.deepEqual(await sender.sendOnce(never), 'empty');
  await outbox.enqueue({ type: 'heartbeat', beat: sampleBeat() });
  assert.deepEqual(await sender.sendOnce(never), { wait: 5_000 }, 'a success starts the backoff again');
});

test('a refused token: says what to do in both languages, keeps the reports, asks again every 10 minutes', async () => {
  const { outbox, headOffice, sender, states } = await setup(2);
  headOffice.fail = () => new HeadOfficeError('refused', { en: 'The token was revoked.', id: 'Token sudah dicabut.' }, { refusal: 'token-revoked', status: 401 });
  logged.length = 0;
  assert.deepEqual(await sender.sendOnce(never), { wait: REFUSED_RETRY_MS });
  assert.equal(outbox.size, 2);
  const said = logged.find((l) => l.level === 'error');
  assert.match(said?.msg ?? '', /tokobot store add .*tokobot agent enroll/);
  assert.match(JSON.stringify(said?.obj), /buat token baru/);
  assert.deepEqual([states.at(-1)?.lastError?.refusal, states.at(-1)?.lastError?.kind], ['token-revoked', 'refused']);
});

test('a report the head office calls bad is found by halving the batch, set aside, and the rest go on', async () => {
  const { outbox, headOffice, sender, states } = await setup(40);
  headOffice.fail = (batch) => (batch.reports.some((r) => r.seq === 23)
    ? new HeadOfficeError('refused', { en: 'bad report', id: 'laporan buruk' }, { refusal: 'bad-report', status: 400 }) : null);
  for (let i = 0; i < 30 && outbox.size > 0; i++) await sender.sendOnce(never);
  assert.equal(outbox.size, 0);
  assert.equal(outbox.rejected, 1);
  assert.deepEqual(headOffice.seqs.sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1).filter((s) => s !== 23));
  assert.equal(states.at(-1)?.rejected, 1);
  assert.ok(headOffice.batches.length < 20, `found in ${headOffice.batches.length} requests`);
});

test('run(): sends what is queued, wakes for new reports, stops on abort', async () => {
  const { outbox, headOffice, sender } = await setup(5);
  const stop = new AbortController();
  const running = sender.run(stop.signal);
  await until('the first five sent', () => headOffice.seqs.length === 5);
  await outbox.enqueue({ type: 'heartbeat', beat: sampleBeat() });
  sender.wake();
  await until('the new one sent', () => headOffice.seqs.length === 6);
  stop.abort();
  await running;
  assert.equal(outbox.size, 0);
});

test('a head office holding seqs this outbox never gave (DATA_DIR reset, agent.json kept): nothing is deleted, enrolment again is asked for', async () => {
  const { outbox, headOffice, sender, states } = await setup(3);
  headOffice.seqs.push(...Array.from({ length: 50 }, (_, i) => i + 1)); // an earlier life of the same instance
  logged.length = 0;
  assert.deepEqual(await sender.sendOnce(never), { wait: REFUSED_RETRY_MS });
  assert.equal(outbox.size, 3);
  assert.match(logged.find((l) => l.level === 'error')?.msg ?? '', /tokobot agent enroll/);
  assert.equal(states.at(-1)?.lastError?.kind, 'refused');
});
