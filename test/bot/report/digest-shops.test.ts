import { test } from 'node:test';
import assert from 'node:assert/strict';
import readXlsxFile from 'read-excel-file/node';
import { digestText } from '../../../src/bot/report/digest-text.ts';
import { digestHtml } from '../../../src/bot/report/digest-html.ts';
import { renderDigest } from '../../../src/bot/report/render-digest.ts';
import type { LowStockReport, LowStockRow } from '../../../src/pipeline/low-stock.ts';
import type { ChangeFlag, ChangeKind, PriceChange } from '../../../src/pipeline/price-changes.ts';
import type { Digest } from '../../../src/pipeline/reports/digest.ts';
import { weekDigest } from './digest-fixture.ts';

// The owners' morning news in the report: each store's price changes of the period and its items
// under their minimum stock, with the low-stock list as an Excel file.

const change = (kind: ChangeKind, flags: ChangeFlag[] = []): PriceChange => ({
  kind, kodeitem: 'A1', namaitem: 'GULA', satuan: 'PCS', konversi: '1', level: '1', jmlsampai: '', before: '1000', after: '1100', cost: '1050', flags,
});
const row = (office: string, kodeitem: string, stok: string, stokmin: string): LowStockRow => ({
  office, officeName: office === 'PST' ? 'Pusat' : 'Gudang', kodeitem, namaitem: `BARANG ${kodeitem}`, satuan: 'PCS', stok, stokmin, shortfall: String(Number(stokmin) - Number(stok)),
});
const LOW: LowStockReport = {
  store: 'pusat', live: true, rows: [row('PST', 'B1', '2', '10'), row('PST', 'B2', '0', '5'), row('GDG', 'B1', '-1', '10')],
  counts: { rows: 3, items: 2, offices: 2, deleted: 0, notForSale: 0, noMinimum: 4, noStockRows: 0 },
};

function withShops(): Digest {
  return {
    ...weekDigest(),
    shops: [
      { store: 'pusat', name: 'Toko Pusat', changes: [change('price-up'), change('price-up', ['big-change']), change('price-down'), change('item-added'), change('price-up', ['below-cost'])], lowStock: LOW },
      { store: 'cabang', name: 'Cabang', changes: [], lowStock: { store: 'cabang', live: false } },
    ],
  };
}

test('each store\'s price changes and low stock in the chat text, told as to staff (no below-cost flag: it gives cost away)', () => {
  const lines = digestText(withShops(), 'id').lines;
  const at = lines.indexOf('Harga dan stok:');
  assert.ok(at > 0, lines.join('\n'));
  assert.deepEqual(lines.slice(at + 1), [
    '🏷️ Toko Pusat: naik 3, turun 1, barang baru 1 · ⚠️ 1 perlu dicek',
    '🏷️ Toko Pusat: 2 barang di bawah stok minimum (3 baris, 2 kantor)',
    '🏷️ Cabang: tidak ada perubahan harga',
    '🏷️ Cabang: stok belum bisa dibaca (belum ada sync yang berhasil)',
  ]);
  const en = digestText(withShops(), 'en').lines;
  assert.ok(en.includes('🏷️ Toko Pusat: 2 items under their minimum stock (3 rows, 2 offices)'), en.join('\n'));
  assert.deepEqual(digestText(weekDigest(), 'id').lines.filter((l) => l.startsWith('🏷️') || l === 'Harga dan stok:'), [], 'no section when nothing was gathered');
});

test('the e-mail HTML has the section; the rendered report attaches the low-stock workbook of the store that has any, read back by another library', async () => {
  assert.match(digestHtml(withShops(), 'id'), /Harga dan stok<\/h3>[\s\S]*Toko Pusat: 2 barang di bawah stok minimum/);
  const message = await renderDigest(withShops(), 'id');
  const xlsx = message.files?.filter((f) => f.type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') ?? [];
  assert.deepEqual(xlsx.map((f) => f.name), ['stok-minimum-pusat-20261130.xlsx']);
  const sheets = await readXlsxFile(Buffer.from(xlsx[0]!.base64, 'base64'));
  assert.equal(sheets.length, 2, 'one sheet per office');
  assert.equal(sheets.reduce((n, s) => n + s.data.length - 1, 0), 3, 'every row');
});
