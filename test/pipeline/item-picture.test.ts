import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { ItemPictures } from '../../src/pipeline/item-picture.ts';
import { toChatJpeg } from '../../src/adapters/image/chat-jpeg.ts';
import { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { RESTORE_ROLE } from '../../src/adapters/postgres/restore-role.ts';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { createTelegramBot } from '../../src/bot/telegram/telegram-bot.ts';
import { PgPictureFileIds } from '../../src/store/postgres/picture-file-ids.ts';
import type { Role } from '../../src/config/load-config.ts';
import { generateStore } from '../fixtures/ipos-data.ts';
import { createIposDatabase, dropDatabase } from '../fixtures/ipos-database.ts';
import { colourAt, delphiPicture, halfTransparentPng, near, noiseWithJpegMarkers, quadrantBmp, quadrantJpeg, sidewaysJpeg } from '../fixtures/item-pictures.ts';
import { LOCAL_PG_URL, requireLocalPg, TEST_RESTORE_ROLE, withLocalClient } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';
import { FakeTelegram, type SentMessage, type TgUser } from '../fakes/fake-telegram.ts';
import { item as cardItem, OWNER, testCore } from '../helpers/bot-core.ts';

/**
 * Item pictures from a real iPOS-shaped database (tbl_item.gambar), read as the restore role,
 * shown on item cards through the fake Bot API, with their file ids kept in a real ops database.
 */
const skip = await requireLocalPg();
const STORE = `pic${process.pid}`;
const LIVE = storeDatabases(STORE).live;
const opsPool = scratchOpsForFile(`tokobot_t_picops_${process.pid}`, skip);
/** Lower than the 10 MB of production, so that a picture over it stays small to make. */
const MAX_BYTES = 1_000_000;

/** What each item's gambar holds; the kodeitems are the fixture's first items, in this order. */
const KINDS = ['jpeg', 'png', 'huge', 'bmp', 'delphi', 'garbage', 'oversize', 'null'] as const;
type Kind = typeof KINDS[number];
const code = {} as Record<Kind, string>;
const stored = {} as Record<Kind, Buffer | null>;
const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE });
const warned: { facts: Record<string, unknown>; message: string }[] = [];
const logger = { warn: (facts: object, message?: string) => { warned.push({ facts: facts as Record<string, unknown>, message: message ?? '' }); }, info: () => undefined, error: () => undefined };
let pictures: ItemPictures;

before(async () => {
  if (skip) return;
  stored.jpeg = await sidewaysJpeg(300, 200);
  stored.png = await halfTransparentPng(200, 100);
  stored.huge = await quadrantJpeg(4000, 3000);
  stored.bmp = quadrantBmp(150, 100, { bits: 24 });
  stored.delphi = delphiPicture('TJPEGImage', await quadrantJpeg(64, 48));
  stored.garbage = noiseWithJpegMarkers(900);
  stored.oversize = Buffer.concat([await quadrantJpeg(64, 48), Buffer.alloc(MAX_BYTES)]);
  stored.null = null;
  const data = generateStore({ items: KINDS.length + 2, salesLines: 0, offices: 1, pictures: { share: 0, bytes: 0 } });
  KINDS.forEach((kind, i) => {
    const row = data.tables.tbl_item[i]!;
    code[kind] = row.kodeitem;
    row.gambar = stored[kind];
  });
  await target.ensure();
  await dropDatabase(LIVE);
  await createIposDatabase(LIVE, data);
  // A restored database belongs to the restore role; this one is made as iPOS makes its own, so it is let read.
  await withLocalClient(LIVE, (c) => c.query(`GRANT SELECT ON public.tbl_item TO ${RESTORE_ROLE}`));
  pictures = new ItemPictures({ target, convert: toChatJpeg, logger, maxBytes: MAX_BYTES });
});

