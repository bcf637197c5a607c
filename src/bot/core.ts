import { randomBytes } from 'node:crypto';
import { errorDetail, isAppError } from '../errors.ts';
import { ownerMessage } from '../owner-messages.ts';
import type { StoreConfig } from '../config/load-config.ts';
import { capAccess, may, RateLimiter, type Access, type Chat } from './access.ts';
import { ButtonCodec } from './button-codec.ts';
import type { ChatCommand, CommandContext } from './commands/command.ts';
import type { CoreDeps, Who } from './context.ts';
import { t, type Lang } from '../i18n/text.ts';
import { barcodeReply } from './barcode-replies.ts';
import { INLINE_PER_MINUTE, InlineAnswers, NOTHING, type InlineAnswer } from './inline-replies.ts';
import { RecentSearches } from './recent-searches.ts';
import { commandNamed, commandsFor, HELP_COMMAND, pressOf, PRICE_COMMAND } from './registry.ts';
import type { Reply } from './reply.ts';

export interface Incoming {
  userId: number;
  name: string;
  text: string;
  /** The chat it was written in: a group caps what the answer may show. */
  chat: Chat;
  /** Given by channels whose people are not in the Telegram roles (allowed WhatsApp numbers). */
  access?: Access;
}

/** A photo sent to the bot: read for barcodes, each answered as if typed. */
export interface IncomingPhoto extends Omit<Incoming, 'text'> {
  /**
   * Fetches the picture, called only once the person may ask (a stranger's photo is never
   * downloaded). Rejects with AppError (system 'barcode', 'refused') for one over the size limit.
   */
  image: () => Promise<Buffer>;
}

const MAX_QUESTION = 200;

/** A message's or an inline query's text: control characters as spaces, trimmed. */
const cleaned = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();

/**
 * Turns a message or a button press from anyone into a reply, the same for every channel.
 * Access, rate limits and errors are handled here, once.
 */
export class CommandCore {
  private readonly limiter: RateLimiter;
  private readonly buttons: ButtonCodec;
  private readonly searches = new RecentSearches();
  private readonly inlineLimiter: RateLimiter;
  private readonly inlineAnswers: InlineAnswers;

