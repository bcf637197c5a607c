import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readArchive, type ArchiveInfo } from './archive-reader.ts';
import { freeSpace } from '../sync/work-files.ts';
import { extractI5bu, zipLimits } from './zip-extract.ts';

/** `tokobot inspect`: an .i5bu as it is, or the newest .i5bu inside a zip (unpacked to a temporary folder). */
export async function inspectFile(file: string, settings: { zipMaxBytes?: number; zipMaxRatio: number }): Promise<ArchiveInfo & { zipEntry?: string }> {
  if (!file.toLowerCase().endsWith('.zip')) return readArchive(file);
  const dir = await mkdtemp(path.join(tmpdir(), 'tokobot-inspect-'));
  try {
    const out = await extractI5bu(file, dir, zipLimits(settings, await freeSpace(dir)));
    return { ...(await readArchive(out.path)), file, zipEntry: out.entryName };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
