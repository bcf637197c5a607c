import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError, type AppError, type ErrorKind } from '../../src/errors.ts';

/** What a provoked failure must be: its kind, whether trying again may help, and what its message says. */
export interface ExpectedFailure {
  kind: ErrorKind;
  retryable: boolean;
  says: RegExp;
  /** A name the message must contain (the file's). */
  names?: string;
}

/** Awaits a promise that must reject with the AppError described; `onError` sees it first (secret checks). */
export async function expectFailure(promise: Promise<unknown>, expect: ExpectedFailure, onError?: (err: AppError) => void): Promise<void> {
  const err = await promise.then(() => assert.fail(`expected a ${expect.kind} failure`), (e: unknown) => e);
  assert.ok(isAppError(err), `not an AppError: ${String(err)}`);
  onError?.(err);
  assert.equal(err.kind, expect.kind, `${err.kind}/${err.system}: ${err.message}`);
  assert.equal(err.retryable, expect.retryable, `retryable: ${err.message}`);
  assert.match(err.message, expect.says);
  if (expect.names) assert.ok(err.message.includes(expect.names), `the message does not name ${expect.names}: ${err.message}`);
}

/**
 * A test with a fresh implementation under test, closed in any case: node 20 runs no afterEach
 * hook after t.skip(), so a hook would leave what a skipped case opened behind.
 */
export function freshEach<T extends { close?: () => Promise<void> }>(open: () => Promise<T>, set: (t: T) => void) {
  return (title: string, fn: (t: TestContext) => Promise<void>) => test(title, async (t) => {
    const under = await open();
    set(under);
    try {
      await fn(t);
    } finally {
      await under.close?.();
    }
  });
}
