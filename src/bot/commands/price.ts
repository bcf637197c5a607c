import { chatWordOf } from '../chat-words.ts';
import type { CoreDeps, Who } from '../context.ts';
import { t } from '../../i18n/text.ts';
import { cardReply, nextPageReply, searchReply } from '../price-replies.ts';
import type { Reply } from '../reply.ts';
import type { ChatCommand, CommandContext } from './command.ts';

/** The store a button names, or the person's own when that store is no longer configured. */
const storeOf = (deps: CoreDeps, id: string, who: Who) => deps.stores.find((s) => s.id === id) ?? who.store;

/** A message: talk ("help", "lanjut", "makasih", chat-words.ts) is answered as talk; anything else is searched. */
function answer(c: CommandContext): Promise<Reply> | Reply {
  const said = chatWordOf(c.args);
  if (!c.args || said === 'help') return c.help();
  if (said === 'thanks') return { severity: 'info', lines: [t(c.who.lang, 'welcome')] };
  if (said === 'next') return nextPageReply(c.deps, c.buttons, c.who, c.searches);
  return searchReply(c.deps, c.buttons, c.who, c.who.store, c.args, 0, c.searches);
}

/** Prices: also what any message without a slash asks. Its buttons turn pages and open item cards. */
export const price: ChatCommand = {
  name: 'harga', aliases: [], role: 'public', menu: true,
  help: { id: 'cari harga (atau ketik nama barang, kode, barcode; "lanjut" untuk halaman berikutnya)',
    en: 'look up prices (or just type a name, code or barcode; "next" for the next page)' },
  run: answer,
  presses: {
    page: async (c, b) => ({ ...(await searchReply(c.deps, c.buttons, c.who, storeOf(c.deps, b.store, c.who), b.query, b.page, c.searches)), replace: true }),
    item: (c, b) => cardReply(c.deps, c.who, storeOf(c.deps, b.store, c.who).id, b.kodeitem),
  },
};
