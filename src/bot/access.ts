import type { Role } from '../config/load-config.ts';

/** Who may do what. "public" is anyone, when public mode is on: prices only. */
export type Access = Role | 'public';

const LEVEL: Record<Access, number> = { public: 0, staff: 1, admin: 2, owner: 3 };

/** Whether `access` reaches what a command needs (its role, declared once in the registry). */
export function may(access: Access, command: { role: Access }): boolean {
  return LEVEL[access] >= LEVEL[command.role];
}

/**
 * Where a message was written. A group (or supergroup or channel) is read by everyone in it, so
 * answers there are never above staff level (no cost prices, no owner commands) unless the
 * group is configured as an owners' group.
 */
/** The person at the terminal (`tokobot chat`): id 0 is no Telegram user or group and no WhatsApp number, so their saved language and store are their own. */
export const LOCAL_OPERATOR = 0;

export interface Chat {
  id: number;
  kind: 'private' | 'group';
}

/** What someone may do in a chat: the lower of their own access and the chat's ceiling. */
export function capAccess(access: Access, ceiling: Access): Access {
  return LEVEL[access] <= LEVEL[ceiling] ? access : ceiling;
}

/** At most `limit` messages per user in any minute; the first refusal is answered, the rest ignored. */
export class RateLimiter {
  private readonly seen = new Map<number, number[]>();

  constructor(private readonly limit: number, private readonly windowMs = 60_000, private readonly now = () => Date.now()) {}

  /** 'ok', 'refuse' (say so once) or 'drop' (already said). */
  check(userId: number): 'ok' | 'refuse' | 'drop' {
    const now = this.now();
    const recent = (this.seen.get(userId) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    this.seen.set(userId, recent);
    if (recent.length <= this.limit) return 'ok';
    return recent.length === this.limit + 1 ? 'refuse' : 'drop';
  }
}
