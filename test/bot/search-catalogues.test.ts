import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES, labelledQuestions, type Question } from '../fixtures/search-catalogues/catalogues.ts';
import { score, type Figures } from '../fixtures/search-catalogues/score.ts';
import { tokobotSearcher } from '../fixtures/search-catalogues/tokobot-searcher.ts';

// The search against the project's own labelled questions over two shops written for the test
// (test/fixtures/search-catalogues): what people type, and what a good answer puts first. The
// same set is what `npm run bench:search` measures tokobot and two baselines on.

const TOP1_FLOOR = 0.98;
let questions: Question[];
let figures: Figures;

before(async () => {
  questions = labelledQuestions();
  figures = await score(questions, await tokobotSearcher());
});

test('the labelled set: 150 questions or more over both catalogues, every kind of question, items the shop does not sell', () => {
  assert.ok(questions.length >= 150, `${questions.length} questions`);
  for (const store of CATALOGUES) assert.ok(questions.filter((q) => q.store === store).length >= 50, store);
  for (const kind of ['name', 'abbreviation', 'size', 'variant', 'brand', 'typo', 'code', 'barcode', 'absent']) {
    assert.ok(questions.some((q) => q.kind === kind), kind);
  }
  assert.ok(questions.filter((q) => q.absent).length >= 20);
});

test(`the first result is the one asked for, for at least ${TOP1_FLOOR * 100}% of the questions`, () => {
  assert.ok(figures.top1 >= TOP1_FLOOR, `top-1 ${figures.top1.toFixed(3)}; misses:\n${figures.misses.join('\n')}`);
});

test('an item the shop does not sell is answered with nothing unrelated: no results and no "did you mean" that share nothing with the question', () => {
  assert.equal(figures.absentHandled, 1, figures.misses.filter((m) => m.includes('[absent]')).join('\n'));
});
