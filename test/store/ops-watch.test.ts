import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresBackupLog } from '../../src/store/postgres/postgres-backup-log.ts';
import { PostgresOpsWatch } from '../../src/store/postgres/postgres-ops-watch.ts';
import { MemoryBackupLog } from '../fakes/memory-backup-log.ts';
import { MemoryOpsWatch } from '../fakes/memory-ops-watch.ts';
import { MemorySyncRunLog } from '../fakes/memory-stores.ts';
import { opsWatchContract } from './ops-watch.contract.ts';
import { scratchOpsDatabase } from './pg-scratch.ts';

describe('PostgresOpsWatch', () => {
  const db = scratchOpsDatabase(`tokobot_t_store_ops_watch_${process.pid}`, ['sync_runs', 'backup_runs']);
  opsWatchContract(async () => {
    const pool = await db.emptied();
    return {
      watch: new PostgresOpsWatch(pool), backupLog: new PostgresBackupLog(pool),
      addSync: async (r) => { await pool.query('INSERT INTO sync_runs (store, trigger, status, stage, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [r.store, 'schedule', r.status, r.stage, r.startedAt, r.finishedAt]); },
    };
  });

  test('ping rejects with the reason when the server cannot be reached', async () => {
    const dead = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
    try {
      await assert.rejects(new PostgresOpsWatch(dead).ping(), /ECONNREFUSED/);
    } finally {
      await dead.end();
    }
  });
});

describe('MemoryOpsWatch', () => {
  opsWatchContract(async () => {
    let now = new Date();
    const syncRuns = new MemorySyncRunLog(() => now);
    const backupLog = new MemoryBackupLog();
    return {
      watch: new MemoryOpsWatch(syncRuns, backupLog), backupLog,
      addSync: async (r) => {
        now = r.startedAt;
        const id = await syncRuns.start(r.store, 'schedule');
        await syncRuns.update(id, { stage: r.stage ?? undefined });
        now = r.finishedAt ?? now;
        if (r.status !== 'running') await syncRuns.update(id, {}, r.status);
      },
    };
  });
});
