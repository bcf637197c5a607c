import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { BackupSourceWatch } from '../../pipeline/ports.ts';
import { BACKUP_FILE, untilSettled } from '../backup-files.ts';
import { pause } from '../pause.ts';

type Logger = { info: (o: object, msg?: string) => void; warn: (o: object, msg?: string) => void };

export interface FolderWatchOptions {
  dir: string;
  logger?: Logger;
  /** Time between two looks at a new file's size: it is ready when two looks agree. */
  settleMs?: number;
  /** Wait before watching again when the folder cannot be watched (missing, unreadable). */
  errorWaitMs?: number;
}

/**
 * Event-driven sync for a local folder (SOURCE=folder): fs.watch on the folder itself (not its
 * subfolders), `.i5bu`/`.zip` only, onChange once the files stopped growing: one call for each burst.
 */
export class FolderWatch implements BackupSourceWatch {
  constructor(private readonly o: FolderWatchOptions) {}

  async watch(onChange: () => void, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.round(onChange, signal);
      } catch (err) {
        if (signal.aborted) break;
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        this.o.logger?.warn({ dir: this.o.dir, reason: code }, 'folder watch failed; trying again');
        await pause(this.o.errorWaitMs ?? 30_000, signal);
      }
    }
  }

  /** Watches until the folder fails or `signal` aborts; every burst of new backups is one onChange. */
  private round(onChange: () => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const seen = new Set<string>();
      let busy = false;
      let watcher: FSWatcher | undefined;
      const onAbort = () => { watcher?.close(); resolve(); };
      const fail = (err: unknown) => { watcher?.close(); signal.removeEventListener('abort', onAbort); reject(err); };
      const settle = async () => {
        busy = true;
        try {
          // Files that land while others settle join them: one onChange for the burst.
          let any = false;
          while (seen.size && !signal.aborted) {
            const names = [...seen];
            seen.clear();
            const backups: string[] = [];
            for (const name of names) if ((await this.stat(name))?.isFile()) backups.push(name);
            if (!backups.length) continue;
            any = true;
            await untilSettled(backups, async (name) => (await this.stat(name))?.size, this.o.settleMs ?? 5_000, signal);
            for (const name of backups) seen.delete(name); // their own growth, seen while they settled
          }
          if (any && !signal.aborted) onChange();
        } finally {
          busy = false;
        }
      };
      try {
        watcher = watch(this.o.dir, { persistent: false }, (_event, name) => {
          if (!name || !BACKUP_FILE.test(name)) return;
          seen.add(name);
          if (!busy) void settle().catch(fail);
        });
      } catch (err) {
        return reject(err);
      }
      watcher.on('error', fail);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private stat(name: string) {
    return stat(path.join(this.o.dir, name)).catch(() => null);
  }
}
