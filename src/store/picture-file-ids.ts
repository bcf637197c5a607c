/** One picture of one item, as a chat knows it: the store, the item, and the hash of the stored bytes. */
export interface PictureKey {
  store: string;
  kodeitem: string;
  hash: string;
}

/**
 * Telegram's file ids of item pictures already sent: Telegram keeps every photo it was sent, and
 * sending its file_id again shows it without uploading the bytes again. Kept outside the process
 * (restarts, several processes share them). One id per item: the id kept for a picture whose
 * hash changed (the picture was replaced in iPOS) is never answered again.
 * A file id belongs to the bot that uploaded it; a new bot token makes them fail, and the
 * sender then uploads again and keeps the new id.
 */
export interface PictureFileIds {
  /** The file id of exactly this picture (same hash), or null. */
  get(key: PictureKey): Promise<string | null>;
  /** Keeps the file id of this picture, replacing whatever the item had. */
  set(key: PictureKey, fileId: string): Promise<void>;
}
