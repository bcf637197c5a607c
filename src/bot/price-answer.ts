import type { SearchResult } from '../pipeline/search/price-search.ts';
import { priceLine } from './format-price.ts';
import type { Reply } from './reply.ts';

/** The answer to a price question, whatever the channel. */
export function priceAnswer(storeName: string, result: SearchResult, page = 0, pageSize = 10): Reply {
  if (result.items.length === 0) {
    return { severity: 'warning', title: storeName, lines: [`Tidak ada barang yang cocok dengan "${result.query}".`] };
  }
  const first = page * pageSize + 1;
  const last = page * pageSize + result.items.length;
  const lines = result.items.map(priceLine);
  if (result.total > result.items.length) lines.push(`(${first}–${last} dari ${result.total})`);
  return { severity: 'info', title: storeName, lines };
}
