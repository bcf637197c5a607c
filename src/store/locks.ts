/** Gives a held lock back. Call it once. */
export type Release = () => Promise<void>;

/**
 * Named locks across every tokobot process on the ops database ("sync:<store>", "backup:<job>"),
 * so that two syncs of one store, or two runs of one backup job, never run at once.
 */
export interface Locks {
  /**
   * Takes the lock when nobody holds it (another process, or this one: it is not re-entrant)
   * and resolves with its release; resolves with null at once when it is held. A lock goes
   * away with a holder process that dies, so a crash never leaves one behind.
   */
  tryLock(name: string): Promise<Release | null>;
  /** Which of these locks someone holds now (any process, this one included): a look, taking none. */
  held(names: string[]): Promise<Set<string>>;
}
