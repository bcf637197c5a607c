import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validatePriceCsv } from '../../src/pipeline/validate-prices.ts';
import { PRICE_COLUMNS, type PriceRuleFindings } from '../../src/pipeline/price-rules.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-validate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function csv(rows: string[][], header = PRICE_COLUMNS.join(',')): string {
  const file = path.join(dir, `t${n++}.csv`);
  writeFileSync(file, [header, ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return file;
}
const row = (over: Partial<Record<(typeof PRICE_COLUMNS)[number], string>> = {}) => {
  const base: Record<string, string> = { store: 'main', kodeitem: 'A1', namaitem: 'INDOMIE GRG', jenis: 'MIE', merek: 'INDOFOOD',
    satuan: 'PCS', konversi: '1', barcode: '899', sistemhargajual: 'O', level: '', jmlsampai: '', hargapokok: '3000',
    hargajual: '3500', stok: '12.5', ...over };
  return PRICE_COLUMNS.map((c) => base[c] as string);
};
const rules = { previousRows: null, maxDrop: 0.2 };

test('a good list passes', async () => {
  const r = await validatePriceCsv(csv([row(), row({ kodeitem: 'A2', satuan: 'DUS', konversi: '40' })]), rules);
  assert.equal(r.ok, true, r.summary);
  assert.equal(r.rows, 2);
  assert.equal(r.errorCount, 0);
});

test('row rules: empty code and name, negative price, zero konversi, odd numbers — counted and quoted with row numbers', async () => {
  const r = await validatePriceCsv(csv([
    row(), row({ kodeitem: '', satuan: 'X' }), row({ kodeitem: 'B', namaitem: ' ' }), row({ kodeitem: 'C', hargajual: '-1' }),
    row({ kodeitem: 'D', konversi: '0' }), row({ kodeitem: 'E', hargajual: '1e5' }),
  ]), rules);
  assert.equal(r.ok, false);
  assert.equal(r.errorCount, 5);
  assert.deepEqual(r.errors.map((e) => e.row), [2, 3, 4, 5, 6]);
  assert.match(r.errors[0]!.message, /kodeitem is empty/);
  assert.match(r.errors[2]!.message, /hargajual is negative/);
  assert.match(r.errors[3]!.message, /konversi must be greater than 0/);
  assert.match(r.errors[4]!.message, /not a plain number/);
});

test('dataset rules: empty list, duplicates, and a large drop against the published list', async () => {
  const empty = await validatePriceCsv(csv([]), rules);
  assert.equal(empty.ok, false);
  assert.match(empty.summary, /empty/);

  const dup = await validatePriceCsv(csv([row(), row()]), rules);
  assert.equal(dup.ok, false);
  assert.match(dup.errors[0]!.message, /duplicate entry for item A1 unit PCS/);

  const ten = Array.from({ length: 10 }, (_, i) => row({ kodeitem: `K${i}` }));
  assert.equal((await validatePriceCsv(csv(ten), { previousRows: 12, maxDrop: 0.2 })).ok, true);
  const dropped = await validatePriceCsv(csv(ten), { previousRows: 13, maxDrop: 0.2 });
  assert.equal(dropped.ok, false);
  assert.match(dropped.summary, /row count fell by 23% \(13 → 10\)/);
});

test('wrong columns are refused; price below cost is only a warning', async () => {
  const cols = await validatePriceCsv(csv([['a', 'b']], 'kode,harga'), rules);
  assert.equal(cols.ok, false);
  assert.match(cols.summary, /columns are \[kode, harga\]/);

  const below = await validatePriceCsv(csv([row({ hargapokok: '4000' })]), rules);
  assert.equal(below.ok, true);
  assert.equal(below.warningCount, 1);
  assert.match(below.warnings[0]!.message, /below cost/);
});

test('what the price rules left out or kept on an odd flag is reported with examples, without failing the list', async () => {
  const priceRules: PriceRuleFindings = {
    unknownSystem: { items: 12, examples: [{ kodeitem: 'K1', column: 'sistemhargajual', value: 'X' }, { kodeitem: 'K2', column: 'sistemhargajual', value: 'q' }] },
    oddFlags: { items: 2, examples: [{ kodeitem: 'K3', column: 'statushapus', value: 'T' }, { kodeitem: 'K4', column: 'statusjual', value: '1' }] },
  };
  const r = await validatePriceCsv(csv([row()]), { ...rules, priceRules });
  assert.equal(r.ok, true, r.summary);
  assert.equal(r.errorCount, 0);
  assert.deepEqual(r.priceRules, priceRules);
  assert.equal(r.summary, "1 rows, 0 errors, 0 warnings; items with an unknown sistemhargajual (left out): 12 (e.g. K1 'X', K2 'q'); " +
    "items with a flag value other than Y/N (kept): 2 (e.g. K3 statushapus 'T', K4 statusjual '1')");

  const none = await validatePriceCsv(csv([row()]), rules);
  assert.deepEqual(none.priceRules, { unknownSystem: { items: 0, examples: [] }, oddFlags: { items: 0, examples: [] } });
  assert.equal(none.summary, '1 rows, 0 errors, 0 warnings');
});
