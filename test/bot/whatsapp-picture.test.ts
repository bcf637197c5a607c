import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerWhatsApp } from '../../src/bot/whatsapp/whatsapp-chat.ts';
import type { CommandCore } from '../../src/bot/core.ts';
import type { Reply } from '../../src/bot/reply.ts';
import type { ItemPicture } from '../../src/pipeline/item-picture.ts';

/** A core that answers every message with `reply` (answerWhatsApp asks nothing else of it). */
const coreAnswering = (reply: Reply) => ({ message: async () => reply }) as unknown as CommandCore;
const NUMBER = '6281234567890';
const card = (jpeg: ItemPicture['jpeg']): Reply => ({ severity: 'info', title: 'Toko', lines: ['INDOMIE', 'Kode: A1'], picture: { store: 'main', kodeitem: 'A1', hash: 'h', jpeg } });

test('WhatsApp: an item card\'s picture follows its text as a JPEG file', async () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const answer = await answerWhatsApp(coreAnswering(card(async () => jpeg)), [NUMBER], NUMBER, 'indomie');
  assert.ok(answer && typeof answer === 'object');
  assert.match(answer.text, /INDOMIE/);
  assert.deepEqual(answer.files, [{ name: 'A1.jpg', type: 'image/jpeg', base64: jpeg.toString('base64') }]);
});

test('WhatsApp: a picture that cannot be shown leaves the card alone', async () => {
  for (const jpeg of [async () => null, async () => { throw new Error('database gone'); }]) {
    const answer = await answerWhatsApp(coreAnswering(card(jpeg)), [NUMBER], NUMBER, 'indomie');
    assert.equal(typeof answer, 'string');
    assert.match(answer as string, /Kode: A1/);
  }
});
