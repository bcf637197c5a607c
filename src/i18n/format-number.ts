import type { Lang } from './lang.ts';

/**
 * Numbers and sizes as the reader's language writes them: "1.265" and "34,7 kB" in Indonesian,
 * "1,265" and "34.7 kB" in English. Every dashboard page formats through these, so that no page
 * shows an English decimal point to an Indonesian reader.
 */
const LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-US' };

/** A count, grouped: 1.265 / 1,265. */
export const number = (n: number, lang: Lang): string => n.toLocaleString(LOCALE[lang]);

/** A decimal with exactly `digits` places: 0,4 / 0.4. */
export const decimal = (n: number, lang: Lang, digits = 1): string =>
  n.toLocaleString(LOCALE[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits });

const KB = 1024;
const MB = 1_048_576;

/** Bytes in the unit that fits: "512 B", "34,7 kB", "2,1 MB" (1024-based, one decimal). */
export const size = (bytes: number, lang: Lang): string =>
  bytes >= MB ? `${decimal(bytes / MB, lang)} MB` : bytes >= KB ? `${decimal(bytes / KB, lang)} kB` : `${number(bytes, lang)} B`;

/** Bytes always in MB with one decimal ("0,1 MB"): for figures read side by side, like done / total. */
export const megabytes = (bytes: number, lang: Lang): string => `${decimal(bytes / MB, lang)} MB`;
