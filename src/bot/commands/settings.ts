import type { CoreDeps, Who } from '../context.ts';
import { t, type Lang } from '../../i18n/text.ts';
import type { Reply } from '../reply.ts';
import type { ChatCommand } from './command.ts';

export const lang: ChatCommand = {
  name: 'lang', aliases: ['bahasa'], role: 'public', menu: true,
  help: { id: 'bahasa: /lang id atau /lang en', en: 'language: /lang id or /lang en' },
  run: async ({ deps, who, args }) => {
    const chosen: Lang = /^en/i.test(args) ? 'en' : /^id/i.test(args) ? 'id' : who.lang === 'id' ? 'en' : 'id';
    await deps.chat.setLang(who.id, chosen);
    return { severity: 'info', lines: [t(chosen, 'langSet')] };
  },
};

export function unknownStore(deps: Pick<CoreDeps, 'stores'>, who: Who, id: string): Reply {
  return { severity: 'warning', lines: [t(who.lang, 'unknownStore', { store: id, list: deps.stores.map((s) => s.id).join(', ') })] };
}

async function setStore(deps: CoreDeps, who: Who, id: string): Promise<Reply> {
  const store = deps.stores.find((s) => s.id === id);
  if (!store) return unknownStore(deps, who, id);
  await deps.chat.setStore(who.id, store.id);
  return { severity: 'info', lines: [t(who.lang, 'storeSet', { store: store.name })] };
}

/** /toko: the stores as buttons (the chosen one ticked), or /toko ID to choose at once. */
export const toko: ChatCommand = {
  name: 'toko', aliases: ['store'], role: 'staff', menu: true,
  help: { id: 'pilih toko', en: 'pick a store' },
  run: async ({ deps, who, args, buttons }) => {
    if (args) return setStore(deps, who, args.toLowerCase());
    const rows = await Promise.all(deps.stores.map(async (s) => [{ text: `${s.id === who.store.id ? '✓ ' : ''}${s.name}`, data: await buttons.encode({ kind: 'store', store: s.id }) }]));
    return { severity: 'info', lines: [t(who.lang, 'pickStore')], buttons: rows };
  },
  presses: { store: async ({ deps, who }, b) => ({ ...(await setStore(deps, who, b.store)), replace: true }) },
};
