import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Flushes a file (or a folder's entries) to the disk. Windows cannot open a folder for that: its renames are journaled by NTFS. */
export async function fsyncPath(p: string): Promise<void> {
  let h;
  try {
    h = await open(p, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    await h.sync();
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    await h.close();
  }
}

let unique = 0;

/** Windows refuses to replace a file another process has open for a moment (an antivirus scanning it): a few tries. */
const RENAME_TRIES = 5;

async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= RENAME_TRIES || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/**
 * Writes `file` so that a crash (kill -9, a power cut) leaves either the old content or the new,
 * never a mix: a temporary file beside it, flushed, renamed over it, and the folder flushed so the
 * rename itself survives. `mode` for files that hold what others must not read.
 */
export async function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++unique}.tmp`);
  const h = await open(temp, 'w', mode);
  try {
    await h.writeFile(data);
    await h.sync();
  } catch (err) {
    await h.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await h.close();
  try {
    await renameOver(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncPath(path.dirname(file));
}

/** Temporary files writeFileAtomic left behind when the process died between writing and renaming. */
export const isAtomicLeftover = (name: string) => /^\..*\.\d+\.\d+\.tmp$/.test(name);
