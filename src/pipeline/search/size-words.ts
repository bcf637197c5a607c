/**
 * Sizes as cashiers write them, in names and questions: "1 KG", "1kg", "1000 gr", "1,5 liter",
 * "1.5L", "1500ML", "1/2 kg", "setengah kilo", '1/2"', "15 WATT". Each is glued to its number
 * ("1,5 liter" → "1.5l") and then has one canonical form in the smallest unit of its kind
 * ("1500ml"), so that every way of writing a size meets every other.
 */

/** Unit spellings after a number, longest first (the regular expression takes the first that fits), and the unit each means. */
const UNITS: [string, string][] = [
  ['kilogram', 'kg'], ['kilo', 'kg'], ['kgr', 'kg'], ['kg', 'kg'],
  ['gram', 'g'], ['grm', 'g'], ['gr', 'g'], ['gm', 'g'], ['mg', 'mg'], ['g', 'g'],
  ['mililiter', 'ml'], ['mili', 'ml'], ['ml', 'ml'], ['cc', 'ml'],
  ['liter', 'l'], ['litre', 'l'], ['ltr', 'l'], ['lt', 'l'], ['l', 'l'],
  ['meter', 'm'], ['mtr', 'm'], ['mm', 'mm'], ['cm', 'cm'], ['m', 'm'],
  ['ons', 'ons'], ['watt', 'w'], ['w', 'w'], ['ampere', 'a'], ['amp', 'a'], ['a', 'a'], ['volt', 'v'], ['v', 'v'], ['oz', 'oz'],
];
const UNIT_OF = new Map(UNITS);

/** How many of the smallest unit of its kind one unit is, and that unit. */
const BASE: Record<string, [number, string]> = {
  kg: [1000, 'g'], g: [1, 'g'], mg: [0.001, 'g'], ons: [100, 'g'],
  l: [1000, 'ml'], ml: [1, 'ml'],
  m: [1000, 'mm'], cm: [10, 'mm'], mm: [1, 'mm'],
  in: [1, 'in'], w: [1, 'w'], a: [1, 'a'], v: [1, 'v'], oz: [1, 'oz'],
};

/** A bigger unit a size is also indexed in when it is a whole number of them ("1500ml" is also "1.5l"), for a bare "1.5" in a question. */
const BIGGER: Record<string, [number, string][]> = { g: [[1000, 'kg']], ml: [[1000, 'l']], mm: [[10, 'cm'], [1000, 'm']] };

/** The kinds of size, one bit each: an item's sizes as a mask, so that "5 liter" prefers items sold by the litre. */
const KIND_BIT: Record<string, number> = { g: 1, ml: 2, mm: 4, in: 8, w: 16, a: 32, v: 64, oz: 128 };

const NUMBER = String.raw`\d+(?:\.\d+)?(?:\/\d+)?`;
const AFTER = String.raw`(?![a-z0-9])`;
const UNIT_RE = new RegExp(`(${NUMBER})\\s*(${UNITS.map(([u]) => u).join('|')})${AFTER}`, 'g');
const INCH_RE = new RegExp(`(${NUMBER})\\s*(?:"|''|inchi|inch|inci|in)${AFTER}`, 'g');
const HALF_RE = new RegExp(`\\b(setengah|stengah|seperempat)\\s+(?=(?:${UNITS.map(([u]) => u).join('|')})${AFTER})`, 'g');
const SIZE_RE = /^(\d+(?:\.\d+)?|\d+\/\d+)(kg|g|mg|ons|l|ml|m|cm|mm|in|w|a|v|oz)$/;
/** "sekilo", "seliter": one of the unit. */
const ONE_RE = /\bse(kilo|liter|litre|meter|ons)\b/g;

/** Lower-case text with each size glued to its number and its unit spelled one way ("1,5 Liter" → "1.5l", '1/2"' → "1/2in"). */
export function glueSizes(lowered: string): string {
  if (!/\d|setengah|stengah|seperempat|se(?:kilo|liter|litre|meter|ons)\b/.test(lowered)) return lowered;
  return lowered
    .replace(ONE_RE, '1 $1')
    .replace(/(\d),(\d)/g, '$1.$2')
    .replace(HALF_RE, (_m, word: string) => (word === 'seperempat' ? '1/4 ' : '1/2 '))
    .replace(INCH_RE, '$1in')
    .replace(UNIT_RE, (_m, n: string, unit: string) => `${n}${UNIT_OF.get(unit) ?? unit}`)
    // 40 x 40, 2 X 1.5: one word
    .replace(/(\d)\s*x\s*(?=\d)/g, '$1x');
}

function startsWithDigit(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function valueOf(number: string): number {
  const [a, b] = number.split('/');
  return b === undefined ? Number(a) : Number(a) / Number(b);
}

const shown = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** A size in the smallest unit of its kind ("1.5l" → "1500ml", "1/2kg" → "500g"); anything else as it is. */
export function canonicalSize(word: string): string {
  const m = startsWithDigit(word) ? SIZE_RE.exec(word) : null;
  if (!m) return word;
  const [factor, base] = BASE[m[2] as string] as [number, string];
  return `${shown(valueOf(m[1] as string) * factor)}${base}`;
}

/** The other forms a canonical size is indexed by: "1500ml" also as "1.5l". */
export function biggerForms(canonical: string): string[] {
  const m = startsWithDigit(canonical) ? SIZE_RE.exec(canonical) : null;
  if (!m) return [];
  const value = valueOf(m[1] as string);
  return (BIGGER[m[2] as string] ?? []).filter(([f]) => value >= f).map(([f, unit]) => `${shown(value / f)}${unit}`);
}

/** The bit of a canonical size's kind (0 for a word that is no size). */
export function sizeKind(canonical: string): number {
  const m = startsWithDigit(canonical) ? SIZE_RE.exec(canonical) : null;
  return m ? KIND_BIT[m[2] as string] ?? 0 : 0;
}

/**
 * The numbers a word also stands for: each side of a dimension ("60x20x7.5": 60, 20, 7.5) and
 * the number of a short model code ("s8", "mt60"), so that "bata ringan 7,5" and "fischer 8" find them.
 */
export function numbersIn(word: string): string[] {
  if (!startsWithDigit(word)) return /^[a-z]{1,2}\d+$/.test(word) ? [word.replace(/^[a-z]+/, '')] : [];
  return /^\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)+$/.test(word) ? word.split('x') : [];
}

/** A number with nothing after it ("85", "1.5", "1/2"): in a question it means a size in whatever unit. */
export function isBareNumber(word: string): boolean {
  return /^\d+(?:\.\d+)?(?:\/\d+)?$/.test(word);
}

/** The word is `number` followed by a unit ("85" of "85g", "1/2" of '1/2"'). */
export function numberOf(number: string, word: string): boolean {
  return word.length > number.length && word.startsWith(number) && /^[a-z]+$/.test(word.slice(number.length));
}

/** The size rules as text: an index built under other rules is not reused. */
export function sizeRules(): string {
  return JSON.stringify([UNITS, BASE, BIGGER, KIND_BIT, UNIT_RE.source, INCH_RE.source, HALF_RE.source, SIZE_RE.source, ONE_RE.source,
    String(glueSizes), String(canonicalSize), String(biggerForms), String(sizeKind)]);
}
