import { size as sizeIn } from '../../i18n/format-number.ts';

/** 1234567 → "1.2 MB", for people reading English (the CLI's inspect and file checks). */
export const size = (n: number | null) => (n === null ? '' : sizeIn(n, 'en'));
