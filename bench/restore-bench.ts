/**
 * node --import tsx bench/restore-bench.ts — restoreArchive against bare pg_restore, in one run
 * on the local server, on the ~200 MB bench archive (getSharedFixture('bench'), built once and
 * cached). restoreArchive uses one connection, so `pg_restore -j 1` is the fair comparison
 * (target ≤ 1.5×); `-j 2` is printed for information. Each side runs twice, alternating, into a
 * fresh database, and the faster run counts (the machine is shared).
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { restoreArchive } from '../src/adapters/postgres/archive-restorer.ts';
import { getSharedFixture } from '../test/fixtures/shared-fixture.ts';
import { createScratchDb, dropScratchDb, localConnection } from '../test/helpers/local-pg.ts';

const run = promisify(execFile);
const DB = `tokobot_bench_restore_${process.pid}`;
const ROUNDS = 2;

type Contender = { name: string; restore: (db: string, file: string) => Promise<void> };

function pgRestore(jobs: number): Contender {
  return {
    name: `pg_restore -j ${jobs}`,
    restore: async (db, file) => {
      const c = localConnection(db);
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-j', String(jobs),
        '-h', String(c.host), '-p', String(c.port), '-U', String(c.user), '-d', db, file]);
    },
  };
}

const tokobot: Contender = {
  name: 'restoreArchive',
  restore: async (db, file) => {
    await restoreArchive(file, async () => {
      const c = new pg.Client(localConnection(db));
      await c.connect();
      return c;
    });
  },
};

async function timed(contender: Contender, file: string): Promise<number> {
  await createScratchDb(DB);
  try {
    const started = performance.now();
    await contender.restore(DB, file);
    return (performance.now() - started) / 1000;
  } finally {
    await dropScratchDb(DB);
  }
}

const fixture = await getSharedFixture('bench');
const file = fixture.i5buPath;
process.stdout.write(`archive ${file}: ${(statSync(file).size / 1e6).toFixed(1)} MB\n`);
const contenders = [pgRestore(1), tokobot, pgRestore(2)];
const best = new Map<string, number>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const c of contenders) {
    const s = await timed(c, file);
    process.stdout.write(`round ${round}: ${c.name.padEnd(16)} ${s.toFixed(2)} s\n`);
    best.set(c.name, Math.min(best.get(c.name) ?? Infinity, s));
  }
}
const bare = best.get('pg_restore -j 1') as number;
const ours = best.get('restoreArchive') as number;
process.stdout.write(`\nbest of ${ROUNDS}:\n`);
for (const [name, s] of best) process.stdout.write(`  ${name.padEnd(16)} ${s.toFixed(2)} s\n`);
const ratio = ours / bare;
process.stdout.write(`restoreArchive / pg_restore -j 1 = ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}\n`);
process.exitCode = ratio <= 1.5 ? 0 : 1;
