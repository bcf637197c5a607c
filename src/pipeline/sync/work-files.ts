import { mkdir, readdir, rm, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.ts';
import { csvOfWorkbook } from '../price-workbook.ts';

export function workDir(dataDir: string, store: string): string {
  return path.join(dataDir, 'work', store);
}

export function exportDir(dataDir: string, store: string): string {
  return path.join(dataDir, 'exports', store);
}

/** Removes what a failed or crashed run may have left: the work folder and unfinished exports. */
export async function cleanLeftovers(dataDir: string, store: string): Promise<void> {
  await rm(workDir(dataDir, store), { recursive: true, force: true });
  const dir = exportDir(dataDir, store);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
}

export async function prepareDirs(dataDir: string, store: string): Promise<void> {
  await mkdir(workDir(dataDir, store), { recursive: true, mode: 0o700 });
  await mkdir(exportDir(dataDir, store), { recursive: true, mode: 0o750 });
}

export type FreeSpaceFn = (dir: string) => Promise<number>;

export const freeSpace: FreeSpaceFn = async (dir) => {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
};

const MB = 1024 * 1024;
const mb = (n: number) => `${Math.ceil(n / MB)} MB`;

/**
 * Room a backup needs under DATA_DIR before it is downloaded: the file itself, an extracted copy
 * for a zip, and the export, with a margin. The restored database lives on the restore server.
 */
export function requiredSpace(fileName: string, size: number): number {
  const copies = fileName.toLowerCase().endsWith('.zip') ? 3 : 2;
  return size * copies + 64 * MB;
}

export async function ensureSpace(dataDir: string, fileName: string, size: number, free: FreeSpaceFn): Promise<void> {
  const need = requiredSpace(fileName, size);
  const have = await free(dataDir);
  if (have < need) {
    throw new AppError('refused', 'disk', {
      en: `Not enough disk space under ${dataDir}: ${mb(have)} free, about ${mb(need)} needed for ${fileName} (${mb(size)}). ` +
        'Free some space (old exports, other files) or point DATA_DIR at a larger disk, then sync again.',
      id: `Ruang disk di ${dataDir} tidak cukup: sisa ${mb(have)}, perlu sekitar ${mb(need)} untuk ${fileName} (${mb(size)}). ` +
        'Kosongkan ruang disk (ekspor lama, file lain) atau arahkan DATA_DIR ke disk yang lebih besar, lalu sync lagi.',
    });
  }
}

/** Keeps the newest `keep` CSV files of a store (names carry a sortable timestamp). */
export async function pruneExports(dataDir: string, store: string, keep: number): Promise<string[]> {
  const dir = exportDir(dataDir, store);
  const names = await readdir(dir);
  const csvs = names.filter((n) => n.endsWith('.csv')).sort().reverse();
  const gone = csvs.slice(keep);
  const kept = new Set(csvs.slice(0, keep));
  // A list's Excel workbooks (price-workbook.ts) go with it.
  const books = names.filter((n) => { const csv = csvOfWorkbook(n); return csv !== null && !kept.has(csv); });
  await Promise.all([...gone, ...books].map((n) => unlink(path.join(dir, n))));
  return gone;
}

export function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The free and whole size of the disk holding `dir` (what a shop agent's heartbeat tells). */
export async function diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const s = await statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
