import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReportOutbox } from '../../src/store/file/report-outbox.ts';
import type { Report } from '../../src/pipeline/agents/protocol.ts';
import { sampleBeat, sampleRun } from '../helpers/agent-reports.ts';

const made: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-outbox-')); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const beat = (n: number) => ({ type: 'heartbeat' as const, beat: sampleBeat({ timeZone: `n${n}` }) });
const numberOf = (r: Report) => (r.type === 'heartbeat' ? Number(r.beat.timeZone.slice(1)) : NaN);

test('reports come out oldest first with growing seqs; ack removes through a seq; a reopened outbox goes on', async () => {
  const dir = tempDir();
  const outbox = await ReportOutbox.open(dir);
  const run = sampleRun();
  assert.equal(await outbox.enqueue({ type: 'run', run }), 1);
  for (let n = 2; n <= 5; n++) assert.equal(await outbox.enqueue(beat(n)), n);
  assert.deepEqual((await outbox.pending(3)).map((r) => r.seq), [1, 2, 3]);
  assert.deepEqual((await outbox.pending(1))[0], { seq: 1, type: 'run', run });
  assert.equal(await outbox.ackThrough(2), 2);
  assert.equal(await outbox.ackThrough(2), 0);
  assert.equal(outbox.size, 3);
  await outbox.setAside(4, 'bad-report: reports.0.beat.at');
  assert.deepEqual((await outbox.pending(10)).map((r) => r.seq), [3, 5]);
  assert.equal(outbox.rejected, 1);
  assert.match(readFileSync(path.join(dir, 'rejected', '000000000004.json.why.txt'), 'utf8'), /bad-report/);
  await outbox.ackThrough(5);
  const again = await ReportOutbox.open(dir);
  assert.equal(again.size, 0);
  assert.equal(again.rejected, 1);
  assert.equal(await again.enqueue(beat(6)), 6, 'a seq is never used twice, even with the outbox emptied');
});

test('kill -9 at any moment while queueing: no report that was queued is lost, none has two seqs, no seq is used twice', async () => {
  const dir = tempDir();
  const child = new URL('../helpers/outbox-child.ts', import.meta.url).pathname;
  const confirmed = new Map<number, number>(); // report number → seq its writer was told
  let next = 1;
  for (const killAfterMs of [150, 40, 300, 90, 10, 220]) {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, String(next)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    // Kill a while after it has queued its first report, a different while each round.
    await new Promise<void>((resolve) => {
      const started = Date.now();
      let queueing = 0;
      const look = setInterval(() => {
        if (!queueing && out.includes('\n')) queueing = Date.now();
        if ((queueing && Date.now() - queueing > killAfterMs) || Date.now() - started > 20_000) { clearInterval(look); resolve(); }
      }, 2);
    });
    p.kill('SIGKILL');
    await new Promise((resolve) => p.once('close', resolve));
    for (const line of out.split('\n').filter(Boolean)) {
      const [n, seq] = line.split(' ').map(Number) as [number, number];
      confirmed.set(n, seq);
    }
    const outbox = await ReportOutbox.open(dir);
    const pending = await outbox.pending(1_000_000);
    const seqs = pending.map((r) => r.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'oldest first');
    assert.equal(new Set(seqs).size, seqs.length);
    assert.equal(new Set(pending.map(numberOf)).size, pending.length, 'no report under two seqs');
    for (const r of pending) {
      const told = confirmed.get(numberOf(r));
      if (told !== undefined) assert.equal(r.seq, told, `report ${numberOf(r)} kept the seq it was given`);
    }
    // Every confirmed report not yet acked by the child (it acks through seq - 3 every 7th) is still there.
    const highest = Math.max(...confirmed.values());
    for (const [n, seq] of confirmed) if (seq > highest - 3) assert.ok(pending.some((r) => numberOf(r) === n), `report ${n} (seq ${seq}) was lost`);
    assert.ok(outbox.nextSeq > Math.max(highest, ...seqs), 'the next seq is past every one used');
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file left after open');
    next = Math.max(...confirmed.keys(), ...pending.map(numberOf)) + 1;
  }
  assert.ok(confirmed.size > 20, `the children queued ${confirmed.size} reports`);
});
