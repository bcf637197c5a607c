import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackupLog } from '../../src/store/backup-log.ts';

/** Long enough that two times taken one after the other differ on any store's clock. */
const tick = () => sleep(5);

/** What every BackupLog must do; `fresh` gives an empty log for each test. */
export function backupLogContract(fresh: () => Promise<BackupLog>): void {
  test('between: the runs of every job started in [from, to), oldest first', async () => {
    const log = await fresh();
    const before = await log.start('a', 'cli');
    await tick();
    const from = new Date();
    await tick();
    const first = await log.start('b', 'cli');
    await log.update(first, { bytes: 7 }, 'success');
    await tick();
    const second = await log.start('a', 'schedule');
    await tick();
    const to = new Date();
    await tick();
    await log.start('a', 'cli');
    const within = await log.between(from, to);
    assert.deepEqual(within.map((r) => [r.id, r.job, r.status, r.bytes]), [[first, 'b', 'success', 7], [second, 'a', 'pending', null]]);
    assert.ok(!within.some((r) => r.id === before));
    assert.deepEqual(await log.between(to, to), []);
  });

  test('start records a pending run; update sets what it is given, and finishing sets the finish time', async () => {
    const log = await fresh();
    const id = await log.start('shop', 'cli');
    const started = await log.get(id);
    assert.deepEqual({ ...started, startedAt: undefined }, { id, job: 'shop', trigger: 'cli', status: 'pending', stage: null, stages: [], startedAt: undefined,
      finishedAt: null, fileName: null, bytes: null, sha256: null, destinations: [], verification: null, error: null, failure: null });
    assert.ok(started?.startedAt instanceof Date);
    await log.update(id, { stage: 'dump' }, 'running');
    await log.update(id, { fileName: 'shop_20261123_020000.dump', bytes: 1234, sha256: 'ab', stage: undefined });
    await log.update(id, { destinations: [{ destination: 'the folder /b', location: '/b/x' }, { destination: 'Dropbox', error: 'no' }],
      verification: { ok: true, detail: 'restored', tables: 3, rows: 10 } });
    const running = await log.get(id);
    assert.deepEqual([running?.status, running?.stage, running?.fileName, running?.bytes, running?.finishedAt], ['running', 'dump', 'shop_20261123_020000.dump', 1234, null]);
    assert.deepEqual(running?.destinations, [{ destination: 'the folder /b', location: '/b/x' }, { destination: 'Dropbox', error: 'no' }]);
    assert.deepEqual(running?.verification, { ok: true, detail: 'restored', tables: 3, rows: 10 });
    const stages = [{ name: 'dump', startedAt: '2026-11-23T02:00:00.000Z', endedAt: '2026-11-23T02:01:00.000Z' }, { name: 'upload', startedAt: '2026-11-23T02:01:00.000Z' }];
    await log.update(id, { stage: 'upload', stages }, 'running');
    stages.push({ name: 'prune', startedAt: 'later' });
    assert.deepEqual((await log.get(id))?.stages, stages.slice(0, 2), 'the stages as they were given, kept apart from the caller\'s array');
    await log.update(id, {}, 'success');
    const done = await log.get(id);
    assert.equal(done?.status, 'success');
    assert.ok(done?.finishedAt && done.finishedAt.getTime() >= done.startedAt.getTime());
    await log.update(id + 100, { error: 'x' }, 'failed');
    assert.equal(await log.get(id + 100), null);
    const failed = await log.start('shop', 'cli');
    await log.update(failed, { error: 'upload: Dropbox is full', failure: { kind: 'refused', system: 'dropbox' } }, 'failed');
    assert.deepEqual([(await log.get(failed))?.error, (await log.get(failed))?.failure], ['upload: Dropbox is full', { kind: 'refused', system: 'dropbox' }]);
  });

  test('interrupted lists a job\'s pending and running runs, oldest first; failInterrupted ends only those', async () => {
    const log = await fresh();
    const good = await log.start('shop', 'schedule');
    await log.update(good, {}, 'success');
    const pending = await log.start('shop', 'schedule');
    const running = await log.start('shop', 'cli');
    await log.update(running, { stage: 'upload' }, 'running');
    await log.start('other', 'cli');
    assert.deepEqual((await log.interrupted('shop')).map((r) => r.id), [pending, running]);
    for (const id of [good, pending, running]) await log.failInterrupted(id, 'tokobot stopped during this backup');
    assert.equal((await log.get(good))?.status, 'success');
    assert.equal((await log.get(good))?.error, null);
    const ended = await log.get(running);
    assert.deepEqual([ended?.status, ended?.error, ended?.stage], ['failed', 'tokobot stopped during this backup', 'upload']);
    assert.ok(ended?.finishedAt);
    assert.deepEqual(await log.interrupted('shop'), []);
  });

  test('runsWithFiles: runs that named a file, unfinished first, then the latest finished first (not the latest started)', async () => {
    const log = await fresh();
    const [a, b, c] = [await log.start('shop', 'cli'), await log.start('shop', 'cli'), await log.start('shop', 'cli')];
    await log.start('shop', 'cli'); // names no file
    const other = await log.start('other', 'cli');
    for (const [id, name] of [[a, 'a'], [b, 'b'], [c, 'c'], [other, 'o']] as const) await log.update(id, { fileName: name });
    await log.update(b, {}, 'success');
    await tick();
    await log.update(a, {}, 'failed');
    assert.deepEqual((await log.runsWithFiles('shop')).map((r) => r.fileName), ['c', 'a', 'b']);
  });

  test('madeFile: the latest successful run that made the file, never a failed one', async () => {
    const log = await fresh();
    const first = await log.start('shop', 'cli');
    const second = await log.start('shop', 'cli');
    const failed = await log.start('shop', 'cli');
    for (const id of [first, second, failed]) await log.update(id, { fileName: 'same.dump', bytes: id }, id === failed ? 'failed' : 'success');
    assert.equal((await log.madeFile('same.dump'))?.id, second);
    assert.equal(await log.madeFile('other.dump'), null);
  });

  test('recent and latest: newest started first, per job or all; the latest run and latest good run of each job', async () => {
    const log = await fresh();
    const ids: number[] = [];
    for (const [job, status] of [['shop', 'success'], ['shop', 'failed'], ['other', 'success'], ['shop', undefined]] as const) {
      const id = await log.start(job, 'schedule');
      if (status) await log.update(id, {}, status);
      ids.push(id);
      await tick();
    }
    assert.deepEqual((await log.recent()).map((r) => r.id), [...ids].reverse());
    assert.deepEqual((await log.recent('shop', 2)).map((r) => r.id), [ids[3], ids[1]]);
    const latest = await log.latest();
    assert.deepEqual([...latest.keys()].sort(), ['other', 'shop']);
    assert.deepEqual([latest.get('shop')?.last.id, latest.get('shop')?.lastGood?.id], [ids[3], ids[0]]);
    assert.deepEqual([latest.get('other')?.last.id, latest.get('other')?.lastGood?.id], [ids[2], ids[2]]);
    const named = await log.latest(['shop', 'none']);
    assert.deepEqual([...named.keys()], ['shop'], 'only the jobs named, and only those with runs');
    assert.deepEqual([named.get('shop')?.last.id, named.get('shop')?.lastGood?.id], [ids[3], ids[0]]);
  });

  test('what a caller gets is a copy: changing it changes nothing stored', async () => {
    const log = await fresh();
    const id = await log.start('shop', 'cli');
    await log.update(id, { destinations: [{ destination: 'x', location: 'y' }] });
    const got = await log.get(id);
    got?.destinations.push({ destination: 'z' });
    assert.deepEqual((await log.get(id))?.destinations, [{ destination: 'x', location: 'y' }]);
  });
}
