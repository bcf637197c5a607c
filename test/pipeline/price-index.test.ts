import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, isShorthand, matchWeight, WEIGHT } from '../../src/pipeline/search/word-match.ts';
import { PriceIndex } from '../../src/pipeline/search/price-index.ts';

test('edit distance counts swaps as one and gives up past the limit', () => {
  assert.equal(editDistance('goreng', 'goreng', 1), 0);
  assert.equal(editDistance('gorneg', 'goreng', 1), 1);
  assert.equal(editDistance('gorng', 'goreng', 1), 1);
  assert.equal(editDistance('indomei', 'indomie', 2), 1);
  assert.equal(editDistance('abc', 'xyzxyz', 1), 2);
});

test('shorthand keeps the first letter and the order of letters', () => {
  assert.equal(isShorthand('grg', 'goreng'), true);
  assert.equal(isShorthand('kntl', 'kental'), true);
  assert.equal(isShorthand('rgg', 'goreng'), false);
  assert.equal(isShorthand('85', '85g'), false);
});

test('match weights: exact over unfinished over typo; nonsense does not match', () => {
  assert.equal(matchWeight('indomie', 'indomie'), WEIGHT.exact);
  assert.equal(matchWeight('indom', 'indomie'), WEIGHT.prefix);
  assert.equal(matchWeight('85', '85g'), WEIGHT.prefix);
  assert.equal(matchWeight('indomei', 'indomie'), WEIGHT.typo1);
  assert.equal(matchWeight('qwxzv', 'rokok'), 0);
  assert.equal(matchWeight('jjjkkk', 'jrk'), 0);
});

const index = new PriceIndex([
  { kodeitem: 'BRG1', namaitem: 'INDOMIE GRG 85G', codes: ['BRG1', '8998866200301'] },
  { kodeitem: 'BRG2', namaitem: 'INDOMIE SOTO 75G', codes: ['BRG2'] },
  { kodeitem: 'BRG3', namaitem: 'MNYK GRG BIMOLI 2L', codes: ['BRG3'] },
  { kodeitem: 'BRG4', namaitem: 'SUSU KNTL MNS FRISIAN FLAG 370G', codes: ['BRG4'] },
  { kodeitem: '8991002101104', namaitem: 'KOPI KAPAL API SPC MIX', codes: ['8991002101104'] },
]);
const top = (q: string) => index.rank(q).ranked[0]?.item.kodeitem;

test('codes and barcodes are found exactly, in any case', () => {
  assert.deepEqual(index.exact('8998866200301').map((i) => i.kodeitem), ['BRG1']);
  assert.deepEqual(index.exact('brg3').map((i) => i.kodeitem), ['BRG3']);
  assert.deepEqual(index.exact('indomie goreng'), []);
});

test('names: word order, typos, full words against shorthand and back', () => {
  assert.equal(top('indomie goreng'), 'BRG1');
  assert.equal(top('goreng indomie'), 'BRG1');
  assert.equal(top('indomei grg'), 'BRG1');
  assert.equal(top('minyak goreng'), 'BRG3');
  assert.equal(top('susu kental manis'), 'BRG4');
  assert.equal(top('kopi kapal api spesial'), '8991002101104');
  assert.equal(top('soto indomie'), 'BRG2');
  assert.deepEqual(index.rank('qwxzv'), { ranked: [], total: 0 });
});

test('an item whose barcode is its code is found once by it, even from a list that holds the code twice', () => {
  const twice = new PriceIndex([{ kodeitem: '8991234567890', namaitem: 'GULA PASIR 1KG', codes: ['8991234567890', '8991234567890'] },
    { kodeitem: 'BRG2', namaitem: 'GULA MERAH', codes: ['8991234567890X', 'BRG2'] }]);
  assert.deepEqual(twice.exact('8991234567890').map((i) => i.kodeitem), ['8991234567890']);
});

