import type { Lang } from '../i18n/lang.ts';

export interface ChatUser {
  lang: Lang;
  /** The store the user chose, or null. */
  store: string | null;
}

/** What the bot remembers of chats: its users' choices, the strangers the owners were told of, and moved group chats. */
export interface Chats {
  /** A user's choices, or null for a user who never chose anything. */
  user(userId: number): Promise<ChatUser | null>;
  /** Sets the user's language; a new user gets no store. */
  setLang(userId: number, lang: Lang): Promise<void>;
  /** Sets the user's store; a new user gets the language 'id'. */
  setStore(userId: number, store: string): Promise<void>;
  /** Remembers a stranger; true only the first time this user is added. */
  addStranger(userId: number, name: string): Promise<boolean>;
  /** Records that a chat moved (a group became a supergroup); a later move of the same chat replaces it. */
  recordMigration(oldChatId: number, newChatId: number): Promise<void>;
  /** The chat a chat moved to, one move only, or null when it never moved. */
  movedTo(chatId: number): Promise<number | null>;
}
