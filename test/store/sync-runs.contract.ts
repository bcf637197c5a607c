import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MakeStores } from './stores-under-test.ts';

/** The contract of SyncRunLog (src/store/sync-runs.ts). */
export function syncRunLogContract(make: MakeStores, skip?: string): void {
  test('runs: between gives every store\'s runs started in [from, to), oldest first, without their stages', { skip }, async () => {
    const { runs } = await make();
    const wait = () => new Promise((r) => setTimeout(r, 5));
    await runs.start('pusat', 'cli');
    await wait();
    const from = new Date();
    await wait();
    const a = await runs.start('cabang', 'schedule');
    await runs.update(a, { stages: [{ name: 'check', startedAt: '2026-11-20T00:00:00.000Z' }], bytes: 9 }, 'success');
    await wait();
    const b = await runs.start('pusat', 'cli');
    await wait();
    const to = new Date();
    await wait();
    await runs.start('pusat', 'cli');
    const within = await runs.between(from, to);
    assert.deepEqual(within.map((r) => [r.id, r.store, r.status, r.bytes, r.stages]), [[a, 'cabang', 'success', 9, []], [b, 'pusat', 'running', null, []]]);
  });

  test('runs: a new run is running, ids grow, newest first, per store or all', { skip }, async () => {
    const { runs } = await make();
    const a = await runs.start('pusat', 'cli');
    const b = await runs.start('cabang', 'schedule');
    const c = await runs.start('pusat', 'chat:42');
    assert.ok(a < b && b < c);
    const [newest] = await runs.recent('pusat', 1);
    assert.deepEqual({ ...newest, startedAt: undefined }, {
      id: c, store: 'pusat', trigger: 'chat:42', status: 'running', stage: null, stages: [], startedAt: undefined, finishedAt: null,
      sourceFile: null, sourceModified: null, contentHash: null, bytes: null, archive: null, rowCount: null, validation: null, error: null, note: null,
    });
    assert.ok(newest?.startedAt instanceof Date);
    assert.deepEqual((await runs.recent('pusat', 10)).map((r) => r.id), [c, a]);
    assert.deepEqual((await runs.recent(null, 2)).map((r) => r.id), [c, b]);
    assert.deepEqual(await runs.recent('gudang', 10), []);
  });

  test('runs: statusRuns gives, per store, its newest run, newest success, newest failure and the run that saw the newest backup', { skip }, async () => {
    const { runs } = await make();
    const a = await runs.start('pusat', 'cli');
    await runs.update(a, { sourceModified: new Date('2026-11-20T00:00:00Z'), stages: [{ name: 'check', startedAt: '2026-11-20T00:00:00.000Z' }] }, 'success');
    const b = await runs.start('pusat', 'cli');
    await runs.update(b, { sourceModified: new Date('2026-11-19T00:00:00Z'), error: 'x' }, 'failed');
    const c = await runs.start('pusat', 'cli');
    const all = await runs.statusRuns(['pusat', 'gudang']);
    const ids = (s: string) => { const r = all.get(s); return r && [r.last?.id, r.success?.id, r.failure?.id, r.newest?.id]; };
    assert.deepEqual(ids('pusat'), [c, a, b, a]);
    assert.deepEqual(ids('gudang'), [undefined, undefined, undefined, undefined], 'a store without runs has none');
    const many = await runs.statusRuns([...Array.from({ length: 24 }, (_, i) => `toko${i}`), 'pusat']);
    assert.equal(many.size, 25, 'many stores answer as one');
    assert.deepEqual([many.get('pusat')?.last?.id, many.get('pusat')?.newest?.id], [c, a]);
    await runs.update(c, { sourceModified: new Date('2026-11-18T00:00:00Z') }, 'no-change');
    const d = await runs.start('gudang', 'schedule');
    await runs.update(d, { error: 'y' }, 'failed');
    const e = await runs.start('cabang', 'schedule');
    await runs.update(e, { error: 'z' }, 'failed');
    const f = await runs.start('cabang', 'schedule');
    await runs.update(f, { sourceModified: new Date('2026-11-21T00:00:00Z') }, 'success');
    const later = await runs.statusRuns(['gudang', 'pusat', 'cabang']);
    assert.deepEqual([later.get('pusat'), later.get('gudang'), later.get('cabang')].map((r) => r && [r.last?.id, r.success?.id, r.failure?.id, r.newest?.id]),
      [[c, a, b, a], [d, undefined, d, undefined], [f, f, e, f]], 'an unchanged newest run is the last but not a success; an older file seen is not the newest');
    const single = await runs.lastWith('pusat', ['success']);
    assert.deepEqual({ ...all.get('pusat')?.success, stages: [] }, { ...single, stages: [] }, 'the same run as lastWith (stages may be left out)');
  });

  test('runs: details are set as given, JSON ones come back as JSON would bring them', { skip }, async () => {
    const { runs } = await make();
    const id = await runs.start('pusat', 'cli');
    const modified = new Date('2026-11-20T03:04:05.678Z');
    await runs.update(id, { stage: 'check', sourceFile: 'a.i5bu', sourceModified: modified, bytes: 5_000_000_000, contentHash: 'abc' });
    await runs.update(id, { stage: 'inspect', archive: { tables: 3, at: modified }, rowCount: 12, validation: { ok: true }, sourceFile: undefined });
    await runs.update(id, { stages: [{ name: 'check', startedAt: modified.toISOString() }], note: 'n' });
    const [run] = await runs.recent('pusat', 1);
    assert.equal(run?.stage, 'inspect');
    assert.equal(run?.sourceFile, 'a.i5bu', 'an undefined detail is left as it was');
    assert.equal(run?.sourceModified?.getTime(), modified.getTime());
    assert.equal(run?.bytes, 5_000_000_000);
    assert.deepEqual(run?.archive, { tables: 3, at: modified.toISOString() });
    assert.deepEqual(run?.validation, { ok: true });
    assert.deepEqual(run?.stages, [{ name: 'check', startedAt: modified.toISOString() }]);
    assert.equal(run?.rowCount, 12);
    assert.equal(run?.note, 'n');
    assert.equal(run?.status, 'running');
    assert.equal(run?.finishedAt, null);
  });

  test('runs: an outcome is given once; a late failure never overwrites a success', { skip }, async () => {
    const { runs } = await make();
    const id = await runs.start('pusat', 'cli');
    await runs.update(id, { stage: 'publish' }, 'success');
    const [done] = await runs.recent('pusat', 1);
    assert.equal(done?.status, 'success');
    assert.ok(done?.finishedAt instanceof Date && done.finishedAt >= done.startedAt);
    await runs.update(id, { stage: 'export', error: 'late' }, 'failed');
    const [still] = await runs.recent('pusat', 1);
    assert.deepEqual([still?.status, still?.stage, still?.error], ['success', 'publish', null]);
    await runs.update(id, { note: 'after the fact' });
    assert.equal((await runs.recent('pusat', 1))[0]?.note, 'after the fact', 'details without an outcome still apply');
  });

  test('runs: failInterrupted fails only the store\'s running runs, naming their stage', { skip }, async () => {
    const { runs } = await make();
    const inRestore = await runs.start('pusat', 'cli');
    await runs.update(inRestore, { stage: 'restore' });
    const unstarted = await runs.start('pusat', 'cli');
    const finished = await runs.start('pusat', 'cli');
    await runs.update(finished, {}, 'no-change');
    const elsewhere = await runs.start('cabang', 'cli');
    assert.equal(await runs.failInterrupted('pusat'), 2);
    const byId = new Map((await runs.recent(null, 10)).map((r) => [r.id, r]));
    assert.equal(byId.get(inRestore)?.status, 'failed');
    assert.equal(byId.get(inRestore)?.error, 'interrupted: tokobot stopped during the restore stage (crash or restart); nothing was published from this run');
    assert.ok(byId.get(inRestore)?.finishedAt instanceof Date);
    assert.match(byId.get(unstarted)?.error ?? '', /during the first stage/);
    assert.equal(byId.get(finished)?.status, 'no-change');
    assert.equal(byId.get(elsewhere)?.status, 'running');
    assert.equal(await runs.failInterrupted('pusat'), 0);
  });

  test('runs: lastWith finds the newest run of given outcomes; newestSeen the newest backup seen', { skip }, async () => {
    const { runs } = await make();
    assert.equal(await runs.lastWith('pusat', ['success']), null);
    assert.equal(await runs.newestSeen('pusat'), null);
    const older = await runs.start('pusat', 'cli');
    await runs.update(older, { sourceFile: 'newer.i5bu', sourceModified: new Date('2026-11-21T00:00:00Z') }, 'success');
    const failed = await runs.start('pusat', 'cli');
    await runs.update(failed, { sourceFile: 'older.i5bu', sourceModified: new Date('2026-11-20T00:00:00Z') }, 'failed');
    const success = await runs.start('pusat', 'cli');
    await runs.update(success, {}, 'success');
    await runs.start('pusat', 'cli');
    assert.equal((await runs.lastWith('pusat', ['success']))?.id, success);
    assert.equal((await runs.lastWith('pusat', ['failed', 'no-change']))?.id, failed);
    assert.equal((await runs.lastWith('cabang', ['success'])), null);
    assert.equal((await runs.newestSeen('pusat'))?.sourceFile, 'newer.i5bu', 'by the backup\'s time, not the run\'s');
  });

  test('runs: successesSince gives a store\'s successful runs from a time on, oldest first', { skip }, async () => {
    const { runs } = await make();
    const since = new Date(Date.now() - 60_000);
    const first = await runs.start('pusat', 'cli');
    await runs.update(first, { rowCount: 10 }, 'success');
    await runs.update(await runs.start('pusat', 'cli'), {}, 'failed');
    await runs.update(await runs.start('cabang', 'cli'), {}, 'success');
    await runs.start('pusat', 'cli');
    const second = await runs.start('pusat', 'cli');
    await runs.update(second, { rowCount: 11 }, 'success');
    assert.deepEqual((await runs.successesSince('pusat', since)).map((r) => [r.id, r.rowCount]), [[first, 10], [second, 11]]);
    assert.deepEqual(await runs.successesSince('pusat', new Date(Date.now() + 60_000)), []);
  });
}
