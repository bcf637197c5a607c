import { pause } from './pause.ts';

/** The names of iPOS backups a source takes: `.i5bu`, or a `.zip` holding one. */
export const BACKUP_FILE = /\.(i5bu|zip)$/i;

/** A file still growing after this many looks is taken as it is: the sync checks it anyway. */
const MOST_LOOKS = 120;

/**
 * Resolves once each file's size is the same at two looks `settleMs` apart (or it is gone, `look`
 * answering undefined), so that a backup still being written is not synced half-way; at once when
 * `signal` aborts.
 */
export async function untilSettled<K>(files: K[], look: (file: K) => Promise<number | undefined>, settleMs: number, signal: AbortSignal): Promise<void> {
  const sizes = new Map<K, number | undefined>(files.map((f) => [f, undefined]));
  for (let n = 0; n < MOST_LOOKS && sizes.size && !signal.aborted; n++) {
    if (n > 0 && await pause(settleMs, signal)) return;
    for (const [file, before] of sizes) {
      const size = await look(file);
      if (size === undefined || size === before) sizes.delete(file);
      else sizes.set(file, size);
    }
  }
}
