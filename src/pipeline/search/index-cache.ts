import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { isPacked, rises } from './packed-strings.ts';
import { indexRules, PriceIndex, type IndexParts } from './price-index.ts';

const DIGEST_BYTES = 32;
/** A temporary file this old was left by a writer that died (a write takes well under a second). */
const STALE_TMP_MS = 10 * 60_000;

let rulesDigest: string | undefined;
const rules = () => (rulesDigest ??= createHash('sha256').update(indexRules()).digest('hex'));

/** Whether every number of `list` is in [least, limit). */
function allBelow(list: Int32Array, limit: number, least = 0): boolean {
  for (let i = 0; i < list.length; i++) {
    const n = list[i] as number;
    if (n < least || n >= limit) return false;
  }
  return true;
}

/** The parts of an index as written, or null when `value` is not one (another writer, another format). */
function partsIn(value: unknown): IndexParts | null {
  const p = value as Partial<IndexParts> | null;
  if (!p || !isPacked(p.kodeitems) || !isPacked(p.names) || !isPacked(p.codes)) return null;
  if (!Array.isArray(p.words) || !p.words.every((w) => typeof w === 'string' && w !== '')) return null;
  const { codeItems, ends, postings } = p;
  if (!(codeItems instanceof Int32Array) || !(ends instanceof Int32Array) || !(postings instanceof Int32Array)) return null;
  const n = p.kodeitems.ends.length;
  const { variants, sizeKinds, heads } = p;
  if (!(variants instanceof Uint8Array) || !(sizeKinds instanceof Uint8Array) || !(heads instanceof Int32Array)) return null;
  if (variants.length !== n || sizeKinds.length !== n || heads.length !== n || !allBelow(heads, p.words.length, -1)) return null;
  if (p.names.ends.length !== n || codeItems.length !== p.codes.ends.length || ends.length !== p.words.length) return null;
  if (!rises(ends, postings.length) || !allBelow(codeItems, n) || !allBelow(postings, n)) return null;
  return p as IndexParts;
}

/**
 * Built search indexes on disk, one file per store (DATA_DIR/search/STORE.index), so that a
 * one-shot reader such as tokobot ask loads an index in milliseconds instead of reading every
 * item of the list and building it. A file names the publication it was built from (`version`)
 * and the word rules it was built with, and carries a checksum: it is used only when all three
 * hold, and otherwise the caller builds the index from the published list and writes it anew.
 * Writing replaces the store's file at once (a temporary file renamed), so the file of an older
 * publication is gone as soon as a newer one is written.
 */
export class IndexCache {
  private readonly dir: string;

  /** The indexes kept under `dataDir` (DATA_DIR). */
  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'search');
  }

  private file(store: string): string {
    return path.join(this.dir, `${store}.index`);
  }

  private key(store: string, version: string): string {
    return JSON.stringify({ store, version, rules: rules() });
  }

  /** The store's index of `version`, or null when there is none (missing, older, corrupt or unreadable). */
  async read(store: string, version: string): Promise<PriceIndex | null> {
    const bytes = await readFile(this.file(store)).catch(() => null);
    if (!bytes || bytes.length <= DIGEST_BYTES) return null;
    const body = bytes.subarray(DIGEST_BYTES);
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return null;
    let stored: { key?: unknown; parts?: unknown };
    try {
      stored = v8.deserialize(body);
    } catch {
      return null;
    }
    if (stored?.key !== this.key(store, version)) return null;
    const parts = partsIn(stored.parts);
    return parts ? new PriceIndex(parts) : null;
  }

  /** Keeps `index` as the store's index of `version`, in place of what the store had. */
  async write(store: string, version: string, index: PriceIndex): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o750 });
    await this.removeStaleTemporaries(store);
    const body = v8.serialize({ key: this.key(store, version), parts: index.parts });
    const tmp = `${this.file(store)}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, Buffer.concat([createHash('sha256').update(body).digest(), body]), { mode: 0o640 });
      await rename(tmp, this.file(store));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private async removeStaleTemporaries(store: string): Promise<void> {
    const prefix = `${store}.index.`;
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const file = path.join(this.dir, name);
      const modified = (await stat(file).catch(() => null))?.mtimeMs ?? Infinity;
      if (Date.now() - modified > STALE_TMP_MS) await rm(file, { force: true });
    }
  }
}
