import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestWindow } from '../../../src/pipeline/agents/request-window.ts';

test('a key over its limit waits until its window ends; other keys have their own', () => {
  let now = 1_000_000;
  const w = new RequestWindow(2, 60_000, 100, () => now);
  assert.equal(w.retryAfter('a'), 0);
  w.take('a');
  w.take('a');
  assert.equal(w.retryAfter('a'), 60);
  assert.equal(w.retryAfter('b'), 0);
  now += 59_500;
  assert.equal(w.retryAfter('a'), 1, 'never 0 while refused');
  now += 500;
  assert.equal(w.retryAfter('a'), 0, 'a new window');
});

test('never more than maxKeys keys: ended windows go first, then the oldest', () => {
  let now = 0;
  const w = new RequestWindow(1, 60_000, 3, () => now);
  w.take('old');
  now += 60_000;
  for (const k of ['a', 'b', 'c']) w.take(k);
  assert.equal(w.size, 3, 'the ended window went');
  w.take('d');
  assert.equal(w.size, 3);
  assert.equal(w.retryAfter('a'), 0, 'the oldest was forgotten');
  assert.ok(w.retryAfter('d') > 0);
  for (let i = 0; i < 10_000; i++) w.take(`flood-${i}`);
  assert.equal(w.size, 3);
});
