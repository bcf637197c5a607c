import { test } from 'node:test';
import assert from 'node:assert/strict';
import { priceLine, rupiah, tierLabels } from '../../src/bot/format-price.ts';
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
    entry({ jmlsampai: '9999', hargajual: '3300' }), entry({ satuan: 'DUS', konversi: '40', jmlsampai: '1000', hargajual: '132000' }),
    entry({ satuan: 'DUS', konversi: '40', jmlsampai: '9999', hargajual: '130000' })])),
  'INDOMIE GORENG 85G — s/d 5 PCS Rp 3.500 / s/d 10 PCS Rp 3.400 / > 10 PCS Rp 3.300 · s/d 1.000 DUS (40) Rp 132.000 / > 1.000 DUS (40) Rp 130.000');
  assert.equal(priceLine(item('J', [entry({ jmlsampai: '9999', hargajual: '3500' })])), 'INDOMIE GORENG 85G — PCS Rp 3.500', 'one tier, one price');
});

test('quantity tiers ending at a fraction: labels from the real bounds, never "3,5+"', () => {
  const beras = (entries: PriceEntry[]): PriceItem => ({ ...item('J', entries), namaitem: 'BERAS PANDAN WANGI' });
  const kg = (jmlsampai: string, hargajual: string) => entry({ satuan: 'KG', jmlsampai, hargajual });
  // Out of order on purpose, as a channel might hand them over.
  const tiers = [kg('9999', '12500'), kg('2.5', '13500'), kg('0.75', '14000')];
  assert.equal(priceLine(beras(tiers)), 'BERAS PANDAN WANGI — s/d 0,75 KG Rp 14.000 / s/d 2,5 KG Rp 13.500 / > 2,5 KG Rp 12.500');
  const labels = tierLabels(tiers);
  assert.deepEqual(tiers.map((e) => labels.get(e)), ['> 2,5 KG', 's/d 2,5 KG', 's/d 0,75 KG']);
  assert.equal(tierLabels([kg('2.5', '13500')]).size, 0, 'a single tier has no label');
});
