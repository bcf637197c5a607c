/**
 * Messages that are talk, not an item to look up: asking for help, for the next page of the
 * last answer, or saying thanks. Said alone, with or without the polite words around them
 * ("makasih ya kak", "lanjut dong"), in Indonesian or English; anything else is a search.
 */
type ChatWord = 'help' | 'next' | 'thanks';

const CHAT_WORDS = new Map<string, ChatWord>([
  ...['help', 'bantuan', 'tolong', 'menu', 'cara pakai'].map((w) => [w, 'help'] as const),
  ...['lanjut', 'lanjutkan', 'lanjutin', 'next', 'berikutnya', 'selanjutnya', 'lagi', 'more', 'halaman berikutnya'].map((w) => [w, 'next'] as const),
  ...['makasih', 'makasi', 'makasii', 'mksh', 'terima kasih', 'terimakasih', 'trima kasih', 'trimakasih', 'thanks', 'thank you', 'thx', 'tq',
    'thank', 'tengkyu', 'matur nuwun', 'suwun', 'hatur nuhun', 'nuhun'].map((w) => [w, 'thanks'] as const),
]);

/** Words around a chat word that change nothing. */
const POLITE = new Set(['ya', 'yah', 'yaa', 'kak', 'ka', 'kakak', 'min', 'gan', 'bos', 'boss', 'bang', 'mas', 'mbak', 'mba', 'bu', 'pak',
  'dong', 'donk', 'deh', 'sih', 'banyak', 'ok', 'oke', 'okay', 'okey', 'sekali', 'bro', 'sis', 'very', 'much', 'so', 'please', 'pls']);

export function chatWordOf(text: string): ChatWord | null {
  const said = text.toLowerCase().replace(/[^a-z]+/g, ' ').trim().split(' ').filter((w) => w && !POLITE.has(w)).join(' ');
  return CHAT_WORDS.get(said) ?? null;
}
