/**
 * What a word of a question says about the item. A brand or product word ("indomie", "semen",
 * "sania") names what is wanted; a variant word (a flavour, colour, form or pack: "goreng",
 * "putih", "refill") and a size ("2000ml", "16") only pick among its kinds. So an item that has
 * the brand asked but another size comes before one of another brand in that size: "sania 5
 * liter" answers Sania's 2 litre pouch before Filma's 5 litre jerrycan, and "indomie goreng"
 * answers Indomie before cooking oil (minyak goreng).
 */
type WordClass = 'key' | 'variant' | 'size';

/** What a matched word of each class adds to an item's score: one key word outweighs a variant and a size together. */
export const CLASS_WEIGHT: Record<WordClass, number> = { key: 1, variant: 0.45, size: 0.35 };

/** Flavours, colours, forms, packs and grades, as canonical words (abbreviations.ts spells them out). */
const VARIANTS = new Set([
  'goreng', 'soto', 'ayam', 'bawang', 'kari', 'rendang', 'pedas', 'original', 'spesial', 'coklat', 'strawberry', 'vanila', 'vanilla',
  'keju', 'jeruk', 'apel', 'melon', 'mangga', 'anggur', 'lemon', 'madu', 'mint', 'menthol', 'manis', 'asin', 'tawar', 'balado', 'bbq',
  'sapi', 'ikan', 'udang', 'pandan', 'jahe', 'melati', 'nipis', 'rasa',
  'putih', 'merah', 'hijau', 'hitam', 'kuning', 'biru', 'abu', 'silver', 'pink', 'ungu', 'oranye', 'cream', 'bening', 'gold', 'doff',
  'botol', 'sachet', 'bungkus', 'kaleng', 'kotak', 'renteng', 'pak', 'karton', 'dus', 'isi', 'ulang', 'refill', 'pouch', 'jerigen',
  'cup', 'cair', 'bubuk', 'batang', 'curah', 'eceran', 'lusin',
  'besar', 'kecil', 'sedang', 'jumbo', 'mini', 'premium', 'super', 'extra', 'plus', 'double', 'single', 'polos', 'ulir', 'kasar',
  'halus', 'soft', 'fresh', 'baru', 'new',
]);

export function classOf(word: string): WordClass {
  if (/\d/.test(word)) return 'size';
  return VARIANTS.has(word) ? 'variant' : 'key';
}

/** The class rules as text: an index counts each item's variant words, so one built under other rules is not reused. */
export function classRules(): string {
  return JSON.stringify([[...VARIANTS], String(classOf)]);
}
