import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreDeps } from '../../src/bot/context.ts';
import type { ButtonMemory } from '../../src/store/button-memory.ts';
import { PostgresButtonMemory } from '../../src/store/postgres/button-memory.ts';
import { MemoryButtonMemory } from '../fakes/memory-button-memory.ts';
import { ADMIN, item, OWNER, press, say, STAFF, STRANGER, testCore, text } from '../helpers/bot-core.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_press_${process.pid}`, skip);

/** 25 items, the first with a code too long to travel in a button; records what was searched. */
function catalogue() {
  const items = Array.from({ length: 25 }, (_, i) => ({ ...item, kodeitem: i === 0 ? `K${'9'.repeat(69)}` : `A${i}`, namaitem: `BARANG ${i}` }));
  const asked: { query: string; offset: number }[] = [];
  const search: CoreDeps['search'] = {
    search: async (store, query, o = {}) => {
      asked.push({ query, offset: o.offset ?? 0 });
      return { store, query, listed: true, exact: false, total: items.length, items: items.slice(o.offset ?? 0, (o.offset ?? 0) + (o.limit ?? 10)) };
    },
    suggest: async () => [],
    item: async (_store, kodeitem) => items.find((i) => i.kodeitem === kodeitem) ?? null,
  };
  return { items, asked, search };
}

const memories: [string, () => ButtonMemory, string | undefined][] = [
  ['kept in memory', () => new MemoryButtonMemory(), undefined],
  ['kept in the ops database', () => new PostgresButtonMemory(pool()), skip],
];
for (const [where, memoryOf, skipped] of memories) {
  test(`buttons made before a restart open the same page and item after it (${where})`, { skip: skipped }, async () => {
    const shared = memoryOf();
    for (const question of ['barang', `barang ${'sembako murah '.repeat(12)}`.trim()]) {
      const { items, asked, search } = catalogue();
      const list = await say(testCore({ search, buttonMemory: shared }).core, OWNER, question);
      const data = list!.buttons!.flat().map((b) => b.data);
      assert.ok(data.every((d) => Buffer.byteLength(d) <= 64), data.join(' '));
      // A restart: a new core (and, for the database, a new memory object) over the same store.
      const restarted = testCore({ search, buttonMemory: shared instanceof MemoryButtonMemory ? shared : memoryOf() }).core;
      const next = list!.buttons!.at(-1)!.find((b) => b.text === '▶')!.data;
      const page = await press(restarted, OWNER, next);
      assert.match(text(page), /^BARANG 10 — .*\n[^]*11–20 dari 25$/);
      assert.equal(page?.replace, true);
      assert.deepEqual(asked.at(-1), { query: question, offset: 10 });
      assert.match(text(await press(restarted, OWNER, data[0]!)), new RegExp(`Kode: ${items[0]!.kodeitem}\n`));
      assert.match(text(await press(restarted, OWNER, data[1]!)), /Kode: A1\n/);
    }
  });
}

test('forged, malformed and overlong button data is answered "expired", without an error or a lookup', async () => {
  const { asked, search } = catalogue();
  const memory = new MemoryButtonMemory();
  let lookups = 0;
  const counted: ButtonMemory = { put: (p) => memory.put(p), get: async (id) => { lookups++; return memory.get(id); } };
  const { core, logged } = testCore({ search, buttonMemory: counted, rateLimitPerMinute: 1000 });
  const forged = ['', 'pg:0:1', 'it:3', 'p:main:x:gula', 'i:main', 'st:', 'm:', 'm:\u0000', 'bk:a b', `m:${'a'.repeat(100)}`,
    `i:main:${'A'.repeat(100)}`, 'x'.repeat(100_000), '\u202e\u0000<b>', '{"kind":"item","store":"main","kodeitem":"A1"}'];
  for (const data of forged) {
    const reply = await press(core, STAFF, data);
    assert.equal(reply?.severity, 'warning', JSON.stringify(data.slice(0, 20)));
    assert.match(text(reply), /^Tombol ini sudah kedaluwarsa/);
  }
  assert.equal(await press(core, STAFF, 'm:nothing-here').then(text), 'Tombol ini sudah kedaluwarsa; kirim pencarian lagi.');
  assert.equal(lookups, 1, 'only a well-formed memory id is looked up');
  assert.equal(asked.length, 0);
  assert.deepEqual(logged, []);
  assert.match(text(await press(core, STAFF, 'i:main:GONE')), /kedaluwarsa/, 'an item no longer in the price list');
  assert.match(text(await press(core, STRANGER, 'i:main:A1')), /belum terdaftar/);
});

test('a well-formed forged button needs the role of the command it belongs to', async () => {
  const { core } = testCore({ publicMode: true, rateLimitPerMinute: 1000,
    backups: { jobs: [{ id: 'webshop' }], run: async () => { throw new Error('must not run'); }, progress: () => null, states: async () => [] } });
  assert.match(text(await press(core, STRANGER, 'st:main')), /hanya untuk staff/);
  assert.match(text(await press(core, STAFF, 'bk:webshop')), /hanya untuk admin/);
  assert.match(text(await press(core, STRANGER, 'i:main:A1')), /Kode: A1/, 'prices are public in public mode');
  assert.doesNotMatch(text(await press(core, STRANGER, 'i:main:A1')), /pokok/);
  assert.match(text(await press(core, ADMIN, 'st:main')), /Toko dipilih: Toko Utama/);
  assert.match(text(await press(core, ADMIN, 'st:nosuch')), /Toko "nosuch" tidak ada/);
});
