import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRetry, withRetry } from '../../src/adapters/dropbox/retry.ts';

test('no wait between attempts is longer than the shutdown grace of 30 s', () => {
  assert.ok(defaultRetry.maxDelayMs <= 20_000);
});

test('an abort ends the wait before the next attempt and throws the last failure', async () => {
  const controller = new AbortController();
  let calls = 0;
  const started = Date.now();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(
    withRetry(async () => { calls++; throw new Error(`down ${calls}`); }, () => ({ retry: true, afterMs: 10_000 }),
      { attempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 }, undefined, controller.signal),
    /down 1/);
  assert.equal(calls, 1);
  assert.ok(Date.now() - started < 5_000, `waited ${Date.now() - started} ms`);
});