after(async () => {
  if (!skip) await dropDatabase(LIVE);
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function assertChatJpeg(jpeg: Buffer, width: number, height: number) {
  const m = await sharp(jpeg).metadata();
  assert.deepEqual([m.format, m.width, m.height], ['jpeg', width, height]);
  assert.ok(jpeg.length < 400_000, `${jpeg.length} bytes`);
}

test('pictures are read by kodeitem, named by the hash of their bytes, and made chat JPEGs', { skip }, async () => {
  const sizes: Partial<Record<Kind, [number, number]>> = { jpeg: [300, 200], png: [200, 100], huge: [1280, 960], bmp: [150, 100], delphi: [64, 48] };
  for (const [kind, [w, h]] of Object.entries(sizes) as [Kind, [number, number]][]) {
    const picture = await pictures.picture(STORE, code[kind]);
    assert.deepEqual([picture?.store, picture?.kodeitem, picture?.hash], [STORE, code[kind], sha256(stored[kind]!)], kind);
    await assertChatJpeg((await picture!.jpeg())!, w, h);
  }
  assert.ok(near(await colourAt((await (await pictures.picture(STORE, code.png))!.jpeg())!, 20, 50), [255, 255, 255], 8), 'transparent is white');
  assert.equal(await pictures.picture(STORE, code.null), null);
  assert.equal(await pictures.picture(STORE, 'NO-SUCH-ITEM'), null);
  assert.equal(await pictures.picture(`nolive${process.pid}`, code.jpeg), null, 'a store without a live database yet');
  assert.deepEqual(warned, []);
});

test('a picture that cannot be shown is no picture: counted, logged once, not read again', { skip }, async () => {
  warned.length = 0;
  assert.equal(await pictures.picture(STORE, code.oversize), null);
  const garbage = await pictures.picture(STORE, code.garbage);
  assert.equal(garbage?.hash, sha256(stored.garbage!), 'known only once read');
  assert.equal(await garbage!.jpeg(), null);
  assert.equal(await garbage!.jpeg(), null);
  assert.equal(await pictures.picture(STORE, code.garbage), null, 'not offered again');
  assert.equal(await pictures.picture(STORE, code.oversize), null);
  assert.deepEqual(warned.map((w) => [w.facts.kodeitem, w.message]), [
    [code.oversize, 'item picture larger than tokobot reads; not shown'],
    [code.garbage, 'item picture cannot be read; not shown'],
  ]);
  assert.equal(warned[0]!.facts.bytes, stored.oversize!.length);
  assert.deepEqual(pictures.unshown, { tooLarge: 1, unreadable: 1 });
  assert.deepEqual(warned[1]!.facts.unshown, { tooLarge: 1, unreadable: 1 });
});

test('Telegram: the card, then its photo uploaded once; the next card sends the kept file id; a new picture is uploaded anew', { skip }, async () => {
  const tg = await FakeTelegram.start();
  const fileIds = new PgPictureFileIds(opsPool());
  const stores = [{ id: STORE, name: 'Toko Gambar', schedule: '0 * * * *', source: { type: 'folder' as const, dir: '/x' } }];
  const itemOf = (kodeitem: string) => ({ ...cardItem, kodeitem, namaitem: `BARANG ${kodeitem}` });
  const { core } = testCore({
    stores, rateLimitPerMinute: 1000, itemPicture: (s, k) => pictures.picture(s, k),
    search: { search: async (store, query) => ({ store, query, listed: true, exact: true, total: 1, items: [itemOf(query)] }), suggest: async () => [], item: async (_s, k) => itemOf(k) },
  });
  const bot = createTelegramBot({ token: tg.token, apiRoot: tg.url, core, roles: new Map<number, Role>([[OWNER, 'owner']]), publicMode: false, ownerGroups: new Set(),
    onMigrate: async () => undefined, logger, pictureFileIds: fileIds, throttle: false,
    botInfo: { id: 42, is_bot: true, first_name: 'Tokobot', username: 'tokobot_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
      can_connect_to_business: false, has_main_web_app: false } as never });
  const polling = bot.start({ timeout: 1 });
  const owner: TgUser = { id: OWNER, first_name: 'Owner' };
  const photoCalls = () => tg.calls.filter((c) => c.method === 'sendPhoto');
  /** Searches the item, opens its card, and answers what the press sent (the card and any photo), with the sendPhoto calls made. */
  const openCard = async (kodeitem: string) => {
    const said = tg.messages(OWNER).length;
    tg.userSays(owner, kodeitem);
    const list = await tg.until(() => tg.messages(OWNER).length > said && tg.messages(OWNER).at(-1));
    assert.ok(!tg.messages(OWNER).slice(said).some((m) => m.photo), 'no picture on a search result list');
    const [pressed, calls] = [tg.messages(OWNER).length, photoCalls().length];
    tg.userPresses(owner, list, list.reply_markup!.inline_keyboard[0]![0]!.callback_data);
    await tg.until(() => tg.messages(OWNER).length > pressed);
    // Updates of a chat are answered in turn: once the next message is answered, the press is done.
    tg.userSays(owner, 'SETTLE');
    await tg.until(() => tg.messages(OWNER).at(-1)?.text?.includes('BARANG SETTLE'));
    return { sent: tg.messages(OWNER).slice(pressed, -1), calls: photoCalls().slice(calls) };
  };
  const photoOf = (sent: SentMessage[]) => sent.find((m) => m.photo)?.photo;
  try {
    const first = await openCard(code.jpeg);
    assert.equal(first.sent.length, 2);
    assert.match(first.sent[0]!.text ?? '', new RegExp(`BARANG ${code.jpeg}[\\s\\S]*Kode: ${code.jpeg}`), 'the card as ever, first');
    assert.equal(first.calls.length, 1);
    assert.equal(first.calls[0]!.files.length, 1, 'uploaded as a file (multipart)');
    await assertChatJpeg(first.calls[0]!.files[0]!.bytes, 300, 200);
    const fileId = photoOf(first.sent)!.file_id;
    assert.equal(await fileIds.get({ store: STORE, kodeitem: code.jpeg, hash: sha256(stored.jpeg!) }), fileId, 'the largest size\'s file id is kept');

    const again = await openCard(code.jpeg);
    assert.equal(again.calls.length, 1);
    assert.deepEqual([again.calls[0]!.files.length, again.calls[0]!.payload.photo], [0, fileId], 'sent by file id, no upload');
    assert.ok(photoOf(again.sent)!.bytes.equals(first.calls[0]!.files[0]!.bytes), 'the same photo shown');

    // The picture is replaced in iPOS: another hash, uploaded anew, and its id replaces the old one.
    const replaced = await quadrantJpeg(500, 400);
    await withLocalClient(LIVE, (c) => c.query('UPDATE tbl_item SET gambar = $1 WHERE kodeitem = $2', [replaced, code.jpeg]));
    const changed = await openCard(code.jpeg);
    assert.equal(changed.calls[0]!.files.length, 1);
    await assertChatJpeg(changed.calls[0]!.files[0]!.bytes, 500, 400);
    assert.equal(await fileIds.get({ store: STORE, kodeitem: code.jpeg, hash: sha256(stored.jpeg!) }), null);
    assert.equal(await fileIds.get({ store: STORE, kodeitem: code.jpeg, hash: sha256(replaced) }), photoOf(changed.sent)!.file_id);

    // Telegram no longer knows the kept id (another bot token): refused, so uploaded again.
    tg.uploads.clear();
    const forgotten = await openCard(code.jpeg);
    assert.deepEqual(forgotten.calls.map((c) => c.files.length), [0, 1]);
    assert.equal(forgotten.sent.filter((m) => m.photo).length, 1);

    for (const kind of ['png', 'huge', 'bmp'] as const) {
      const card = await openCard(code[kind]);
      assert.equal(card.calls[0]?.files.length, 1, kind);
      const m = await sharp(photoOf(card.sent)!.bytes).metadata();
      assert.equal(m.format, 'jpeg', kind);
      assert.ok(Math.max(m.width, m.height) <= 1280, kind);
    }

    for (const kind of ['garbage', 'oversize', 'null'] as const) {
      const card = await openCard(code[kind]);
      assert.deepEqual(card.sent.map((m) => (m.photo ? 'photo' : 'text')), ['text'], `${kind}: the card alone`);
      assert.match(card.sent[0]!.text ?? '', new RegExp(`Kode: ${code[kind]}`));
      assert.equal(card.calls.length, 0, kind);
    }
  } finally {
    await bot.stop();
    await polling;
    await tg.close();
  }
});
