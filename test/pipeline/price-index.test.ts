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
