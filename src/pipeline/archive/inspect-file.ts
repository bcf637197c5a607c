import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readArchive, type ArchiveInfo } from './archive-reader.ts';
import { extractI5bu } from './zip-extract.ts';

/** `tokobot inspect`: an .i5bu as it is, or the newest .i5bu inside a zip (unpacked to a temporary folder). */
export async function inspectFile(file: string, zipMaxBytes: number): Promise<ArchiveInfo & { zipEntry?: string }> {
  if (!file.toLowerCase().endsWith('.zip')) return readArchive(file);
  const dir = await mkdtemp(path.join(tmpdir(), 'tokobot-inspect-'));
  try {
    const out = await extractI5bu(file, dir, { maxUncompressedBytes: zipMaxBytes });
    return { ...(await readArchive(out.path)), file, zipEntry: out.entryName };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
