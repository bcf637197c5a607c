import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import type { CoreDeps } from '../../src/bot/context.ts';
import { announceChanges, noticeRecipients } from '../../src/bot/change-notices.ts';
import { changeDigestLine } from '../../src/bot/change-replies.ts';
import type { Reply } from '../../src/bot/reply.ts';
import type { Role } from '../../src/config/load-config.ts';
import { comparePriceFiles } from '../../src/pipeline/price-changes.ts';
import { changesFileName, changesWorkbook } from '../../src/pipeline/price-change-workbook.ts';
import { MemoryPriceChangeLog } from '../fakes/memory-price-changes.ts';
import { MemorySyncRunLog } from '../fakes/memory-stores.ts';
import { memoryAlertStores } from '../fakes/memory-alert-stores.ts';
import { ADMIN, OWNER, STAFF, say, testCore, text } from '../helpers/bot-core.ts';
import { generateStore, mutate, writeList } from '../helpers/list-pairs.ts';

const dir = mkdtempSync(path.join(tmpdir(), `tokobot-F-cmd-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const M = { added: 2, removed: 1, raised: 3, lowered: 2, unitsAdded: 1, unitsRemoved: 1, levelsAdded: 1, levelsRemoved: 1, tiersAdded: 1, tiersRemoved: 1,
  belowCost: 1, tripled: 1, oddBoxes: 1, oddUnitsAdded: 0 };
/** The rows of a workbook's only sheet. */
const sheetRows = async (file: string) => (await readXlsxFile(file))[0]!.data;

const TOTAL = 3 + 1 + 1 + 2 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1; // up (raised, tripled, oddBoxes), down (lowered, belowCost), and the rest

/** A store's log holding one published run of the known changes, `hoursAgo` hours before now. */
async function logWithChanges(store = 'main') {
  const runs = new MemorySyncRunLog();
  const log = new MemoryPriceChangeLog(runs);
  const before = generateStore(store, 30, 5);
  const { after: changed } = mutate(before, M, 55);
  const changes = await comparePriceFiles(writeList(dir, `${store}-a.csv`, before), writeList(dir, `${store}-b.csv`, changed));
  const id = await runs.start(store, 'cli');
  await log.record(store, id, null, changes);
  await runs.update(id, {}, 'success');
  return { runs, log, changes };
}

function commandDeps(log: MemoryPriceChangeLog): NonNullable<CoreDeps['priceChanges']> {
  return {
    since: (s, f, t) => log.since(s, f, t),
    workbook: async (store, changes, days, reader) => {
      const filename = changesFileName(store, new Date(), days);
      return { path: await changesWorkbook(path.join(dir, 'changes'), filename, changes, reader, 'Asia/Jakarta'), filename };
    },
    subscribe: (id, on) => log.subscribe(id, on),
  };
}

test('/perubahan: counts, what to check and the biggest for an owner, every change in the workbook; an admin sees no cost', async () => {
  const { log, changes } = await logWithChanges();
  assert.equal(changes.length, TOTAL);
  const { core } = testCore({ priceChanges: commandDeps(log), now: () => Date.now(), rateLimitPerMinute: 100 });
  const owner = (await say(core, OWNER, '/perubahan')) as Reply;
  const shown = text(owner);
  assert.match(shown, /Perubahan: naik 5, turun 3, barang baru 2, barang hilang 1, satuan baru 1, satuan hilang 1, level baru 1, level hilang 1, harga grosir baru 1, harga grosir hilang 1\./);
  assert.match(shown, /Perlu dicek: 3 \(di bawah harga pokok: 1, berubah lebih dari 50 %: 2, harga per isi 10× satuan lain: 1\)/);
  const biggest = shown.split('\n').filter((l) => l.startsWith('• '));
  assert.equal(biggest.length, 5);
  assert.ok(biggest.slice(0, 3).every((l) => l.includes('⚠️')), 'flagged first');
  assert.match(biggest[0]!, /Rp \d{1,3}(\.\d{3})* → Rp \d{1,3}(\.\d{3})* \(\+\d{1,3}(\.\d{3})*,\d %\)/, 'Indonesian numbers');
  const rows = await sheetRows(owner.document!.path);
  assert.equal(rows.length, 1 + TOTAL);
  assert.ok(rows[0]!.includes('Harga pokok'));

  const admin = (await say(core, ADMIN, '/changes 7')) as Reply;
  assert.doesNotMatch(text(admin), /harga pokok/);
  assert.match(text(admin), /Perlu dicek: 2 \(berubah lebih dari 50 %: 2, harga per isi 10× satuan lain: 1\)/);
  const adminRows = await sheetRows(admin.document!.path);
  assert.equal(adminRows.length, 1 + TOTAL);
  assert.ok(!adminRows[0]!.includes('Harga pokok'), 'no cost column for an admin');
  assert.ok(adminRows.every((r) => !String(r.at(-1) ?? '').includes('pokok')), 'and no below-cost flag');

  assert.match(text(await say(core, STAFF, '/perubahan')), /hanya untuk (admin|owner)/);
});

test('/changes in English, a period without changes, days out of range, and on/off', async () => {
  const { log } = await logWithChanges();
  const { core } = testCore({ priceChanges: commandDeps(log), now: () => Date.now() + 3 * 86_400_000, rateLimitPerMinute: 100 });
  await say(core, OWNER, '/lang en');
  assert.match(text(await say(core, OWNER, '/changes')), /No price changes of Toko Utama in the last 24 hours/);
  assert.match(text(await say(core, OWNER, '/changes 5')), /Changes: 5 up, 3 down, 2 new items/);
  assert.match(text(await say(core, OWNER, '/changes 32')), /\/changes DAYS \(1–31\)/);
  assert.match(text(await say(core, OWNER, '/changes abc')), /\/changes DAYS/);
  assert.match(text(await say(core, ADMIN, '/perubahan on')), /Anda akan menerima/);
  assert.equal(await log.subscribed(ADMIN), true);
  assert.match(text(await say(core, OWNER, '/changes off')), /no longer/);
  assert.equal(await log.subscribed(OWNER), false);
});

test('after a sync: owners are told once (unless they said off), admins who said on, with the workbook; staff never', async () => {
  const { log, runs } = await logWithChanges();
  const roles = new Map<number, Role>([[OWNER, 'owner'], [ADMIN, 'admin'], [STAFF, 'staff'], [4, 'owner'], [5, 'admin']]);
  await log.subscribe(ADMIN, true);
  await log.subscribe(4, false);
  assert.deepEqual(noticeRecipients(roles, await log.subscriptions()), [{ id: OWNER, withCost: true }, { id: ADMIN, withCost: false }]);
  const removed: string[] = [];
  const stores = memoryAlertStores();
  const deps = {
    log, roles, stores: [{ id: 'main', name: 'Toko Utama', schedule: '*/30 * * * *', source: { type: 'folder' as const, dir: '/x' } }], zone: 'Asia/Jakarta',
    langOf: async (id: number) => (id === ADMIN ? 'en' as const : 'id' as const),
    workbook: async (store: string, changes: readonly unknown[], reader: { lang: 'id' | 'en'; withCost: boolean }) => {
      const file = await changesWorkbook(path.join(dir, 'notices'), changesFileName(store, new Date(), 1), changes as never, reader, 'Asia/Jakarta');
      return { path: file, filename: 'x.xlsx', done: async () => { removed.push(file); rmSync(file); } };
    },
    queue: stores.alerts,
    dashboard: (store: string) => `https://toko.example/toko/${store}`,
    logger: { warn: () => undefined },
  };
  assert.equal(await announceChanges(deps), 2);
  // Queued in the alert outbox (it delivers them, retried while Telegram is down), each with its workbook.
  const sent = [];
  for (let row = await stores.outbox.take(new Date(), new Date(Date.now() + 60_000)); row; row = await stores.outbox.take(new Date(), new Date(Date.now() + 60_000))) {
    const file = row.message.files?.[0];
    const xlsx = path.join(dir, `queued-${row.id}.xlsx`);
    writeFileSync(xlsx, Buffer.from(file?.base64 ?? '', 'base64'));
    sent.push({ to: Number(row.recipient), channel: row.channel, reply: row.message, rows: (await sheetRows(xlsx)).length });
  }
  assert.deepEqual(sent.map((s) => [s.to, s.channel, s.rows]), [[OWNER, 'telegram', 1 + TOTAL], [ADMIN, 'telegram', 1 + TOTAL]]);
  assert.match(text(sent[0]!.reply), /Daftar harga baru terbit .*\nPerubahan: naik 5/);
  assert.match(text(sent[0]!.reply), /Dasbor: https:\/\/toko\.example\/toko\/main/);
  assert.match(text(sent[1]!.reply), /A new price list was published/);
  assert.doesNotMatch(text(sent[1]!.reply), /below cost/);
  assert.equal(removed.length, 2, 'the workbooks are removed once read into the messages');
  assert.equal(await announceChanges(deps), 0, 'told once');
  const id = await runs.start('main', 'cli');
  await log.record('main', id, null, []);
  await runs.update(id, {}, 'success');
  assert.equal(await announceChanges(deps), 0, 'a publication that changed nothing is not told');
});

test('a digest line per store: counts and how many to check (below cost for owners only)', async () => {
  const { changes } = await logWithChanges();
  assert.equal(changeDigestLine('Toko Utama', changes, { lang: 'id', withCost: true }),
    'Toko Utama: naik 5, turun 3, barang baru 2, barang hilang 1, satuan baru 1, satuan hilang 1, level baru 1, level hilang 1, harga grosir baru 1, harga grosir hilang 1 · ⚠️ 3 perlu dicek');
  assert.match(changeDigestLine('Toko Utama', changes, { lang: 'en', withCost: false })!, /^Toko Utama: 5 up, 3 down, .* · ⚠️ 2 to check$/);
  assert.equal(changeDigestLine('Toko Utama', [], { lang: 'id', withCost: true }), null);
});
