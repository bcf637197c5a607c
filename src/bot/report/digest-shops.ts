import { number } from '../../i18n/format-number.ts';
import type { Lang } from '../../i18n/lang.ts';
import { reportText } from '../../i18n/report-text.ts';
import type { Digest, DigestShop } from '../../pipeline/reports/digest.ts';
import { changeDigestLine } from '../change-replies.ts';

/**
 * A store's price changes of the period and its low stock, one line each ("Toko Pusat: naik 5,
 * turun 3 · ⚠️ 2 perlu dicek"). A report goes to people whose role is not known here (alert
 * recipients), so it is told as to staff: no cost, and no flag that would give cost away.
 */
export function shopLines(shop: DigestShop, lang: Lang): string[] {
  const store = shop.name;
  const changes = shop.changes === null ? reportText(lang, 'shopChangesUnknown', { store })
    : changeDigestLine(store, shop.changes, { lang, withCost: false }) ?? reportText(lang, 'shopNoChanges', { store });
  const low = shop.lowStock;
  const stock = !low || !low.live ? reportText(lang, 'shopStockUnknown', { store })
    : low.counts.rows === 0 ? reportText(lang, 'shopNoLowStock', { store })
      : reportText(lang, 'shopLowStock', { store, items: number(low.counts.items, lang), rows: number(low.counts.rows, lang), offices: number(low.counts.offices, lang) });
  return [changes, stock];
}

/** The section's lines under its heading, or none when the report gathered nothing of the stores. */
export function shopsSection(d: Digest, lang: Lang): string[] {
  if (!d.shops?.length) return [];
  return [reportText(lang, 'shopsHeading'), ...d.shops.flatMap((s) => shopLines(s, lang).map((l) => `🏷️ ${l}`))];
}
