import { randomBytes } from 'node:crypto';
import { isAppError } from '../errors.ts';
import type { StoreConfig } from '../config/load-config.ts';
import { capAccess, commandsFor, may, RateLimiter, requiredRole, type Access, type Chat, type Command } from './access.ts';
import type { CoreDeps, Who } from './context.ts';
import { t, type Lang } from './i18n.ts';
import { backupReply, jobsReply } from './backup-replies.ts';
import { alertsReply } from './alert-replies.ts';
import { exportReply, historyReply, statusReply, syncReply } from './ops-replies.ts';
import { cardReply, searchReply, type Pointer } from './price-replies.ts';
import type { Reply } from './reply.ts';
import { Tokens } from './tokens.ts';

export interface Incoming {
  userId: number;
  name: string;
  text: string;
  /** The chat it was written in: a group caps what the answer may show. */
  chat: Chat;
  /** Given by channels whose people are not in the Telegram roles (allowed WhatsApp numbers). */
  access?: Access;
}

const MAX_QUESTION = 200;

const COMMANDS: Record<string, Command> = {
  start: 'help', help: 'help', bantuan: 'help', harga: 'price', toko: 'toko', status: 'status', sync: 'sync',
  history: 'history', riwayat: 'history', export: 'export', whoami: 'whoami', lang: 'lang', bahasa: 'lang',
  backup: 'backup', cadangan: 'backup', jobs: 'jobs', jadwal: 'jobs', alerts: 'alerts', peringatan: 'alerts',
};

export const HELP: Record<Command, { id: string; en: string }> = {
  price: { id: 'cari harga (atau ketik nama barang, kode, barcode)', en: 'look up prices (or just type a name, code or barcode)' },
  help: { id: 'daftar perintah', en: 'list of commands' },
  whoami: { id: 'ID Telegram Anda', en: 'your Telegram ID' },
  lang: { id: 'bahasa: /lang id atau /lang en', en: 'language: /lang id or /lang en' },
  toko: { id: 'pilih toko', en: 'pick a store' },
  status: { id: 'status backup dan sync', en: 'backup and sync status' },
  history: { id: 'riwayat sync', en: 'sync history' },
  sync: { id: 'sync sekarang', en: 'sync now' },
  export: { id: 'kirim file daftar harga (CSV)', en: 'send the price list file (CSV)' },
  backup: { id: 'backup database sekarang', en: 'back up a database now' },
  jobs: { id: 'jadwal dan hasil backup', en: 'backup schedules and results' },
  alerts: { id: 'peringatan terbuka; /alerts mute all 4; /alerts test', en: 'open alerts; /alerts mute all 4; /alerts test' },
};

/** The slash command for each command, as shown in menus. */
export const SLASH: Record<Command, string> = {
  price: 'harga', help: 'help', whoami: 'whoami', lang: 'lang', toko: 'toko', status: 'status', history: 'history', sync: 'sync', export: 'export',
  backup: 'backup', jobs: 'jobs', alerts: 'alerts',
};

/**
 * Turns a message or a button press from anyone into a reply, the same for every channel.
 * Access, rate limits and errors are handled here, once.
 */
export class CommandCore {
  private readonly limiter: RateLimiter;
  private readonly tokens = new Tokens<Pointer>();

  constructor(private readonly deps: CoreDeps) {
    this.limiter = new RateLimiter(deps.rateLimitPerMinute, 60_000, deps.now);
  }

  accessOf(userId: number): Access | null {
    return this.deps.roles.get(userId) ?? (this.deps.publicMode ? 'public' : null);
  }

  /**
   * The one place a person's access is decided: their role (or what their channel grants), no
   * higher than the chat allows.
   */
  private access(role: Access, chat: Chat): Access {
    const ceiling: Access = chat.kind === 'private' || this.deps.ownerGroups.has(chat.id) ? 'owner' : 'staff';
    return capAccess(role, ceiling);
  }

  /** A refusal: "ask in a private chat" when only the chat stands in the way. */
  private refusal(role: Access, command: Command, lang: Lang): Reply {
    if (may(role, command)) return { severity: 'warning', lines: [t(lang, 'privateOnly')] };
    return { severity: 'warning', lines: [t(lang, 'notAllowed', { role: requiredRole(command) })] };
  }

  private who(userId: number, name: string, access: Access, chat: Chat, saved: { lang: Lang; store: string | null }): Who {
    const store = this.deps.stores.find((s) => s.id === saved.store) ?? (this.deps.stores[0] as StoreConfig);
    return { id: userId, name, access, chat, lang: saved.lang, store };
  }

  /** null: say nothing (a user over the rate limit who was already told). */
  async message(m: Incoming): Promise<Reply | null> {
    return this.guard(m.userId, async (saved) => {
      const lang = saved.lang;
      const text = m.text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
      const cmd = /^\/([a-zA-Z_]+)(?:@\w+)?\s*(.*)$/s.exec(text);
      const command: Command = cmd ? COMMANDS[(cmd[1] as string).toLowerCase()] ?? 'help' : 'price';
      const args = (cmd ? (cmd[2] as string) : text).slice(0, MAX_QUESTION).trim();
      const role = m.access ?? this.accessOf(m.userId);
      if (!role) return this.stranger(m, lang, command);
      const access = this.access(role, m.chat);
      if (!may(access, command)) return this.refusal(role, command, lang);
      return this.run(command, args, this.who(m.userId, m.name, access, m.chat, saved));
    });
  }

