import { may } from '../access.ts';
import type { CoreDeps, Who } from '../context.ts';
import { t } from '../../i18n/text.ts';
import { itemStockReply, lowStockFileReply, lowStockReply, stockSearchReply } from '../stock-replies.ts';
import type { ChatCommand } from './command.ts';

/** What asks for the low-stock list as a file rather than an item of that name. */
const FILE_WORDS = new Set(['excel', 'xlsx']);

/**
 * The low-stock list shows the whole store's stock position (what to reorder): owners and admins,
 * as the daily digest that carries it.
 */
const LIST_ROLE = { role: 'admin' } as const;

/** The store a button names, or the person's own when that store is no longer configured. */
const storeOf = (deps: CoreDeps, id: string, who: Who) => deps.stores.find((s) => s.id === id) ?? who.store;

/**
 * /stok NAME: an item's stock per office. Staff may ask, as the item card they already see shows
 * the same stock (stock is not secret the way cost is). /stok alone: the items under their
 * minimum stock; /stok excel: that list as a file (owners and admins).
 */
export const stock: ChatCommand = {
  name: 'stok', aliases: ['stock'], role: 'staff', menu: true,
  help: { id: 'stok barang per kantor: /stok NAMA (admin: /stok saja untuk barang di bawah stok minimum, /stok excel sebagai file)',
    en: 'an item\'s stock per office: /stock NAME (admins: /stock alone for the items under their minimum stock, /stock excel as a file)' },
  run: ({ deps, who, args, buttons }) => {
    const asFile = FILE_WORDS.has(args.toLowerCase());
    if (args && !asFile) return stockSearchReply(deps, buttons, who, args);
    if (!may(who.access, LIST_ROLE)) {
      return { severity: 'warning', lines: [asFile ? t(who.lang, 'notAllowed', { role: LIST_ROLE.role }) : t(who.lang, 'stockUsage')] };
    }
    return asFile ? lowStockFileReply(deps, who) : lowStockReply(deps, who);
  },
  presses: {
    stock: (c, b) => itemStockReply(c.deps, c.who, storeOf(c.deps, b.store, c.who), b.kodeitem),
  },
};
