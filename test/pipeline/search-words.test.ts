import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalWords, questionWords, words } from '../../src/pipeline/search/abbreviations.ts';


test('sizes are glued to their number and unit spellings unified', () => {
  assert.deepEqual(words('INDOMIE GRG 85 GR'), ['indomie', 'grg', '85g']);
  assert.deepEqual(words('Aqua Btl 1,5 Ltr'), ['aqua', 'btl', '1.5l']);
  assert.deepEqual(words('Susu (Kental) 370gr.'), ['susu', 'kental', '370g']);
});

test('iPOS shorthand is spelled out on both sides', () => {
  assert.deepEqual(canonicalWords('MNYK GRG BIMOLI 2L'), ['minyak', 'goreng', 'bimoli', '2000ml']);
  assert.deepEqual(canonicalWords('SKM FRISIAN FLAG'), ['susu', 'kental', 'manis', 'frisian', 'flag'], 'shorthand for several words');

});

test('a size written any way has one form: the smallest unit of its kind', () => {
  const size = (text: string) => canonicalWords(text).join(' ');
  for (const text of ['1kg', '1 kg', '1 KG', '1000g', '1000 gr', '1000 gram', '1 kilo']) assert.equal(size(text), '1000g', text);
  for (const text of ['1,5 liter', '1.5L', '1,5 ltr', '1500ml', '1500 ML', '1500 cc']) assert.equal(size(text), '1500ml', text);
  for (const text of ['1/2 kg', '1/2kg', 'setengah kilo', '500 gr', '0,5 kg']) assert.equal(size(text), '500g', text);
  assert.equal(size('PIPA 1/2" AW'), 'pipa 0.5in aw');
  assert.equal(size('pipa 1/2 inch'), 'pipa 0.5in');
  assert.equal(size('LAMPU 15 WATT'), 'lampu 15w');
  assert.equal(size('KABEL 2X1,5'), 'kabel 2x1.5');
  assert.equal(size('keramik 40 x 40'), 'keramik 40x40');
  assert.equal(size('BATU SPLIT 1/2'), 'batu split 1/2', 'a fraction without a unit is no weight');
  assert.equal(size('ISI 2 AYAM'), 'isi 2 ayam', 'a unit letter must end the word');
  assert.equal(size('gula sekilo'), 'gula 1000g');
  assert.equal(size('PAKU 2 ONS'), 'paku 200g');
});

test('a question\'s words: filler left out, "se-" (one) taken off what is counted', () => {
  assert.deepEqual(questionWords('berapa harga telur sebutir ya kak?'), ['telur', 'butir']);
  assert.deepEqual(questionWords('harga'), ['harga'], 'a question of filler only is searched as it is');
});
