import { PriceSearch } from '../src/pipeline/search/price-search.ts';
import type { BenchList } from './bench-price-list.ts';

export interface LatencyFigures { count: number; p50: number; p95: number; p99: number; max: number }

export function percentiles(samples: number[]): LatencyFigures {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  const r = (n: number) => Math.round(n * 100) / 100;
  return { count: s.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s.at(-1) ?? 0) };
}

/** Search latency in this process over a published list: 200 warm-up questions, then 1,000 timed. */
export async function searchBench(list: BenchList): Promise<LatencyFigures> {
  const search = new PriceSearch(list.stores.priceLists);
  const qs = list.questions(1200);
  for (const q of qs.slice(0, 200)) await search.search(list.store, q);
  const samples: number[] = [];
  for (const q of qs.slice(200)) {
    const t0 = performance.now();
    await search.search(list.store, q);
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}
