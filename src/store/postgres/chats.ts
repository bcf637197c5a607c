import type pg from 'pg';
import type { Chats, ChatUser } from '../chats.ts';
import type { Lang } from '../../i18n/lang.ts';

/** Chats in the ops database: chat_users, strangers, chat_migrations. */
export class PgChats implements Chats {
  constructor(private readonly pool: pg.Pool) {}

  async user(userId: number): Promise<ChatUser | null> {
    const res = await this.pool.query('SELECT lang, store FROM chat_users WHERE user_id = $1', [userId]);
    return res.rows[0] ?? null;
  }

  async setLang(userId: number, lang: Lang): Promise<void> {
    await this.pool.query(`INSERT INTO chat_users (user_id, lang) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET lang = EXCLUDED.lang`, [userId, lang]);
  }

  async setStore(userId: number, store: string): Promise<void> {
    await this.pool.query(`INSERT INTO chat_users (user_id, store) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET store = EXCLUDED.store`, [userId, store]);
  }

  async addStranger(userId: number, name: string): Promise<boolean> {
    const res = await this.pool.query('INSERT INTO strangers (user_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, name]);
    return (res.rowCount ?? 0) > 0;
  }

  async recordMigration(oldChatId: number, newChatId: number): Promise<void> {
    await this.pool.query(`INSERT INTO chat_migrations (old_chat_id, new_chat_id) VALUES ($1, $2)
      ON CONFLICT (old_chat_id) DO UPDATE SET new_chat_id = EXCLUDED.new_chat_id, migrated_at = now()`, [oldChatId, newChatId]);
  }

  async movedTo(chatId: number): Promise<number | null> {
    const res = await this.pool.query('SELECT new_chat_id FROM chat_migrations WHERE old_chat_id = $1', [chatId]);
    return res.rows[0] ? Number(res.rows[0].new_chat_id) : null;
  }
}
