import type { PictureFileIds, PictureKey } from '../../src/store/picture-file-ids.ts';

/** Picture file ids for unit tests: one entry per store and item, as the table keeps them. */
export class MemoryPictureFileIds implements PictureFileIds {
  readonly ids = new Map<string, { hash: string; fileId: string }>();

  async get(key: PictureKey): Promise<string | null> {
    const kept = this.ids.get(JSON.stringify([key.store, key.kodeitem]));
    return kept?.hash === key.hash ? kept.fileId : null;
  }

  async set(key: PictureKey, fileId: string): Promise<void> {
    this.ids.set(JSON.stringify([key.store, key.kodeitem]), { hash: key.hash, fileId });
  }
}
