/**
 * npm run bench:search: tokobot's search against the project's labelled questions
 * (test/fixtures/search-catalogues: a minimarket and a toko bangunan), and in the same run two
 * baselines on the same questions: PostgreSQL's pg_trgm (a scratch database on this machine's
 * server, dropped after) and MiniSearch. Prints top-1, top-3 recall, MRR and how many questions
 * about items the shop does not sell were answered with nothing unrelated; then tokobot's
 * search latency in this process over a 100,000-row published list. The floor on tokobot's
 * figures is asserted by test/bot/search-catalogues.test.ts, not here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labelledQuestions } from '../test/fixtures/search-catalogues/catalogues.ts';
import { score, type Figures, type Searcher } from '../test/fixtures/search-catalogues/score.ts';
import { tokobotSearcher } from '../test/fixtures/search-catalogues/tokobot-searcher.ts';
import { benchPriceList } from './bench-price-list.ts';
import { miniSearchBaseline, pgTrgmBaseline } from './search-baselines.ts';
import { searchBench } from './search-bench.ts';

const questions = labelledQuestions();
const found = questions.filter((q) => !q.absent).length;
const share = (n: number) => n.toFixed(3);
const showMisses = process.argv.includes('--misses');

async function measured(name: string, search: Searcher): Promise<Figures & { name: string; msPerQuestion: number }> {
  const t0 = performance.now();
  const figures = await score(questions, search);
  return { name, ...figures, msPerQuestion: (performance.now() - t0) / questions.length };
}

console.log(`labelled questions: ${questions.length} (${found} about items sold, ${questions.length - found} about items not sold), 2 catalogues`);
const rows = [await measured('tokobot', await tokobotSearcher())];
const trgm = await pgTrgmBaseline();
try {
  rows.push(await measured(trgm.name, trgm.search));
} finally {
  await trgm.close();
}
const mini = miniSearchBaseline();
rows.push(await measured(mini.name, mini.search));

console.log(`${'engine'.padEnd(20)} ${'top-1'.padStart(6)} ${'top-3'.padStart(6)} ${'MRR'.padStart(6)} ${'absent ok'.padStart(10)} ${'ms/question'.padStart(12)}`);
for (const r of rows) {
  const absent = `${Math.round(r.absentHandled * r.absent)}/${r.absent}`;
  console.log(`${r.name.padEnd(20)} ${share(r.top1).padStart(6)} ${share(r.top3).padStart(6)} ${share(r.mrr).padStart(6)} ${absent.padStart(10)} ${r.msPerQuestion.toFixed(2).padStart(12)}`);
}
for (const r of showMisses ? rows : rows.slice(0, 1)) {
  if (r.misses.length) console.log(`\n${r.name} misses (${r.misses.length}):\n  ${r.misses.join('\n  ')}`);
}

const work = mkdtempSync(path.join(tmpdir(), `tokobot-search-bench-${process.pid}-`));
try {
  const list = await benchPriceList(100_000, work);
  try {
    const latency = await searchBench(list);
    console.log(`\ntokobot search over ${list.rows} rows, in process: p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, max ${latency.max} ms (target p95 <= 1 ms)`);
  } finally {
    await list.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
