import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStores } from './stores-under-test.ts';

/** The contracts of Chats (src/store/chats.ts) and Locks (src/store/locks.ts). */
export function chatsAndLocksContract(make: MakeStores, skip?: string): void {
  test('chats: a user\'s language and store, each set alone', { skip }, async () => {
    const { chats } = await make();
    assert.equal(await chats.user(7), null);
    await chats.setLang(7, 'en');
    assert.deepEqual(await chats.user(7), { lang: 'en', store: null });
    await chats.setStore(7, 'cabang');
    assert.deepEqual(await chats.user(7), { lang: 'en', store: 'cabang' });
    await chats.setStore(8, 'pusat');
    assert.deepEqual(await chats.user(8), { lang: 'id', store: 'pusat' });
    await chats.setLang(8, 'en');
    assert.deepEqual(await chats.user(8), { lang: 'en', store: 'pusat' });
  });

  test('chats: a stranger is new once; a moved chat is followed one move at a time', { skip }, async () => {
    const { chats } = await make();
    assert.equal(await chats.addStranger(99, 'Budi'), true);
    assert.equal(await chats.addStranger(99, 'Budi lagi'), false);
    assert.equal(await chats.movedTo(-100), null);
    await chats.recordMigration(-100, -1001);
    await chats.recordMigration(-1001, -1002);
    assert.equal(await chats.movedTo(-100), -1001);
    await chats.recordMigration(-100, -1003);
    assert.equal(await chats.movedTo(-100), -1003, 'a later move replaces the earlier one');
  });

  test('locks: one holder per name, not re-entrant, free again once released', { skip }, async () => {
    const { locks } = await make();
    const sync = await locks.tryLock('sync:pusat');
    assert.ok(sync);
    assert.equal(await locks.tryLock('sync:pusat'), null);
    const other = await locks.tryLock('backup:pusat');
    assert.ok(other, 'another name is another lock');
    await sync();
    const again = await locks.tryLock('sync:pusat');
    assert.ok(again);
    assert.deepEqual([...await locks.held(['sync:pusat', 'backup:pusat', 'sync:cabang'])].sort(), ['backup:pusat', 'sync:pusat'], 'held: a look at who holds what');
    await again();
    await other();
    assert.deepEqual([...await locks.held(['sync:pusat', 'backup:pusat'])], []);
  });
}
