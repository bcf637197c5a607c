import { canonicalSize, glueSizes, sizeRules } from './size-words.ts';

/**
 * Shorthand and other spellings found in iPOS item names (cashiers type names in capitals and
 * abbreviate to fit the receipt). Both the names and the questions are rewritten to the full
 * word, so "MNYK GRG" and "minyak goreng" meet; a phrase ("skm") stands for several words.
 * Extend freely: a wrong entry only widens a search.
 */
const ABBREVIATIONS: Record<string, string> = {
  grg: 'goreng', grng: 'goreng', gr: 'goreng',
  mnyk: 'minyak', myk: 'minyak', mny: 'minyak',
  kntl: 'kental', ktl: 'kental', mns: 'manis', mnis: 'manis', skm: 'susu kental manis',
  psr: 'pasir', gl: 'gula',
  btl: 'botol', bks: 'bungkus', bgks: 'bungkus', sct: 'sachet', sch: 'sachet', sachet: 'sachet',
  rtg: 'renteng', rent: 'renteng', lsn: 'lusin', pck: 'pak', pack: 'pak', krt: 'karton', crt: 'karton',
  klg: 'kaleng', ktk: 'kotak', ref: 'refill',
  spc: 'spesial', spcl: 'spesial', special: 'spesial', ori: 'original', orig: 'original',
  kcp: 'kecap', saos: 'saus', sbn: 'sabun', shp: 'shampo', sampo: 'shampo', shampoo: 'shampo',
  tpg: 'tepung', trg: 'terigu', brs: 'beras', klp: 'kelapa', kcg: 'kacang', kc: 'kacang',
  bwg: 'bawang', bwng: 'bawang', cklt: 'coklat', coklt: 'coklat', choco: 'coklat', cokelat: 'coklat',
  strw: 'strawberry', stroberi: 'strawberry', jrk: 'jeruk', pds: 'pedas', asn: 'asin',
  pth: 'putih', pt: 'putih', mrh: 'merah', hjau: 'hijau', hj: 'hijau', ijo: 'hijau', htm: 'hitam', kng: 'kuning',
  kcl: 'kecil', bsr: 'besar', sdg: 'sedang', sdp: 'sedap', rs: 'rasa', rsa: 'rasa',
  ayam: 'ayam', aym: 'ayam', sp: 'sapi', sapi: 'sapi', ikn: 'ikan', sdn: 'sarden',
  mi: 'mie', mee: 'mie', indomi: 'indomie', kpl: 'kapal', mld: 'mild', fltr: 'filter', gg: 'gudang garam',
  sgr: 'segar', sgar: 'segar', dtrg: 'deterjen', dtj: 'deterjen', detergen: 'deterjen',
  pwdr: 'bubuk', bbk: 'bubuk', cair: 'cair', cr: 'cair', isi: 'isi', ulg: 'ulang', refil: 'refill',
  tissue: 'tisu', tissu: 'tisu', skrup: 'sekrup', keran: 'kran', closet: 'kloset', tiner: 'thinner',
  fisher: 'fischer', pilox: 'pylox', keni: 'knee',
};

const SPELLED_OUT = new Map(Object.entries(ABBREVIATIONS).map(([short, full]) => [short, full.split(' ')]));

/**
 * Other words for the same thing (toko words, brands used as names): a question's word also
 * finds these, a little below its own spelling. Only questions are widened; names keep theirs.
 */
const SYNONYMS: Record<string, string[]> = {
  toren: ['tandon'], tandon: ['toren'], hebel: ['bata ringan'], martil: ['palu'], palu: ['martil'],
  paralon: ['pipa', 'pvc'], pipa: ['pvc', 'paralon'], pvc: ['pipa', 'paralon'], pampers: ['popok'], micin: ['msg'], msg: ['micin'],
  semprot: ['aerosol'], aerosol: ['semprot'],
};

/** Words of a name or question, lower case, sizes glued to their number ("85 GR" → "85g", "1,5 Ltr" → "1.5l"). */
export function words(text: string): string[] {
  let lowered = text.toLowerCase();
  if (/[^\x00-\x7f]/.test(lowered)) lowered = lowered.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const found: string[] = [];
  for (const part of glueSizes(lowered).split(/[^a-z0-9./]+/)) {
    // "/" joins only a fraction ("1/2", '1/2"' as "1/2in"); elsewhere it separates words.
    for (const w of /^\d+\/\d+[a-z]*$/.test(part) ? [part] : part.split('/')) {
      const word = w.replace(/^\.+|\.+$/g, '');
      if (word) found.push(word);
    }
  }
  return found;
}

/** `words` with shorthand spelled out and sizes in one unit of each kind. */
export function spelledOut(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const full = SPELLED_OUT.get(w);
    if (full) out.push(...full);
    else out.push(canonicalSize(w));
  }
  return out;
}

/** The words of a text spelled out: what questions are matched with and names indexed by. */
export function canonicalWords(text: string): string[] {
  return spelledOut(words(text));
}

/** Other words a question's word also finds (phrases as their words). */
export function synonymsOf(word: string): string[][] {
  return (SYNONYMS[word] ?? []).map((s) => s.split(' '));
}

/** The word rules as text (the tables and the code applying them): an index built under other rules is not reused. */
export function wordRules(): string {
  return JSON.stringify([ABBREVIATIONS, String(words), String(spelledOut), sizeRules()]);
}

/** How people ask ("berapa harga indomie goreng ya kak?"): words that say nothing about the item. */
const FILLER = new Set(['berapa', 'brp', 'brapa', 'berapaan', 'harga', 'hrg', 'harganya', 'ada', 'ga', 'gak', 'nggak', 'ngga', 'kah',
  'yang', 'yg', 'dong', 'donk', 'deh', 'nih', 'kak', 'ka', 'min', 'gan', 'bos', 'bang', 'mas', 'mbak', 'mba', 'bu', 'ya', 'yah', 'sih',
  'tolong', 'cek', 'info', 'mau', 'minta', 'beli', 'jual', 'stok', 'stoknya', 'ready', 'masih', 'sekarang', 'skrg', 'ini', 'itu',
  'price', 'how', 'much', 'is', 'the', 'of', 'for']);

/** "sebutir", "sebungkus": one of what follows (one egg, one pack). */
const ONE_OF = /^se(butir|bungkus|dus|karung|batang|lembar|kaleng|botol|biji|sak|slop|renteng|pak|kotak|gelas|roll|rol)$/;

/** A question's words worth searching for. When every word is filler, the words themselves are searched. */
export function questionWords(text: string): string[] {
  const all = [...new Set(canonicalWords(text).map((w) => w.replace(ONE_OF, '$1')))];
  const meaningful = all.filter((w) => !FILLER.has(w));
  return (meaningful.length ? meaningful : all).slice(0, 8);
}
