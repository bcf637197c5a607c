/**
 * Where each watched folder's change cursor is kept (a Dropbox list_folder cursor), so that a
 * restarted tokobot asks for the changes since it stopped rather than from now.
 */
export interface WatchCursors {
  /** The cursor kept under `key`, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  /** Keeps `cursor` under `key`, replacing the one before. */
  put(key: string, cursor: string): Promise<void>;
}
