import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { restoreArchive } from '../../src/adapters/postgres/archive-restorer.ts';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { lowStockReport, type LowStockReport } from '../../src/pipeline/low-stock.ts';
import { expectedLowStock } from '../fixtures/expected-low-stock.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { dropScratchDb, LOCAL_PG_URL, requireLocalPg, TEST_RESTORE_ROLE } from '../helpers/local-pg.ts';

const skip = await requireLocalPg();
const store = `g_lowfix_${process.pid}`;
const database = storeDatabases(store).live;
let fixture: SharedFixture;
let report: LowStockReport;

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  // Restored as a sync leaves it: by the restore role, with pg_restore where this machine has it, else tokobot's own restorer.
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE, restorer: (file, client) => restoreArchive(file, client) });
  await target.ensure();
  await dropScratchDb(database);
  await target.createDatabase(database);
  await target.restore(fixture.i5buPath, database);
  report = await lowStockReport(target, store);
});

after(() => dropScratchDb(database));

test('on a whole generated store, the list equals the one computed independently from its data', { skip }, () => {
  assert.ok(report.live);
  const want = expectedLowStock(fixture.data.tables);
  assert.ok(want.rows.length > 20 && want.counts.offices > 1, `fixture too small: ${JSON.stringify(want.counts)}`);
  assert.ok(want.counts.deleted > 0 && want.counts.notForSale > 0 && want.counts.noMinimum > 0, JSON.stringify(want.counts));
  assert.ok(want.rows.some((r) => r.stok.startsWith('-')) && want.rows.some((r) => r.stok.includes('.')), 'stock below zero and fractions are in it');
  assert.deepEqual(report.counts, want.counts);
  assert.equal(report.rows.length, want.rows.length);
  for (let i = 0; i < want.rows.length; i++) assert.deepEqual(report.rows[i], want.rows[i], `row ${i + 1}`);
});