  /** A button press in `chat`: data made by this core (pages, item cards, store choice). */
  async action(userId: number, name: string, data: string, chat: Chat): Promise<Reply | null> {
    return this.guard(userId, async (saved) => {
      const lang = saved.lang;
      const role = this.accessOf(userId);
      if (!role) return { severity: 'warning', lines: [t(lang, 'refused', { id: userId })] };
      const access = this.access(role, chat);
      const who = this.who(userId, name, access, chat, saved);
      const [kind, token, page] = data.split(':');
      if (kind === 'st' && token && may(access, 'toko')) return { ...(await this.setStore(who, token)), replace: true };
      if (kind === 'bk' && token) {
        return may(access, 'backup') ? backupReply(this.deps, who, token) : this.refusal(role, 'backup', lang);
      }
      const pointer = token ? this.tokens.get(token) : undefined;
      if (!pointer) return { severity: 'warning', lines: [t(lang, 'expired')] };
      const store = this.deps.stores.find((s) => s.id === pointer.store) ?? who.store;
      if (kind === 'pg' && 'query' in pointer) {
        return { ...(await searchReply(this.deps, this.tokens, who, store, pointer.query, Math.max(0, Number(page) || 0))), replace: true };
      }
      if (kind === 'it' && 'kodeitem' in pointer) return (await cardReply(this.deps, who, store.id, pointer.kodeitem)) ?? { severity: 'warning', lines: [t(lang, 'expired')] };
      return { severity: 'warning', lines: [t(lang, 'expired')] };
    });
  }

  private async guard(userId: number, fn: (saved: { lang: Lang; store: string | null }) => Promise<Reply>): Promise<Reply | null> {
    let lang: Lang = 'id';
    try {
      const verdict = this.limiter.check(userId);
      if (verdict === 'drop') return null;
      const saved = await this.deps.chat.user(userId);
      lang = saved.lang;
      if (verdict === 'refuse') return { severity: 'warning', lines: [t(lang, 'tooFast')] };
      return await fn(saved);
    } catch (err) {
      return this.failure(err, lang, userId);
    }
  }

  /** The one place errors become replies: a known problem says what it is; anything else gets a reference. */
  failure(err: unknown, lang: Lang, userId: number): Reply {
    if (isAppError(err)) return { severity: 'error', lines: [err.message] };
    const ref = randomBytes(4).toString('hex');
    this.deps.logger.error({ err, ref, userId }, 'command failed');
    return { severity: 'error', lines: [t(lang, 'apology', { ref })] };
  }

  private async stranger(m: Incoming, lang: Lang, command: Command): Promise<Reply> {
    if (command === 'whoami') return { severity: 'info', lines: [t(lang, 'whoami', { id: m.userId, role: '-' })] };
    if (await this.deps.chat.firstSightOfStranger(m.userId, m.name)) {
      await this.deps.notifyOwners((l) => t(l, 'strangerToOwner', { name: m.name, id: m.userId })).catch((err) =>
        this.deps.logger.warn({ err }, 'could not tell the owners about a stranger'));
    }
    return { severity: 'warning', lines: [t(lang, 'refused', { id: m.userId })] };
  }

  private async setStore(who: Who, id: string): Promise<Reply> {
    const store = this.deps.stores.find((s) => s.id === id);
    if (!store) return { severity: 'warning', lines: [t(who.lang, 'unknownStore', { store: id, list: this.deps.stores.map((s) => s.id).join(', ') })] };
    await this.deps.chat.setStore(who.id, store.id);
    return { severity: 'info', lines: [t(who.lang, 'storeSet', { store: store.name })] };
  }

  private async run(command: Command, args: string, who: Who): Promise<Reply> {
    switch (command) {
      case 'price':
        return args ? searchReply(this.deps, this.tokens, who, who.store, args, 0) : this.help(who);
      case 'whoami': {
        const lines = [t(who.lang, 'whoami', { id: who.id, role: who.access })];
        if (who.chat.kind === 'group') lines.push(t(who.lang, 'groupId', { id: who.chat.id }));
        return { severity: 'info', lines };
      }
      case 'lang': {
        const lang: Lang = /^en/i.test(args) ? 'en' : /^id/i.test(args) ? 'id' : who.lang === 'id' ? 'en' : 'id';
        await this.deps.chat.setLang(who.id, lang);
        return { severity: 'info', lines: [t(lang, 'langSet')] };
      }
      case 'toko':
        if (args) return this.setStore(who, args.toLowerCase());
        return { severity: 'info', lines: [t(who.lang, 'pickStore')],
          buttons: this.deps.stores.map((s) => [{ text: `${s.id === who.store.id ? '✓ ' : ''}${s.name}`, data: `st:${s.id}` }]) };
      case 'status':
        return statusReply(this.deps, who);
      case 'history':
        return historyReply(this.deps, who);
      case 'export':
        return exportReply(this.deps, who);
      case 'sync': {
        const store = args ? this.deps.stores.find((s) => s.id === args.toLowerCase()) : who.store;
        if (!store) return { severity: 'warning', lines: [t(who.lang, 'unknownStore', { store: args, list: this.deps.stores.map((s) => s.id).join(', ') })] };
        return syncReply(this.deps, who, store);
      }
      case 'backup':
        return backupReply(this.deps, who, args);
      case 'jobs':
        return jobsReply(this.deps, who);
      case 'alerts':
        return alertsReply(this.deps, who, args);
      default:
        return this.help(who);
    }
  }

  help(who: Pick<Who, 'access' | 'lang'>): Reply {
    return { severity: 'info', title: 'tokobot', lines: commandsFor(who.access).map((c) => `/${SLASH[c]} — ${HELP[c][who.lang]}`) };
  }
}
