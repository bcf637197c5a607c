/**
 * Shorthand found in iPOS item names (cashiers type names in capitals and abbreviate to fit the
 * receipt). Both the names and the questions are rewritten to the full word, so "MNYK GRG" and
 * "minyak goreng" meet. Extend freely: a wrong entry only widens a search.
 */
const ABBREVIATIONS: Record<string, string> = {
  grg: 'goreng', grng: 'goreng', gr: 'goreng',
  mnyk: 'minyak', myk: 'minyak', mny: 'minyak',
  kntl: 'kental', ktl: 'kental', mns: 'manis', mnis: 'manis',
  psr: 'pasir', gl: 'gula',
  btl: 'botol', bks: 'bungkus', bgks: 'bungkus', sct: 'sachet', sch: 'sachet', sachet: 'sachet',
  rtg: 'renteng', rent: 'renteng', lsn: 'lusin', pck: 'pak', pack: 'pak', krt: 'karton', crt: 'karton',
  spc: 'spesial', spcl: 'spesial', special: 'spesial', ori: 'original', orig: 'original',
  kcp: 'kecap', sbn: 'sabun', shp: 'shampo', sampo: 'shampo', shampoo: 'shampo',
  tpg: 'tepung', trg: 'terigu', brs: 'beras', klp: 'kelapa', kcg: 'kacang', kc: 'kacang',
  bwg: 'bawang', bwng: 'bawang', cklt: 'coklat', coklt: 'coklat', choco: 'coklat', cokelat: 'coklat',
  strw: 'strawberry', stroberi: 'strawberry', jrk: 'jeruk', pds: 'pedas', asn: 'asin',
  pth: 'putih', pt: 'putih', mrh: 'merah', hjau: 'hijau', hj: 'hijau', ijo: 'hijau', htm: 'hitam', kng: 'kuning',
  kcl: 'kecil', bsr: 'besar', sdg: 'sedang', sdp: 'sedap', rs: 'rasa', rsa: 'rasa',
  ayam: 'ayam', aym: 'ayam', sp: 'sapi', sapi: 'sapi', ikn: 'ikan', sdn: 'sarden',
  mi: 'mie', mee: 'mie', indomi: 'indomie', kpl: 'kapal', mld: 'mild', fltr: 'filter',
  sgr: 'segar', sgar: 'segar', dtrg: 'deterjen', dtj: 'deterjen', detergen: 'deterjen',
  pwdr: 'bubuk', bbk: 'bubuk', cair: 'cair', cr: 'cair', isi: 'isi', ulg: 'ulang', refil: 'refill',
};

const UNIT_ALIASES: Record<string, string> = {
  gr: 'g', grm: 'g', gram: 'g', gm: 'g', kilo: 'kg', kgr: 'kg',
  lt: 'l', ltr: 'l', liter: 'l', litre: 'l', mili: 'ml',
};

/** Words of a name or question, lower case, sizes glued to their number ("85 GR" → "85g"). */
export function words(text: string): string[] {
  const lowered = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const glued = lowered.replace(/(\d+(?:[.,]\d+)?)\s*(kg|kgr|kilo|gr|grm|gram|gm|g|ml|mili|ltr|lt|liter|litre|l)\b/g,
    (_m, n: string, unit: string) => `${n.replace(',', '.')}${UNIT_ALIASES[unit] ?? unit}`);
  return glued.split(/[^a-z0-9.]+/).map((w) => w.replace(/^\.+|\.+$/g, '')).filter(Boolean);
}

/** The words with shorthand spelled out; what names are indexed by and questions matched with. */
export function canonicalWords(text: string): string[] {
  return words(text).map((w) => ABBREVIATIONS[w] ?? w);
}

/** The word rules as text (the tables and the code applying them): an index built under other rules is not reused. */
export function wordRules(): string {
  return JSON.stringify([ABBREVIATIONS, UNIT_ALIASES, String(words), String(canonicalWords)]);
}

/** How people ask ("berapa harga indomie goreng ya kak?"): words that say nothing about the item. */
const FILLER = new Set(['berapa', 'brp', 'harga', 'hrg', 'ada', 'yang', 'yg', 'dong', 'kak', 'min', 'gan', 'ya', 'sih',
  'tolong', 'cek', 'info', 'mau', 'beli', 'jual', 'stok', 'price', 'how', 'much', 'is', 'the', 'of', 'for']);

/** A question's words worth searching for. When every word is filler, the words themselves are searched. */
export function questionWords(text: string): string[] {
  const all = [...new Set(canonicalWords(text))];
  const meaningful = all.filter((w) => !FILLER.has(w));
  return (meaningful.length ? meaningful : all).slice(0, 8);
}
