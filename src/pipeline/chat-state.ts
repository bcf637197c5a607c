import type { Chats, ChatUser } from '../store/chats.ts';
import type { Lang } from '../i18n/lang.ts';

/** Chats that moved more often than this are followed no further (a loop in the records must not hang the bot). */
const MAX_MOVES = 5;

/** What the bot remembers per chat user (language, chosen store), and which strangers the owners heard of. */
export class ChatState {
  /** Read on every message, written only through this object: cached, written through. */
  private readonly users = new Map<number, ChatUser>();

  /** `defaultLang`: for users who never chose one ('id' in Telegram and WhatsApp; the terminal chat speaks TOKOBOT_LANG's). */
  constructor(private readonly chats: Chats, private readonly defaultLang: Lang = 'id') {}

  async user(userId: number): Promise<ChatUser> {
    const cached = this.users.get(userId);
    if (cached) return cached;
    const user = (await this.chats.user(userId)) ?? { lang: this.defaultLang, store: null };
    this.users.set(userId, user);
    return user;
  }

  async setLang(userId: number, lang: ChatUser['lang']): Promise<void> {
    await this.chats.setLang(userId, lang);
    this.users.delete(userId);
  }

  async setStore(userId: number, store: string): Promise<void> {
    // A new user is stored with 'id': one who heard another default keeps hearing it.
    if (this.defaultLang !== 'id' && !(await this.chats.user(userId))) await this.chats.setLang(userId, this.defaultLang);
    await this.chats.setStore(userId, store);
    this.users.delete(userId);
  }

  /** True the first time a stranger is seen: only then are the owners told. */
  firstSightOfStranger(userId: number, name: string): Promise<boolean> {
    return this.chats.addStranger(userId, name);
  }

  recordMigration(oldChatId: number, newChatId: number): Promise<void> {
    return this.chats.recordMigration(oldChatId, newChatId);
  }

  /** The chat id to use now for a configured one (groups that became supergroups move). */
  async currentChatId(chatId: number): Promise<number> {
    let id = chatId;
    for (let hops = 0; hops < MAX_MOVES; hops++) {
      const next = await this.chats.movedTo(id);
      if (next === null) break;
      id = next;
    }
    return id;
  }
}
