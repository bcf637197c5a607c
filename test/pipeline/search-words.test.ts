import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalWords, words } from '../../src/pipeline/search/abbreviations.ts';


test('sizes are glued to their number and unit spellings unified', () => {
  assert.deepEqual(words('INDOMIE GRG 85 GR'), ['indomie', 'grg', '85g']);
  assert.deepEqual(words('Aqua Btl 1,5 Ltr'), ['aqua', 'btl', '1.5l']);
  assert.deepEqual(words('Susu (Kental) 370gr.'), ['susu', 'kental', '370g']);
});

test('iPOS shorthand is spelled out on both sides', () => {
  assert.deepEqual(canonicalWords('MNYK GRG BIMOLI 2L'), ['minyak', 'goreng', 'bimoli', '2l']);

});
