import type { PriceEntry, PriceItem } from '../pipeline/search/price-search.ts';

/** Whole rupiah the Indonesian way: "Rp 132.000". iPOS keeps up to 20 decimals; nobody pays them. */
export function rupiah(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const rounded = (BigInt(whole) + (fraction[0] !== undefined && fraction[0] >= '5' ? 1n : 0n)).toString();
  return `${negative ? '-' : ''}Rp ${rounded.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

/** A quantity the Indonesian way, exact: "2,5", "1.000". */
function quantity(value: string): string {
  const [whole = '', fraction] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return fraction ? `${grouped},${fraction}` : grouped;
}

function unitLabel(e: PriceEntry): string {
  return e.konversi === '1' ? e.satuan : `${e.satuan} (${quantity(e.konversi)})`;
}

function byUnit(entries: PriceEntry[]): Map<string, PriceEntry[]> {
  const units = new Map<string, PriceEntry[]>();
  for (const e of entries) units.set(e.satuan, [...(units.get(e.satuan) ?? []), e]);
  return units;
}

/** A unit's quantity tiers by their upper bound, lowest first (an entry without one, last). */
const byBound = (a: PriceEntry, b: PriceEntry) =>
  (a.jmlsampai === null ? Infinity : Number(a.jmlsampai)) - (b.jmlsampai === null ? Infinity : Number(b.jmlsampai));

/**
 * The label of each quantity tier of a 'J' item, from the real bounds: jmlsampai is the upper
 * bound of a tier, so a tier reads "s/d 2,5 KG" (up to and with 2,5 KG), and a unit's last tier
 * "> 2,5 KG", open above the bound before it (its own bound, often 9999, only closes the table).
 * Never "3,5+": quantities need not be whole. A unit with a single tier has one price: no label.
 */
export function tierLabels(entries: PriceEntry[]): Map<PriceEntry, string> {
  const labels = new Map<PriceEntry, string>();
  for (const unit of byUnit(entries).values()) {
    if (unit.length < 2) continue;
    const tiers = [...unit].sort(byBound);
    tiers.forEach((e, i) => {
      const bound = i === tiers.length - 1 ? `> ${quantity(tiers[i - 1]?.jmlsampai ?? '?')}` : `s/d ${quantity(e.jmlsampai ?? '?')}`;
      labels.set(e, `${bound} ${unitLabel(e)}`);
    });
  }
  return labels;
}

/** What one price of an item card is for: its quantity tier, or its unit with the level of an 'L' item. */
export function entryLabel(item: Pick<PriceItem, 'sistemhargajual'>, e: PriceEntry, tiers: Map<PriceEntry, string>): string {
  return tiers.get(e) ?? `${unitLabel(e)}${item.sistemhargajual === 'L' && e.level !== null ? ` level ${e.level}` : ''}`;
}

/** The margin over cost, "12,5%", or '' without a cost above zero (owners only see it). */
export function marginPercent(e: Pick<PriceEntry, 'hargapokok' | 'hargajual'>): string {
  const cost = Number(e.hargapokok);
  return e.hargapokok !== null && cost > 0 ? `${(((Number(e.hargajual) - cost) / cost) * 100).toFixed(1).replace('.', ',')}%` : '';
}

/** One unit's prices: a single price, levels "L1 Rp 3.500 / L2 Rp 3.400", or tiers "s/d 5 PCS Rp 3.500 / > 5 PCS Rp 3.400". */
function unitPrices(system: string, entries: PriceEntry[]): string {
  const first = entries[0] as PriceEntry;
  if (system === 'L' && entries.length > 1) {
    return `${unitLabel(first)} ${entries.map((e) => `L${e.level ?? '?'} ${rupiah(e.hargajual)}`).join(' / ')}`;
  }
  if (system === 'J' && entries.length > 1) {
    const labels = tierLabels(entries);
    return [...entries].sort(byBound).map((e) => `${labels.get(e)} ${rupiah(e.hargajual)}`).join(' / ');
  }
  return `${unitLabel(first)} ${rupiah(first.hargajual)}`;
}

/** Each unit's prices of an item, no cost: ["PCS Rp 3.500", "DUS (40) Rp 132.000"]. */
export function unitPriceLines(item: PriceItem): string[] {
  return [...byUnit(item.entries).values()].map((entries) => unitPrices(item.sistemhargajual, entries));
}

/** "INDOMIE GORENG 85G — PCS Rp 3.500 · DUS (40) Rp 132.000" */
export function priceLine(item: PriceItem): string {
  return `${item.namaitem} — ${unitPriceLines(item).join(' · ')}`;
}
