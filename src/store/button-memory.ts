/**
 * What a chat button stands for when it is too long to travel in the button itself (Telegram
 * gives a button 64 bytes of data: too little for a long question or item code). Kept outside
 * the process, so that a button still works after tokobot restarts.
 */
export interface ButtonMemory {
  /**
   * Keeps `payload` (plain JSON data) and returns a short id for it: 1-32 characters of
   * A-Z a-z 0-9 _ -. The same payload may get the same id again.
   */
  put(payload: object): Promise<string>;
  /**
   * The payload kept under `id`, or null when there is none (never kept, too old, or not an id
   * at all). Any string may be asked for: ids come back from chat users, so they are untrusted
   * and must never make this throw. Rejects only when the memory itself cannot be reached.
   */
  get(id: string): Promise<unknown>;
}

/** The shape of every id `put` returns, checked before any lookup. */
export const BUTTON_MEMORY_ID = /^[A-Za-z0-9_-]{1,32}$/;
