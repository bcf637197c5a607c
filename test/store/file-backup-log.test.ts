import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileBackupLog, KEPT_RUNS } from '../../src/store/file/file-backup-log.ts';
import { holdPidLock } from '../../src/store/file/process-locks.ts';
import { isAppError } from '../../src/errors.ts';
import { backupLogContract } from './backup-log.contract.ts';

const made: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-filelog-')); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

describe('FileBackupLog', () => {
  backupLogContract(async () => FileBackupLog.open(FileBackupLog.pathIn(tempDir())));

  test('a reopened log has every run as it was, ids go on, UUIDs stay', async () => {
    const file = FileBackupLog.pathIn(tempDir());
    const log = await FileBackupLog.open(file);
    const a = await log.start('ipos', 'schedule');
    await log.update(a, { fileName: 'ipos.i5bu', bytes: 5, stages: [{ name: 'dump', startedAt: '2026-11-30T02:00:00.000Z' }] }, 'success');
    const b = await log.start('ipos', 'cli');
    const uuid = log.uuidOf(a);
    assert.match(uuid ?? '', /^[0-9a-f-]{36}$/);
    const again = await FileBackupLog.open(file);
    assert.deepEqual(await again.get(a), await log.get(a));
    assert.equal(again.uuidOf(a), uuid);
    assert.deepEqual((await again.interrupted('ipos')).map((r) => r.id), [b]);
    assert.equal(await again.start('ipos', 'cli'), b + 1);
    assert.deepEqual(readdirSync(path.dirname(file)), ['agent-runs.json'], 'no temporary file left');
  });

  test(`keeps the newest ${KEPT_RUNS} finished runs, and every unfinished one`, async () => {
    const file = FileBackupLog.pathIn(tempDir());
    const log = await FileBackupLog.open(file);
    const first = await log.start('ipos', 'schedule'); // never finished
    for (let i = 0; i < KEPT_RUNS + 5; i++) await log.update(await log.start('ipos', 'schedule'), {}, 'success');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { runs: { id: number }[] };
    assert.equal(stored.runs.length, KEPT_RUNS + 1);
    assert.ok(stored.runs.some((r) => r.id === first));
    assert.equal(await log.get(2), null, 'the oldest finished ones went');
  });

  test('a file that is not a run log is set aside and the log starts empty', async () => {
    const dir = tempDir();
    const file = FileBackupLog.pathIn(dir);
    writeFileSync(file, '{"nextId": 3, "runs": [');
    const asides: string[] = [];
    const log = await FileBackupLog.open(file, { onSetAside: (f) => asides.push(f) });
    assert.deepEqual(await log.recent(), []);
    assert.equal(asides.length, 1);
    assert.ok(readdirSync(dir).some((n) => n.startsWith('agent-runs.json.corrupt-')));
  });
});

test('the pid lock: a second agent on the same DATA_DIR is told which pid holds it; a dead holder\'s file is taken over', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'agent.pid'), '999999999'); // no such process
  const release = await holdPidLock(dir);
  assert.equal(readFileSync(path.join(dir, 'agent.pid'), 'utf8'), String(process.pid));
  writeFileSync(path.join(dir, 'agent.pid'), String(process.ppid)); // a live process that is not this one
  await assert.rejects(holdPidLock(dir), (err) => isAppError(err) && err.kind === 'busy' && err.message.includes(`pid ${process.ppid}`));
  writeFileSync(path.join(dir, 'agent.pid'), String(process.pid));
  await release();
  assert.deepEqual(readdirSync(dir), []);
});