const shop = new PriceIndex([
  ['S1', 'MNYK GRG SANIA POUCH 2L'], ['S2', 'MNYK GRG SANIA POUCH 1L'], ['F5', 'MNYK GRG FILMA JRG 5L'], ['B5', 'BERAS SANIA PREMIUM 5KG'],
  ['I1', 'INDOMIE GRG 85G'], ['I2', 'INDOMIE GRG CABE IJO 85G'], ['I3', 'INDOMIE SOTO MIE 70G'], ['M1', 'MIE SEDAAP GRG 90G'], ['M2', 'MIE SDP KARI SPC 81G'],
  ['A1', 'AIR MINERAL LE MINERALE 600ML'], ['A2', 'AIR MINERAL LE MINERALE 1500ML'], ['K1', 'KOPI ABC GULA AREN 27G'], ['R1', 'LA BOLD 20'],
  ['L1', 'LAMPU LED PHILIPS 5W'], ['G1', 'GULA PSR CURAH 1/2 KG'], ['G2', 'GULA PSR CURAH 1KG'],
  ['F6', 'FISCHER S6 ISI 100'], ['F8', 'FISCHER S8 ISI 100'], ['H1', 'BATA RINGAN CITICON 60X20X10'], ['H2', 'BATA RINGAN CITICON 60X20X7.5'],
  ['D1', 'DJI SAM SOE 234 12'], ['S3', 'SO KLIN LIQUID 800ML'], ['S4', 'SOKLIN PEMBERSIH LANTAI 800ML'], ['R2', 'ROLL CAT MINI 4"'],
].map(([kodeitem, namaitem]) => ({ kodeitem: kodeitem as string, namaitem: namaitem as string, codes: [kodeitem as string] })));
const order = (q: string) => shop.rank(q).ranked.map((r) => r.item.kodeitem);

test('sizes meet however they are written', () => {
  assert.equal(order('le minerale 1,5 liter')[0], 'A2');
  assert.equal(order('minerale 1.5')[0], 'A2', 'a bare number is a size in any unit');
  assert.equal(order('gula curah setengah kilo')[0], 'G1');
  assert.equal(order('gula curah 1000 gr')[0], 'G2');
  assert.equal(order('fischer 8')[0], 'F8', 'the number of a model code');
  assert.equal(order('bata ringan 7,5')[0], 'H2', 'a side of a dimension');
});

test('words written together or apart, and with an ending, still meet', () => {
  assert.equal(order('soklin liquid')[0], 'S3');
  assert.equal(order('so klin lantai')[0], 'S4');
  assert.equal(order('djisamsoe')[0], 'D1');
  assert.equal(order('roller')[0], 'R2');
});

test('the brand asked comes first when its variant is absent; a size or flavour alone brings nothing of another brand', () => {
  assert.deepEqual(order('sania 5 liter'), ['S2', 'S1', 'B5'], 'Sania\'s oil (sold by the litre) first; Filma 5L, another brand, not at all');
  assert.deepEqual(order('indomie goreng').slice(0, 2), ['I1', 'I2'], 'the plain variant before the one with a flavour not asked');
  assert.ok(!order('indomie goreng').includes('M1'), 'goreng alone (Mie Sedaap, cooking oil) is not an answer to "indomie goreng"');
  assert.deepEqual(order('aqua 600ml'), [], 'the size alone is not the item');
});

test('an abbreviation never outranks the brand asked; short words are no abbreviation of anything', () => {
  assert.deepEqual(order('sedaap'), ['M1', 'M2'], 'SEDAAP before SDP');
  assert.deepEqual(order('lampu'), ['L1'], 'LA (a cigarette brand) is not short for lampu');
});

test('"did you mean" only names items with a word spelled close to the question', () => {
  assert.deepEqual(shop.closeNames('aqua'), [], 'nothing like aqua: no suggestion (not KOPI ABC GULA AREN)');
  assert.deepEqual(shop.closeNames('filmaa 2l').slice(0, 1), ['MNYK GRG FILMA JRG 5L']);
  assert.deepEqual(shop.closeNames('gula 1kg').length > 0, true);
  assert.deepEqual(shop.closeNames('zzzz 600ml'), []);
});
