import type { WatchCursors } from '../../src/store/watch-cursors.ts';

/** Watch cursors for unit tests, in a map. */
export class MemoryWatchCursors implements WatchCursors {
  readonly cursors = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.cursors.get(key);
  }

  async put(key: string, cursor: string): Promise<void> {
    this.cursors.set(key, cursor);
  }
}
