import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUTTON_DATA_BYTES, ButtonCodec, type ButtonData } from '../../src/bot/button-codec.ts';
import { MemoryButtonMemory } from '../fakes/memory-button-memory.ts';

const bytes = (s: string) => Buffer.byteLength(s);

test('buttons that fit travel whole (nothing kept); longer ones go through the memory; each decodes to what was encoded', async () => {
  const memory = new MemoryButtonMemory();
  const codec = new ButtonCodec(memory);
  const short: ButtonData[] = [
    { kind: 'page', store: 'main', query: 'indomie goreng', page: 2 },
    { kind: 'page', store: 'main', query: 'a:b:c 10:1', page: 0 },
    { kind: 'item', store: 'cabang_2', kodeitem: 'BRG:001/A' },
    { kind: 'stock', store: 'cabang_2', kodeitem: 'BRG:001/A' },
    { kind: 'store', store: 'main' },
    { kind: 'backup', job: 'web-shop_1' },
  ];
  for (const b of short) {
    const text = await codec.encode(b);
    assert.ok(!text.startsWith('m:') && bytes(text) <= BUTTON_DATA_BYTES, text);
    assert.deepEqual(await codec.decode(text), b);
  }
  assert.equal(memory.payloads.size, 0);
  assert.equal(await codec.encode({ kind: 'store', store: 'main' }), 'st:main', 'as before typed buttons: old store buttons still work');
  assert.equal(await codec.encode({ kind: 'backup', job: 'webshop' }), 'bk:webshop');
  assert.equal(await codec.encode({ kind: 'stock', store: 'main', kodeitem: 'A1' }), 'sk:main:A1', 'a stock button is not an item card\'s');

  const long: ButtonData[] = [
    { kind: 'page', store: 'main', query: 'minyak goreng kemasan dua liter dari merek apa saja yang ada di toko', page: 12 },
    { kind: 'page', store: 'main', query: 'é'.repeat(30), page: 1 }, // 30 characters, 60 bytes of UTF-8
    { kind: 'item', store: 'main', kodeitem: 'X'.repeat(120) },
    { kind: 'stock', store: 'main', kodeitem: 'X'.repeat(120) },
  ];
  for (const b of long) {
    const text = await codec.encode(b);
    assert.match(text, /^m:/);
    assert.ok(bytes(text) <= BUTTON_DATA_BYTES);
    assert.deepEqual(await codec.decode(text), b);
  }
});

test('the 64-byte edge: 64 bytes travel whole, 65 go through the memory', async () => {
  const codec = new ButtonCodec(new MemoryButtonMemory());
  const at = (n: number): ButtonData => ({ kind: 'item', store: 'main', kodeitem: 'k'.repeat(n - 'i:main:'.length) });
  assert.equal(bytes(await codec.encode(at(64))), 64);
  assert.match(await codec.encode(at(65)), /^m:/);
});

test('forged, malformed, overlong or forgotten button data decodes to null, never an error', async () => {
  const memory = new MemoryButtonMemory();
  const codec = new ButtonCodec(memory);
  const badKept = await memory.put({ kind: 'page', store: 'main', query: 'x', page: '1' });
  const otherKind = await memory.put({ kind: 'admin', store: 'main' });
  const forged = [
    '', 'x', ':', 'p:', 'p:main', 'p:main:1', 'p:main:1:', 'p:main:-1:gula', 'p:main:99999:gula', 'p:MAIN:1:gula', 'p::1:gula',
    'i:main', 'i:main:', 'i::A1', 'sk:main', 'sk:main:', 'sk::A1', 'st:', 'st:../etc', 'st:main:x', 'bk:', 'bk:a b', 'bk:' + 'j'.repeat(41),
    'pg:0:1', 'it:3', 'zz:main', 'm:', 'm:nope', 'm:\u0000', 'm:' + 'a'.repeat(40), `m:${badKept}`, `m:${otherKind}`,
    `i:main:${'A'.repeat(80)}`, 'p:main:1:' + 'é'.repeat(40), '\u0000'.repeat(10), 'x'.repeat(10_000),
  ];
  for (const text of forged) assert.equal(await codec.decode(text), null, JSON.stringify(text.slice(0, 30)));
  for (const notText of [undefined, null, 42, {}]) assert.equal(await codec.decode(notText as unknown as string), null);
});
