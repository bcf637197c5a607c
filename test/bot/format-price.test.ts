import { test } from 'node:test';
import assert from 'node:assert/strict';
import { priceLine, rupiah } from '../../src/bot/format-price.ts';
import type { PriceEntry, PriceItem } from '../../src/pipeline/search/price-search.ts';

const entry = (over: Partial<PriceEntry>): PriceEntry => ({ satuan: 'PCS', konversi: '1', barcode: '', level: null, jmlsampai: null,
  hargapokok: null, hargajual: '0', ...over });
const item = (system: string, entries: PriceEntry[]): PriceItem => ({ kodeitem: 'X', namaitem: 'INDOMIE GORENG 85G', jenis: null,
  merek: null, sistemhargajual: system, stok: '0', entries });

test('rupiah: dots for thousands, rounded to whole rupiah', () => {
  assert.equal(rupiah('3500'), 'Rp 3.500');
  assert.equal(rupiah('132000'), 'Rp 132.000');
  assert.equal(rupiah('1250000.5'), 'Rp 1.250.001');
  assert.equal(rupiah('2570.69408740359897172237'), 'Rp 2.571');
  assert.equal(rupiah('999.49'), 'Rp 999');
  assert.equal(rupiah('-1500'), '-Rp 1.500');
});

test('units and prices the Indonesian way', () => {
  assert.equal(priceLine(item('S', [entry({ hargajual: '3500' }), entry({ satuan: 'DUS', konversi: '40', hargajual: '132000' })])),
    'INDOMIE GORENG 85G — PCS Rp 3.500 · DUS (40) Rp 132.000');
});

test('levels and quantity tiers', () => {
  assert.equal(priceLine(item('L', [entry({ level: 1, hargajual: '3500' }), entry({ level: 2, hargajual: '3400' })])),
    'INDOMIE GORENG 85G — PCS L1 Rp 3.500 / L2 Rp 3.400');
  assert.equal(priceLine(item('J', [entry({ jmlsampai: '5', hargajual: '3500' }), entry({ jmlsampai: '10', hargajual: '3400' }),
    entry({ jmlsampai: '9999', hargajual: '3300' })])), 'INDOMIE GORENG 85G — PCS Rp 3.500 (6+ Rp 3.400, 11+ Rp 3.300)');
});
