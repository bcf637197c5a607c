import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestoreGuard } from '../../../src/pipeline/jobs/restore-guard.ts';

function harness() {
  let answering = true;
  const said: string[] = [];
  const log = (() => undefined) as never;
  const guard = new RestoreGuard({
    ping: async () => { if (!answering) throw new Error('connect ECONNREFUSED 127.0.0.1:5432'); },
    pause: async () => { said.push('pause'); },
    resume: async () => { said.push('resume'); },
    down: async (error) => { said.push(`down: ${error}`); },
    up: async () => { said.push('up'); },
    logger: { warn: log, info: log },
  });
  return { guard, said, set: (v: boolean) => { answering = v; } };
}

test('a restore server that stops answering pauses the worker and alerts once; back, it resumes and resolves once', async () => {
  const h = harness();
  await h.guard.check();
  assert.deepEqual(h.said, []);
  h.set(false);
  await h.guard.check();
  await h.guard.check();
  assert.equal(h.guard.isPaused, true);
  assert.deepEqual(h.said, ['pause', 'down: connect ECONNREFUSED 127.0.0.1:5432']);
  h.set(true);
  await h.guard.check();
  await h.guard.check();
  assert.equal(h.guard.isPaused, false);
  assert.deepEqual(h.said.slice(2), ['resume', 'up']);
});

test('checks never overlap: a second one while the first waits does nothing', async () => {
  const h = harness();
  h.set(false);
  await Promise.all([h.guard.check(), h.guard.check(), h.guard.check()]);
  assert.deepEqual(h.said.filter((s) => s === 'pause'), ['pause']);
});