  constructor(private readonly deps: CoreDeps) {
    this.limiter = new RateLimiter(deps.rateLimitPerMinute, 60_000, deps.now);
    this.inlineLimiter = new RateLimiter(INLINE_PER_MINUTE, 60_000, deps.now);
    this.inlineAnswers = new InlineAnswers(deps);
    this.buttons = new ButtonCodec(deps.buttonMemory);
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
  private refusal(role: Access, command: ChatCommand, lang: Lang): Reply {
    if (may(role, command)) return { severity: 'warning', lines: [t(lang, 'privateOnly')] };
    return { severity: 'warning', lines: [t(lang, 'notAllowed', { role: command.role })] };
  }

  private who(userId: number, name: string, access: Access, chat: Chat, saved: { lang: Lang; store: string | null }): Who {
    const store = this.deps.stores.find((s) => s.id === saved.store) ?? (this.deps.stores[0] as StoreConfig);
    return { id: userId, name, access, chat, lang: saved.lang, store };
  }

  private context(who: Who): Omit<CommandContext, 'args'> {
    return { deps: this.deps, who, buttons: this.buttons, help: () => this.help(who), searches: this.searches };
  }

  /** null: say nothing (a user over the rate limit who was already told). */
  async message(m: Incoming): Promise<Reply | null> {
    return this.guard(m.userId, async (saved) => {
      const text = cleaned(m.text);
      const cmd = /^\/([a-zA-Z_]+)(?:@\w+)?\s*(.*)$/s.exec(text);
      const command = cmd ? commandNamed(cmd[1] as string) ?? HELP_COMMAND : PRICE_COMMAND;
      const args = (cmd ? (cmd[2] as string) : text).slice(0, MAX_QUESTION).trim();
      const admitted = await this.admit(m, command, saved);
      return 'reply' in admitted ? admitted.reply : command.run({ ...this.context(admitted.who), args });
    });
  }

  /**
   * A photo: the barcodes on it answered as each would be typed, or a hint for a better photo.
   * Asked as a price question is, with the same access and rate limit.
   */
  async photo(p: IncomingPhoto): Promise<Reply | null> {
    return this.guard(p.userId, async (saved) => {
      const admitted = await this.admit(p, PRICE_COMMAND, saved);
      if ('reply' in admitted) return admitted.reply;
      const codes = await this.deps.barcodes.read(await p.image());
      return barcodeReply(this.context(admitted.who), codes);
    });
  }

  /** Who asks, as `command` answers them, or the reply that turns them away: a stranger, a role too low, a chat too open. */
  private async admit(m: Omit<Incoming, 'text'>, command: ChatCommand, saved: { lang: Lang; store: string | null }): Promise<{ who: Who } | { reply: Reply }> {
    const role = m.access ?? this.accessOf(m.userId);
    if (!role) return { reply: await this.stranger(m, saved.lang, command) };
    const access = this.access(role, m.chat);
    if (!may(access, command)) return { reply: this.refusal(role, command, saved.lang) };
    return { who: this.who(m.userId, m.name, access, m.chat, saved) };
  }

  /**
   * A button press in `chat`: data made by this core's ButtonCodec (pages, item cards, store
   * choice, backup jobs), also by an earlier run of tokobot. Forged or forgotten data is
   * answered "expired"; a press needs the role of the command whose button it is. `granted`: as
   * Incoming.access, from channels whose people are not in the Telegram roles.
   */
  async action(userId: number, name: string, data: string, chat: Chat, granted?: Access): Promise<Reply | null> {
    return this.guard(userId, async (saved) => {
      const lang = saved.lang;
      const expired: Reply = { severity: 'warning', lines: [t(lang, 'expired')] };
      const role = granted ?? this.accessOf(userId);
      if (!role) return { severity: 'warning', lines: [t(lang, 'refused', { id: userId })] };
      const button = await this.buttons.decode(data);
      const handler = button && pressOf(button);
      if (!button || !handler) return expired;
      const access = this.access(role, chat);
      if (!may(access, handler.command)) return this.refusal(role, handler.command, lang);
      const who = this.who(userId, name, access, chat, saved);
      return (await handler.press(this.context(who), button)) ?? expired;
    });
  }

  /**
   * An inline query (`@bot gula` typed in any chat): items and prices from the person's chosen
   * store, for the configured people only (owners, admins, staff). Not for anyone else, public
   * mode or not: the answer lands in a chat the bot is not in, outside every group rule, and
   * TELEGRAM_PUBLIC is about asking the bot itself. A stranger's query costs no search and no
   * database read. null: do not answer at all (over INLINE_PER_MINUTE).
   */
  async inline(userId: number, query: string): Promise<InlineAnswer | null> {
    if (this.inlineLimiter.check(userId) !== 'ok') return null;
    if (!this.deps.roles.has(userId)) return NOTHING;
    try {
      return await this.inlineAnswers.answer(userId, cleaned(query).slice(0, MAX_QUESTION).trim());
    } catch (err) {
      // No chat to say it in: logged, and an empty answer Telegram must not keep.
      this.deps.logger.error({ err, userId }, 'inline query failed');
      return { items: [], cacheSeconds: 0 };
    }
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

  /** The one place errors become replies: a known problem says what it is and what to do, then the detail; anything else gets a reference. */
  failure(err: unknown, lang: Lang, userId: number): Reply {
    if (isAppError(err)) return { severity: 'error', lines: [ownerMessage(err, lang), errorDetail(err, lang)] };
    const ref = randomBytes(4).toString('hex');
    this.deps.logger.error({ err, ref, userId }, 'command failed');
    return { severity: 'error', lines: [t(lang, 'apology', { ref })] };
  }

  private async stranger(m: Pick<Incoming, 'userId' | 'name'>, lang: Lang, command: ChatCommand): Promise<Reply> {
    if (command.forStranger) return command.forStranger({ id: m.userId, lang });
    if (await this.deps.chat.firstSightOfStranger(m.userId, m.name)) {
      await this.deps.notifyOwners((l) => t(l, 'strangerToOwner', { name: m.name, id: m.userId })).catch((err) =>
        this.deps.logger.warn({ err }, 'could not tell the owners about a stranger'));
    }
    return { severity: 'warning', lines: [t(lang, 'refused', { id: m.userId })] };
  }

  help(who: Pick<Who, 'access' | 'lang'>): Reply {
    return { severity: 'info', title: 'tokobot', lines: commandsFor(who.access).map((c) => `/${c.name} — ${c.help[who.lang]}`) };
  }
}
