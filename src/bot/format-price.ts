import type { PriceEntry, PriceItem } from '../pipeline/search/price-search.ts';

/** Whole rupiah the Indonesian way: "Rp 132.000". iPOS keeps up to 20 decimals; nobody pays them. */
export function rupiah(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const rounded = (BigInt(whole) + (fraction[0] !== undefined && fraction[0] >= '5' ? 1n : 0n)).toString();
  return `${negative ? '-' : ''}Rp ${rounded.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

function quantity(value: string): string {
  return value.replace('.', ',');
}

function unitLabel(e: PriceEntry): string {
  return e.konversi === '1' ? e.satuan : `${e.satuan} (${quantity(e.konversi)})`;
}

/** One unit's prices: a single price, levels "L1 Rp 3.500 / L2 Rp 3.400", or tiers "Rp 3.500 (6+ Rp 3.400)". */
function unitPrices(system: string, entries: PriceEntry[]): string {
  const first = entries[0] as PriceEntry;
  if (system === 'L' && entries.length > 1) {
    return `${unitLabel(first)} ${entries.map((e) => `L${e.level ?? '?'} ${rupiah(e.hargajual)}`).join(' / ')}`;
  }
  if (system === 'J' && entries.length > 1) {
    const tiers = entries.slice(1).map((e, i) => {
      const from = Number(entries[i]?.jmlsampai ?? 0) + 1;
      return `${quantity(String(from))}+ ${rupiah(e.hargajual)}`;
    });
    return `${unitLabel(first)} ${rupiah(first.hargajual)} (${tiers.join(', ')})`;
  }
  return `${unitLabel(first)} ${rupiah(first.hargajual)}`;
}

/** "INDOMIE GORENG 85G — PCS Rp 3.500 · DUS (40) Rp 132.000" */
export function priceLine(item: PriceItem): string {
  const byUnit = new Map<string, PriceEntry[]>();
  for (const e of item.entries) byUnit.set(e.satuan, [...(byUnit.get(e.satuan) ?? []), e]);
  const units = [...byUnit.values()].map((entries) => unitPrices(item.sistemhargajual, entries));
  return `${item.namaitem} — ${units.join(' · ')}`;
}
