import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, type ErrorFacts } from '../../../src/errors.ts';
import { runTask } from '../../../src/pipeline/jobs/job-tasks.ts';

interface Store { id: string }

function harness(ends: { status: string; failure?: ErrorFacts | null } | Error, stopping = false) {
  const runs: string[] = [];
  const lines: string[] = [];
  const log = ((_o: object, msg: string) => { lines.push(msg); }) as unknown as import('pino').LogFn;
  const task = runTask<Store>({
    kind: 'sync', find: (id) => (id === 'gone' ? undefined : { id }), stopping: () => stopping,
    run: async (s, trigger) => {
      runs.push(`${s.id}:${trigger}`);
      if (ends instanceof Error) throw ends;
      return ends;
    },
    logger: { info: log, warn: log, error: log },
  }, 'store');
  return { task, runs, lines };
}

const job = (payload: unknown, attempt = 1, maxAttempts = 5) => ({ payload, attempt, maxAttempts });

test('a job runs its store with its trigger; a good or refused run ends the job', async () => {
  for (const ends of [{ status: 'success' }, { status: 'no-change' }, { status: 'failed', failure: { kind: 'corrupt', system: 'backup-file' } as ErrorFacts },
    { status: 'failed', failure: { kind: 'refused', system: 'price-list' } as ErrorFacts }, { status: 'failed', failure: null }]) {
    const h = harness(ends);
    await h.task(job({ store: 'toko1', trigger: 'watch' }));
    assert.deepEqual(h.runs, ['toko1:watch'], JSON.stringify(ends));
  }
});

test('an unreachable system or a busy store is tried again (the task throws), up to the last try, which ends the job', async () => {
  for (const failure of [{ kind: 'unreachable', system: 'dropbox' }, { kind: 'busy', system: 'tokobot' }] as ErrorFacts[]) {
    const h = harness({ status: 'failed', failure });
    await assert.rejects(h.task(job({ store: 'toko1', trigger: 'schedule' }, 1, 5)), (err: AppError) => err.retryable && err.kind === failure.kind);
    await assert.rejects(h.task(job({ store: 'toko1', trigger: 'schedule' }, 4, 5)));
    await h.task(job({ store: 'toko1', trigger: 'schedule' }, 5, 5));
    assert.match(h.lines.at(-1)!, /given up after 5 tries/);
  }
});

test('a run refused before it starts (busy in another process) is tried again; a bug is not caught', async () => {
  const busy = harness(new AppError('busy', 'tokobot', 'sync of toko1 runs elsewhere', { retryable: true }));
  await assert.rejects(busy.task(job({ store: 'toko1' })), /tried again later/);
  const bug = harness(new TypeError('x is undefined'));
  await assert.rejects(bug.task(job({ store: 'toko1' })), TypeError);
});

test('a run stopped by a shutdown is tried again; one cancelled by a person is not', async () => {
  const interrupted = { status: 'failed', failure: { kind: 'interrupted', system: 'tokobot' } as ErrorFacts };
  await assert.rejects(harness(interrupted, true).task(job({ store: 'toko1' })));
  const cancelled = harness(interrupted, false);
  await cancelled.task(job({ store: 'toko1' }));
  assert.deepEqual(cancelled.runs, ['toko1:schedule']);
});

test('a job for a store no longer configured, or one that names none, is dropped and said, never run', async () => {
  const h = harness({ status: 'success' });
  await h.task(job({ store: 'gone', trigger: 'schedule' }));
  for (const payload of [null, 'toko1', {}, { store: 42 }, { store: '' }, { store: 'x'.repeat(65) }, { store: 'toko1', trigger: 7 }]) await h.task(job(payload));
  assert.deepEqual(h.runs, []);
  assert.match(h.lines[0]!, /store gone is no longer configured; its queued sync was dropped/);
  assert.equal(h.lines.filter((l) => /names no store; it was dropped/.test(l)).length, 7);
});
