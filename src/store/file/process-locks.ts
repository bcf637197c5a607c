import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.ts';
import type { Locks, Release } from '../locks.ts';

/**
 * Named locks inside one process: the shop agent's, where one process (its pid lock) runs every
 * job, so a job's lock only has to keep a schedule and a manual run from overlapping.
 */
export class ProcessLocks implements Locks {
  readonly #held = new Set<string>();

  async tryLock(name: string): Promise<Release | null> {
    if (this.#held.has(name)) return null;
    this.#held.add(name);
    let released = false;
    return async () => {
      if (!released) this.#held.delete(name);
      released = true;
    };
  }

  async held(names: string[]): Promise<Set<string>> {
    return new Set(names.filter((n) => this.#held.has(n)));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // it exists, owned by another user
  }
}

/**
 * Only one agent per DATA_DIR (two would run every job twice and share the run log and outbox):
 * DATA_DIR/agent.pid holds the running one's pid. A file left by a process that died (kill -9, a
 * power cut) is taken over. Resolves with the release (remove the file at exit).
 */
export async function holdPidLock(dataDir: string, what = 'tokobot agent'): Promise<Release> {
  const file = path.join(dataDir, 'agent.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return async () => {
        if ((await readFile(file, 'utf8').catch(() => '')).trim() === String(process.pid)) await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new AppError('busy', 'tokobot', {
        en: `Another ${what} (pid ${holder}) already runs with the data folder ${dataDir}: stop it first, or give this one another DATA_DIR.`,
        id: `${what} lain (pid ${holder}) sudah berjalan dengan folder data ${dataDir}: hentikan dulu, atau beri yang ini DATA_DIR lain.`,
      });
    }
    await unlink(file).catch(() => undefined); // left by a process that is gone
  }
  throw new AppError('busy', 'tokobot', { en: `Could not take ${file}: another agent is starting at the same moment.`, id: `Tidak bisa mengambil ${file}: agent lain sedang mulai pada saat yang sama.` });
}
