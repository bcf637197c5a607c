import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { RestoreTarget } from '../../src/pipeline/ports.ts';
import { createDatabase, dropDatabase } from '../../src/pipeline/databases.ts';
import { isAppError } from '../../src/errors.ts';

/**
 * What every restore target must do, run against each real one (the machine's PostgreSQL, a
 * Docker container). `archive` is a real iPOS-shaped .i5bu whose tables belong to sysi5adm.
 */
export function restoreTargetContract(name: string, make: () => Promise<RestoreTarget>, archive: () => string,
  expectedItems: () => number, scratchDir: () => string, skip?: string): void {
  const db = `tokobot_t_contract_${name}_${process.pid}`;
  const count = async (target: RestoreTarget) => {
    const c = new pg.Client(target.connection(db));
    await c.connect();
    try {
      return Number((await c.query('SELECT count(*) AS n FROM tbl_item')).rows[0].n);
    } finally {
      await c.end();
    }
  };

  test(`${name}: ensure() is idempotent and pg_restore is version 15`, { skip }, async () => {
    const target = await make();
    await target.ensure();
    await target.ensure();
    assert.equal(await target.pgRestoreMajor(), 15);
  });

  test(`${name}: restores an archive owned by a role the server lacks, with one job and with two`, { skip }, async () => {
    const target = await make();
    for (const jobs of [1, 2]) {
      await dropDatabase(target, db);
      await createDatabase(target, db);
      try {
        await target.restore(archive(), db, { jobs });
        assert.equal(await count(target), expectedItems());
      } finally {
        await dropDatabase(target, db);
      }
    }
  });

  test(`${name}: a truncated archive fails with pg_restore's own words`, { skip }, async () => {
    const target = await make();
    const bytes = readFileSync(archive());
    const cut = path.join(scratchDir(), `${name}-cut.i5bu`);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await dropDatabase(target, db);
    await createDatabase(target, db);
    try {
      await assert.rejects(target.restore(cut, db, { jobs: 1 }), (err) =>
        isAppError(err) && err.code === 'restore-failed' && /pg_restore failed: .*pg_restore: error/.test(err.message));
    } finally {
      await dropDatabase(target, db);
    }
  });
}
