import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '../../src/message.ts';
import type { AlertStores } from './alerts.contract.ts';
import { record } from './alerts.contract.ts';

const T0 = new Date(Date.UTC(2026, 10, 23, 2, 0));
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const say = (text: string): Message => ({ severity: 'info', lines: [text] });

/** Queues one message per text (to 1001 on Telegram) through the alert store, as the engine does, due at T0. */
async function queue(s: AlertStores, ...texts: string[]): Promise<void> {
  await s.alerts.change(`k${texts.join()}`, () => ({ next: record(`k${texts.join()}`), result: undefined }));
  await s.alerts.flush(T0, () => texts.map((text) => ({ alertKey: null, event: 'digest', channel: 'telegram', recipient: '1001', message: say(text) })));
}

const textOf = (row: { message: Message } | null) => row?.message.lines[0];

/** What every AlertOutboxStore must do; rows come in through the AlertStore's flush. */
export function outboxContract(fresh: () => Promise<AlertStores>): void {
  test('queueOnce: a report\'s messages, files and HTML and all, queued once under its key, however many ask at once', async () => {
    const s = await fresh();
    const report: Message = { severity: 'info', title: 'Laporan', lines: ['minggu ini'], files: [
      { name: 'chart.png', type: 'image/png', base64: Buffer.from('png bytes').toString('base64') },
      { name: 'report.pdf', type: 'application/pdf', base64: Buffer.from('%PDF-1.4 x').toString('base64') },
      { name: 'stok.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: Buffer.from('PK xlsx').toString('base64') }],
      html: '<div><table><tr><td>minggu ini</td></tr></table><img src="cid:chart.png"></div>' };
    const messages = (to: string) => [{ alertKey: null, event: 'digest' as const, channel: 'email' as const, recipient: to, message: report }];
    const answers = await Promise.all(Array.from({ length: 6 }, () => s.alerts.queueOnce('digest:week:2026-11-23:Bu Sari', T0, messages('sari@toko.co.id'))));
    assert.deepEqual(answers.filter(Boolean).length, 1);
    assert.equal(await s.alerts.queueOnce('digest:week:2026-11-23:Bu Sari', at(5), messages('sari@toko.co.id')), false);
    assert.equal(await s.alerts.queueOnce('digest:week:2026-11-23:Pak Budi', T0, messages('budi@toko.co.id')), true);
    const first = await s.outbox.take(T0, at(10));
    assert.deepEqual([first?.recipient, first?.message], ['sari@toko.co.id', report]);
    assert.equal((await s.outbox.take(T0, at(10)))?.recipient, 'budi@toko.co.id');
    assert.equal(await s.outbox.take(T0, at(10)), null);
  });

  test('take: the oldest due row, its attempt counted, leased until the time given; due again when the lease runs out', async () => {
    const s = await fresh();
    assert.equal(await s.outbox.take(at(0), at(10)), null);
    await queue(s, 'first', 'second');
    const first = await s.outbox.take(at(0), at(10));
    assert.deepEqual([first?.message, first?.channel, first?.recipient, first?.attempts], [say('first'), 'telegram', '1001', 1]);
    assert.equal(textOf(await s.outbox.take(at(0), at(10))), 'second');
    assert.equal(await s.outbox.take(at(9), at(20)), null, 'both leased');
    const again = await s.outbox.take(at(10), at(20));
    assert.deepEqual([again?.id, again?.attempts], [first?.id, 2]);
  });

  test('concurrent takes never get the same row', async () => {
    const s = await fresh();
    await queue(s, 'a', 'b');
    const taken = await Promise.all([1, 2, 3, 4].map(() => s.outbox.take(at(0), at(10))));
    assert.deepEqual(taken.map((t) => textOf(t) ?? null).sort(), ['a', 'b', null, null]);
  });

  test('outcomes: delivered and given up are never taken again; retryAt makes it due at that time', async () => {
    const s = await fresh();
    await queue(s, 'ok', 'retry', 'refused');
    const [ok, retry, refused] = [await s.outbox.take(at(0), at(10)), await s.outbox.take(at(0), at(10)), await s.outbox.take(at(0), at(10))];
    await s.outbox.delivered(ok!, at(1), 'telegram', null);
    await s.outbox.retryAt(retry!, at(30), 'unreachable');
    await s.outbox.giveUp(refused!, at(1), 'chat not found');
    assert.equal(await s.outbox.take(at(29), at(100)), null);
    assert.equal(textOf(await s.outbox.take(at(30), at(2000))), 'retry');
    assert.equal(await s.outbox.take(at(1000), at(1010)), null);
  });

  test('an outcome is written only while the row is still the taker\'s', async () => {
    const s = await fresh();
    await queue(s, 'slow');
    const late = await s.outbox.take(at(0), at(10));
    const other = await s.outbox.take(at(10), at(20)); // the first lease ran out
    await s.outbox.delivered(late!, at(15), 'telegram', null);
    await s.outbox.giveUp(late!, at(15), 'x');
    assert.equal(await s.outbox.take(at(19), at(30)), null, 'still the second taker\'s');
    await s.outbox.retryAt(other!, at(25), 'try later');
    assert.equal((await s.outbox.take(at(25), at(30)))?.attempts, 3, 'the late outcomes changed nothing');
  });

  test('hasCopy: a row of that batch for that recipient and channel with an equal message', async () => {
    const s = await fresh();
    await queue(s, 'hello');
    const row = await s.outbox.take(at(0), at(10));
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1001', say('hello')), true);
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1001', { lines: ['hello'], severity: 'info' }), true, 'equal whatever the order of its fields');
    await s.outbox.delivered(row!, at(1), 'telegram', null);
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1001', say('hello')), true, 'whatever became of it');
    assert.equal(await s.outbox.hasCopy(row!.batch, 'whatsapp', '1001', say('hello')), false);
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1002', say('hello')), false);
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1001', say('hello!')), false);
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1001', { ...say('hello'), title: 'hello' }), false);
    assert.equal(await s.outbox.hasCopy(row!.batch, 'telegram', '1001', { ...say('hello'), severity: 'error' }), false);
    assert.equal(await s.outbox.hasCopy(row!.batch + 1, 'telegram', '1001', say('hello')), false);
  });
}
