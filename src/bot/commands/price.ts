import type { CoreDeps, Who } from '../context.ts';
import { cardReply, searchReply } from '../price-replies.ts';
import type { ChatCommand } from './command.ts';

/** The store a button names, or the person's own when that store is no longer configured. */
const storeOf = (deps: CoreDeps, id: string, who: Who) => deps.stores.find((s) => s.id === id) ?? who.store;

/** Prices: also what any message without a slash asks. Its buttons turn pages and open item cards. */
export const price: ChatCommand = {
  name: 'harga', aliases: [], role: 'public', menu: true,
  help: { id: 'cari harga (atau ketik nama barang, kode, barcode)', en: 'look up prices (or just type a name, code or barcode)' },
  run: (c) => (c.args ? searchReply(c.deps, c.buttons, c.who, c.who.store, c.args, 0) : c.help()),
  presses: {
    page: async (c, b) => ({ ...(await searchReply(c.deps, c.buttons, c.who, storeOf(c.deps, b.store, c.who), b.query, b.page)), replace: true }),
    item: (c, b) => cardReply(c.deps, c.who, storeOf(c.deps, b.store, c.who).id, b.kodeitem),
  },
};
