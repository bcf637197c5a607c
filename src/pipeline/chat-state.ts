import type pg from 'pg';

export type Lang = 'id' | 'en';

/** What the bot remembers per chat user (language, chosen store), and which strangers the owners heard of. */
export class ChatState {
  /** Read on every message, written only through this object: cached, written through. */
  private readonly users = new Map<number, { lang: Lang; store: string | null }>();

  constructor(private readonly pool: pg.Pool) {}

  async user(userId: number): Promise<{ lang: Lang; store: string | null }> {
    const cached = this.users.get(userId);
    if (cached) return cached;
    const res = await this.pool.query('SELECT lang, store FROM chat_users WHERE user_id = $1', [userId]);
    const user = res.rows[0] ?? { lang: 'id', store: null };
    this.users.set(userId, user);
    return user;
  }

  async setLang(userId: number, lang: Lang): Promise<void> {
    await this.pool.query(`INSERT INTO chat_users (user_id, lang) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET lang = EXCLUDED.lang`, [userId, lang]);
    this.users.delete(userId);
  }

  async setStore(userId: number, store: string): Promise<void> {
    await this.pool.query(`INSERT INTO chat_users (user_id, store) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET store = EXCLUDED.store`, [userId, store]);
    this.users.delete(userId);
  }

  /** True the first time a stranger is seen: only then are the owners told. */
  async firstSightOfStranger(userId: number, name: string): Promise<boolean> {
    const res = await this.pool.query('INSERT INTO strangers (user_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, name]);
    return (res.rowCount ?? 0) > 0;
  }

  async recordMigration(oldChatId: number, newChatId: number): Promise<void> {
    await this.pool.query(`INSERT INTO chat_migrations (old_chat_id, new_chat_id) VALUES ($1, $2)
      ON CONFLICT (old_chat_id) DO UPDATE SET new_chat_id = EXCLUDED.new_chat_id, migrated_at = now()`, [oldChatId, newChatId]);
  }

  /** The chat id to use now for a configured one (groups that became supergroups move). */
  async currentChatId(chatId: number): Promise<number> {
    let id = chatId;
    for (let hops = 0; hops < 5; hops++) {
      const res = await this.pool.query('SELECT new_chat_id FROM chat_migrations WHERE old_chat_id = $1', [id]);
      if (!res.rows[0]) break;
      id = Number(res.rows[0].new_chat_id);
    }
    return id;
  }
}
