import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.ts';
import type { Message } from '../../src/message.ts';
import type { Messenger } from '../../src/pipeline/alerts/ports.ts';

/** What arrived at a recipient: the text the service was given, what a person sees of it, and the runs shown bold. */
export interface Received {
  raw: string;
  text: string;
  bold: string[];
}

/** One messenger and the service behind it (a fake that speaks the real API), as the contract drives them. */
export interface MessengerUnderTest {
  messenger: Messenger;
  /** Two recipients the service takes messages for, and one it never will (a chat that blocked the bot, a number not on WhatsApp). */
  recipient: string;
  other: string;
  refused: string;
  /** Everything that arrived for `to`, oldest first. */
  received(to: string): Received[];
  /** Makes the service unreachable (or the channel disconnected) until up(). */
  down(): Promise<void> | void;
  /** The service is back; resolves once the messenger can send again. */
  up(): Promise<void> | void;
  close(): Promise<void>;
}

/** Special characters in a title and a line: each channel must show them as written. */
const ALERT: Message = { severity: 'error', title: 'Sync <Toko> & Co gagal', lines: ['Harga < Rp 5.000 & stok &lt; 3', 'Baris kedua'] };
const SEEN = '❗ Sync <Toko> & Co gagal\nHarga < Rp 5.000 & stok &lt; 3\nBaris kedua';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => assert.fail('the send was accepted'), (e: unknown) => e);
  assert.ok(err instanceof AppError, `not an AppError: ${String(err)}`);
  return err;
}

/**
 * What every Messenger must do (src/pipeline/alerts/ports.ts), run on the recording fake the
 * engine tests use and on each real messenger against its fake service. `rendersAs` is the
 * channel's renderer of chat replies: alerts must reach the service exactly as it renders them.
 */
export function messengerContract(name: string, make: () => Promise<MessengerUnderTest>, rendersAs: (m: Message) => string): void {
  describe(`${name} messenger`, () => {
    let m: MessengerUnderTest;
    beforeEach(async () => { m = await make(); });
    afterEach(async () => { await m.close(); });

    test('delivers to the recipient, and to no one else', async () => {
      await m.messenger.send(m.recipient, { severity: 'info', lines: ['Tes'] });
      assert.deepEqual(m.received(m.recipient).map((r) => r.text), ['Tes']);
      assert.deepEqual(m.received(m.other), []);
    });

    test('renders as the channel renders replies: the severity icon, the title bold, the lines as text, < and & as written', async () => {
      await m.messenger.send(m.recipient, ALERT);
      const [got] = m.received(m.recipient);
      assert.equal(got?.raw, rendersAs(ALERT));
      assert.equal(got?.text, SEEN);
      assert.deepEqual(got?.bold, [ALERT.title]);
    });

    test('while the service is down: a retryable unreachable AppError of its channel; sends again once it is back', async () => {
      await m.down();
      const err = await rejection(m.messenger.send(m.recipient, ALERT));
      assert.deepEqual([err.kind, err.system, err.retryable], ['unreachable', m.messenger.channel, true], err.message);
      await m.up();
      await m.messenger.send(m.recipient, ALERT);
      assert.equal(m.received(m.recipient).length, 1);
    });

    test('a recipient the service never delivers to: refused, not retryable; others still get theirs', async () => {
      const err = await rejection(m.messenger.send(m.refused, ALERT));
      assert.deepEqual([err.kind, err.system, err.retryable], ['refused', m.messenger.channel, false], err.message);
      assert.deepEqual(m.received(m.refused), []);
      await m.messenger.send(m.other, ALERT);
      assert.equal(m.received(m.other).length, 1);
    });

    test('state(): ready while it can send; after a failed send it says something is wrong; as before once it works again', async () => {
      const fine = m.messenger.state();
      assert.equal(fine.ready, true);
      assert.ok(fine.text.length > 0);
      await m.down();
      await rejection(m.messenger.send(m.recipient, ALERT));
      const wrong = m.messenger.state();
      assert.ok(!wrong.ready || wrong.text !== fine.text, `state did not change: ${JSON.stringify(wrong)}`);
      await m.up();
      await m.messenger.send(m.recipient, ALERT);
      assert.deepEqual(m.messenger.state(), fine);
    });
  });
}
