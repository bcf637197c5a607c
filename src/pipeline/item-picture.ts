import type { Logger } from 'pino';
import { storeDatabases } from './databases.ts';
import type { RestoreTarget } from './ports.ts';

/** An item's picture as stored in iPOS, not yet read: enough to know whether a chat already has it. */
export interface ItemPicture {
  store: string;
  kodeitem: string;
  /** SHA-256 of the stored bytes (hex): a changed picture is another picture. */
  hash: string;
  /** The picture as a JPEG a chat accepts; null when its bytes cannot be shown (logged once) or it changed meanwhile. */
  jpeg(): Promise<Buffer | null>;
}

/** Why a stored picture is not shown: counted per process, logged once per picture. */
export type UnshownReason = 'tooLarge' | 'unreadable';

/**
 * Far above any item photo (iPOS shrinks nothing, so a camera's 3-6 MB may be stored), and low
 * enough that reading one (twice its size as hex on the wire) never strains the server.
 */
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;

/** The iPOS schema is read here (see item-stock.ts); sha256() is PostgreSQL 11+, as are the restore targets. */
const INFO_SQL = `SELECT encode(sha256(gambar), 'hex') AS hash, octet_length(gambar) AS bytes
  FROM public.tbl_item WHERE kodeitem = $1 AND octet_length(gambar) > 0 LIMIT 1`;
/** The bytes read only when the hash is still theirs, so a chat file id is never kept for other bytes. */
const BYTES_SQL = `SELECT gambar FROM public.tbl_item
  WHERE kodeitem = $1 AND octet_length(gambar) <= $3 AND encode(sha256(gambar), 'hex') = $2 LIMIT 1`;

export interface ItemPicturesDeps {
  target: Pick<RestoreTarget, 'readRestored'>;
  /** Stored bytes to a chat JPEG (adapters/image/chat-jpeg.ts); rejects when they are no picture it reads. */
  convert: (stored: Buffer) => Promise<Buffer>;
  logger: Pick<Logger, 'warn'>;
  maxBytes?: number;
}

/**
 * Item pictures from a store's live iPOS database (tbl_item.gambar), as the restore role. A
 * picture too large or unreadable is no picture: the card answers without it, the log says so
 * once per picture (by its hash: a replaced picture is tried afresh), and it is not read again.
 */
export class ItemPictures {
  readonly unshown: Record<UnshownReason, number> = { tooLarge: 0, unreadable: 0 };
  private readonly skipped = new Set<string>();

  constructor(private readonly deps: ItemPicturesDeps) {}

  /** The item's picture, or null when it has none, it cannot be shown, or there is no live database yet. */
  async picture(store: string, kodeitem: string): Promise<ItemPicture | null> {
    const [row] = await this.read<{ hash: string; bytes: number }>(store, INFO_SQL, [kodeitem]);
    if (!row) return null;
    const key = `${store}\0${kodeitem}\0${row.hash}`;
    if (this.skipped.has(key)) return null;
    const max = this.deps.maxBytes ?? MAX_PICTURE_BYTES;
    if (row.bytes > max) {
      this.skip(key, 'tooLarge', { store, kodeitem, bytes: row.bytes, max }, 'item picture larger than tokobot reads; not shown');
      return null;
    }
    return { store, kodeitem, hash: row.hash, jpeg: () => this.jpeg(store, kodeitem, row.hash, key) };
  }

  private async jpeg(store: string, kodeitem: string, hash: string, key: string): Promise<Buffer | null> {
    if (this.skipped.has(key)) return null;
    const [row] = await this.read<{ gambar: Buffer }>(store, BYTES_SQL, [kodeitem, hash, this.deps.maxBytes ?? MAX_PICTURE_BYTES]);
    if (!row) return null;
    try {
      return await this.deps.convert(row.gambar);
    } catch (err) {
      this.skip(key, 'unreadable', { store, kodeitem, bytes: row.gambar.length, reason: (err as Error).message }, 'item picture cannot be read; not shown');
      return null;
    }
  }

  private read<Row>(store: string, sql: string, params: unknown[]): Promise<Row[]> {
    // No live database yet (or none reachable): the card answers without a picture.
    return this.deps.target.readRestored<Row>(storeDatabases(store).live, sql, params).catch(() => []);
  }

  private skip(key: string, reason: UnshownReason, facts: object, message: string): void {
    this.skipped.add(key);
    this.unshown[reason]++;
    this.deps.logger.warn({ ...facts, unshown: { ...this.unshown } }, message);
  }
}
