import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertRecord, AlertStore, OutboxMessage } from '../../src/store/alerts.ts';
import type { AlertOutboxStore } from '../../src/store/outbox.ts';

export interface AlertStores {
  alerts: AlertStore;
  outbox: AlertOutboxStore;
}

const T0 = new Date(Date.UTC(2026, 10, 23, 2, 0));
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function record(key: string, o: Partial<AlertRecord> = {}): AlertRecord {
  return { key, kind: 'sync-failed', severity: 'warning', subject: key, params: { stage: 'restore', n: 1 }, openedAt: T0, updatedAt: T0,
    resolvedAt: null, lastSentAt: null, mutedUntil: null, pending: 'open', ...o };
}

const put = (s: AlertStore, r: AlertRecord) => s.change(r.key, () => ({ next: r, result: undefined }));
const message = (title: string, recipient = '1001'): OutboxMessage => ({ alertKey: null, event: 'digest', channel: 'telegram', recipient,
  message: { severity: 'warning', title, lines: [`${title} < 5 & "more"`, ''] } });

/** What every AlertStore must do (its flush() feeding the outbox); `fresh` gives empty stores over the same data. */
export function alertStoreContract(fresh: () => Promise<AlertStores>): void {
  test('change reads the current record (null at first), stores the one decided whole, and stores nothing for null', async () => {
    const { alerts } = await fresh();
    const seen: (AlertRecord | null)[] = [];
    assert.equal(await alerts.change('sync:a', (row) => { seen.push(row); return { next: record('sync:a'), result: 'made' }; }), 'made');
    await alerts.change('sync:a', (row) => { seen.push(row); return { next: null, result: undefined }; });
    assert.deepEqual(seen, [null, record('sync:a')]);
    const changed = record('sync:a', { severity: 'critical', params: { error: 'x' }, resolvedAt: at(5), lastSentAt: at(1), mutedUntil: at(9), pending: 'resolve', updatedAt: at(5) });
    await put(alerts, changed);
    assert.deepEqual(await alerts.change('sync:a', (row) => ({ next: null, result: row })), changed);
  });

  test('change is atomic per alert: concurrent changes of one alert each see the one before', async () => {
    const { alerts } = await fresh();
    await put(alerts, record('k', { params: { n: 0 } }));
    await Promise.all(Array.from({ length: 12 }, () => alerts.change('k', (row) => ({
      next: row && { ...row, params: { n: Number(row.params.n) + 1 } }, result: undefined }))));
    assert.equal((await alerts.open())[0]?.params.n, 12);
  });

  test('open lists unresolved alerts, oldest opened first; mute counts and sets only open ones', async () => {
    const { alerts } = await fresh();
    await put(alerts, record('b', { openedAt: at(2) }));
    await put(alerts, record('a', { openedAt: at(3) }));
    await put(alerts, record('gone', { openedAt: at(1), resolvedAt: at(4) }));
    assert.deepEqual((await alerts.open()).map((a) => a.key), ['b', 'a']);
    assert.equal(await alerts.mute('a', at(60)), 1);
    assert.equal(await alerts.mute('gone', at(60)), 0);
    assert.deepEqual((await alerts.open()).map((a) => a.mutedUntil), [null, at(60)]);
    assert.equal(await alerts.mute(null, at(90)), 2);
    assert.deepEqual((await alerts.open()).map((a) => a.mutedUntil), [at(90), at(90)]);
    assert.equal(await alerts.mute('b', null), 1);
    assert.deepEqual((await alerts.open()).map((a) => a.mutedUntil), [null, at(90)]);
  });

  test('resolved lists resolved alerts, last resolved first, at most limit', async () => {
    const { alerts } = await fresh();
    await put(alerts, record('open', { openedAt: at(0) }));
    await put(alerts, record('early', { resolvedAt: at(5) }));
    await put(alerts, record('late', { resolvedAt: at(9) }));
    await put(alerts, record('middle', { resolvedAt: at(7) }));
    assert.deepEqual((await alerts.resolved(10)).map((a) => a.key), ['late', 'middle', 'early']);
    assert.deepEqual((await alerts.resolved(2)).map((a) => a.key), ['late', 'middle']);
    assert.deepEqual((await alerts.resolved(1))[0], record('late', { resolvedAt: at(9) }));
  });

  test('markReminders: open, nothing pending, told at or before the time, not muted now', async () => {
    const { alerts } = await fresh();
    const cases = {
      due: {}, exactly: { lastSentAt: at(10) }, recent: { lastSentAt: at(11) }, never: { lastSentAt: null }, pending: { pending: 'open' as const },
      resolved: { resolvedAt: at(5) }, muted: { mutedUntil: at(21) }, mutedUntilNow: { mutedUntil: at(20) },
    };
    for (const [key, o] of Object.entries(cases)) await put(alerts, record(key, { lastSentAt: at(0), pending: null, ...o }));
    assert.equal(await alerts.markReminders(at(10), at(20)), 3);
    const reminded = (await alerts.open()).filter((a) => a.pending === 'remind').map((a) => a.key).sort();
    assert.deepEqual(reminded, ['due', 'exactly', 'mutedUntilNow']);
  });

  test('flush hands over the pending alerts (critical, oldest, key), queues one batch and marks them told; a resolve keeps its last told time', async () => {
    const { alerts, outbox } = await fresh();
    await put(alerts, record('w', { openedAt: at(0) }));
    await put(alerts, record('c2', { severity: 'critical', openedAt: at(1) }));
    await put(alerts, record('c1', { severity: 'critical', openedAt: at(1) }));
    await put(alerts, record('r', { openedAt: at(0), lastSentAt: at(0), resolvedAt: at(5), pending: 'resolve' }));
    await put(alerts, record('told', { openedAt: at(0), pending: null }));
    let handed: string[] = [];
    assert.equal(await alerts.flush(at(10), (pending) => { handed = pending.map((a) => a.key); return [message('one'), message('two', '1002')]; }), 2);
    assert.deepEqual(handed, ['c1', 'c2', 'r', 'w']);
    const resolved = await alerts.change('r', (row) => ({ next: null, result: row }));
    assert.deepEqual([resolved?.pending, resolved?.lastSentAt], [null, at(0)]);
    assert.deepEqual((await alerts.open()).map((a) => [a.key, a.pending, a.lastSentAt]).sort(),
      [['c1', null, at(10)], ['c2', null, at(10)], ['told', null, null], ['w', null, at(10)]]);
    const first = await outbox.take(at(10), at(20));
    const second = await outbox.take(at(10), at(20));
    assert.deepEqual([first?.message, first?.recipient, second?.message, second?.recipient, first?.batch === second?.batch],
      [message('one').message, '1001', message('two').message, '1002', true], 'each message comes back whole');
    assert.equal(await outbox.take(at(10), at(20)), null);
  });

  test('flush with nothing pending does not ask; a compose that throws changes nothing; concurrent flushes tell each change once', async () => {
    const { alerts, outbox } = await fresh();
    assert.equal(await alerts.flush(at(1), () => { throw new Error('not to be called'); }), 0);
    await put(alerts, record('a'));
    await assert.rejects(alerts.flush(at(1), () => { throw new Error('boom'); }), /boom/);
    assert.equal((await alerts.open())[0]?.pending, 'open');
    assert.equal(await outbox.take(at(1), at(2)), null);
    const counts = await Promise.all([1, 2, 3].map(() => alerts.flush(at(1), (pending) => pending.map((p) => message(p.key)))));
    assert.deepEqual(counts.sort(), [0, 0, 1]);
  });

  test('a later flush is a new batch', async () => {
    const { alerts, outbox } = await fresh();
    await put(alerts, record('a'));
    await alerts.flush(at(1), () => [message('x')]);
    await put(alerts, record('b'));
    await alerts.flush(at(1), () => [message('x')]);
    const [one, two] = [await outbox.take(at(1), at(2)), await outbox.take(at(1), at(2))];
    assert.notEqual(one?.batch, two?.batch);
  });
}
