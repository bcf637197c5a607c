import type { files } from 'dropbox';
import type { BackupSourceWatch } from '../../pipeline/ports.ts';
import type { WatchCursors } from '../../store/watch-cursors.ts';
import { DropboxClient, normalizeFolder, type DropboxClientOptions } from './dropbox-client.ts';
import { refusal, toAppError, type ErrorContext } from './dropbox-errors.ts';
import { pause } from '../pause.ts';
import { BACKUP_FILE, untilSettled } from '../backup-files.ts';

export interface DropboxWatchOptions extends DropboxClientOptions {
  folder: string;
  /** Where the folder's cursor is kept between restarts. */
  cursors: WatchCursors;
  /** Seconds a longpoll waits for a change (Dropbox takes 30..480). */
  timeoutS?: number;
  /** Time between two looks at a new file's size: it is ready when two looks agree. */
  settleMs?: number;
  /** Waits after a failure, doubling from the first to the last. */
  errorWaitMs?: { first: number; most: number };
}

const MAX_PAGES = 10_000;

type Entry = files.ListFolderResult['entries'][number];
/** A cursor Dropbox no longer accepts: the folder must be listed again. */
const RESET = Symbol('reset');
const isReset = (err: unknown) => refusal(err)?.startsWith('reset') === true;
const RESET_SAID = 'Dropbox reset the folder\'s cursor; listing it again';

/**
 * Event-driven sync for one store's Dropbox folder: files/list_folder/longpoll on the folder's
 * cursor (kept in the ops database), list_folder/continue to see what changed, and onChange once
 * a new backup directly in the folder has stopped growing.
 */
export class DropboxWatch implements BackupSourceWatch {
  private readonly folder: string;
  private readonly client: DropboxClient;
  private readonly ctx: ErrorContext;
  private readonly key: string;
  /** The revision of each file last reported: its own growth, seen as changes after it settled, is not news. */
  private readonly reported = new Map<string, string>();
  /**
   * The folder could not be read before its first cursor was taken (not made yet: a new store's
   * agent makes it with its first upload). Its first cursor then comes from a listing, so that
   * the backups it already holds by then are synced.
   */
  private unreadBefore = false;

  constructor(private readonly o: DropboxWatchOptions) {
    this.folder = normalizeFolder(o.folder);
    this.client = new DropboxClient(o);
    this.ctx = { folder: this.folder, canRefresh: this.client.canRefresh };
    this.key = `dropbox:${this.folder.toLowerCase()}`;
  }

  async watch(onChange: () => void, signal: AbortSignal): Promise<void> {
    const waits = this.o.errorWaitMs ?? { first: 5_000, most: 300_000 };
    let failures = 0;
    while (!signal.aborted) {
      try {
        await DropboxClient.abortable(signal, () => this.round(onChange, signal));
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        if (!await this.o.cursors.get(this.key).catch(() => null)) this.unreadBefore = true;
        const waitMs = Math.min(waits.most, waits.first * 2 ** failures++);
        this.o.logger?.warn({ folder: this.folder, waitMs, reason: toAppError(err, this.ctx).message }, 'Dropbox watch failed; trying again');
        await pause(waitMs, signal);
      }
    }
  }

  /** One longpoll, and what follows from its answer. */
  private async round(onChange: () => void, signal: AbortSignal): Promise<void> {
    const stored = await this.o.cursors.get(this.key);
    if (!stored && this.unreadBefore) return await this.relist(onChange, signal, 'the folder can be read now; listing it');
    const cursor = stored ?? await this.latestCursor();
    const answer = await this.rpc(() => this.client.dbx.filesListFolderLongpoll({ cursor, timeout: this.o.timeoutS ?? 480 }));
    if (answer === RESET) return await this.relist(onChange, signal, RESET_SAID);
    if (answer.changes) {
      const changed = await this.changesAfter(cursor);
      if (changed === RESET) return await this.relist(onChange, signal, RESET_SAID);
      await this.o.cursors.put(this.key, changed.cursor);
      const backups = changed.entries.filter((e) => this.isBackup(e)).filter((e) => this.reported.get(e.id) !== e.rev);
      if (backups.length) {
        this.o.logger?.info({ folder: this.folder, files: backups.map((e) => e.name) }, 'new backup in Dropbox; waiting for it to stop growing');
        await this.settled(backups.map((e) => e.id), signal);
        if (!signal.aborted) onChange();
      }
    }
    if (answer.backoff) await pause(answer.backoff * 1000, signal);
  }

  /** An SDK call, retried as every Dropbox call is; a `reset` refusal answers RESET. */
  private rpc<T>(fn: () => Promise<{ result: T }>): Promise<T | typeof RESET> {
    return this.client.call(async () => {
      try {
        return (await fn()).result;
      } catch (err) {
        if (isReset(err)) return RESET;
        throw err;
      }
    }, this.ctx);
  }

  private async latestCursor(): Promise<string> {
    const { cursor } = (await this.client.call(() => this.client.dbx.filesListFolderGetLatestCursor({ path: this.folder }), this.ctx)).result;
    await this.o.cursors.put(this.key, cursor);
    return cursor;
  }

  private async changesAfter(cursor: string): Promise<{ entries: Entry[]; cursor: string } | typeof RESET> {
    const entries: Entry[] = [];
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.rpc(() => this.client.dbx.filesListFolderContinue({ cursor }));
      if (page === RESET) return RESET;
      entries.push(...page.entries);
      cursor = page.cursor;
      if (!page.has_more) break;
    }
    return { entries, cursor };
  }

  /**
   * Dropbox no longer follows our cursor: changes may have been missed, so the folder is listed
   * again from a new cursor and the store synced (a sync of the backup it already has changes nothing).
   */
  private async relist(onChange: () => void, signal: AbortSignal, why: string): Promise<void> {
    this.o.logger?.info({ folder: this.folder }, why);
    let page = (await this.client.call(() => this.client.dbx.filesListFolder({ path: this.folder, limit: 2000 }), this.ctx)).result;
    let backups = page.entries.some((e) => this.isBackup(e));
    for (let pages = 1; page.has_more && pages < MAX_PAGES; pages++) {
      const cursor = page.cursor;
      page = (await this.client.call(() => this.client.dbx.filesListFolderContinue({ cursor }), this.ctx)).result;
      backups ||= page.entries.some((e) => this.isBackup(e));
    }
    await this.o.cursors.put(this.key, page.cursor);
    this.unreadBefore = false;
    if (backups && !signal.aborted) onChange();
  }

  /** A backup file directly in the folder (not in a subfolder). */
  private isBackup(e: Entry): e is files.FileMetadataReference {
    return e['.tag'] === 'file' && BACKUP_FILE.test(e.name) && e.path_lower === `${this.folder.toLowerCase()}/${e.name.toLowerCase()}`;
  }

  /** Resolves once the files stopped growing, noting the revision each settled at. */
  private async settled(ids: string[], signal: AbortSignal): Promise<void> {
    if (this.reported.size > 10_000) this.reported.clear(); // bounded: forgetting costs at most one sync more
    await untilSettled(ids, async (id) => {
      const now = await this.look(id);
      if (now) this.reported.set(id, now.rev);
      return now?.size;
    }, this.o.settleMs ?? 5_000, signal);
  }

  /** The file's size and revision now, or undefined when it is gone. */
  private look(id: string): Promise<{ size: number; rev: string } | undefined> {
    return this.client.call(async () => {
      try {
        const meta = (await this.client.dbx.filesGetMetadata({ path: id })).result;
        return meta['.tag'] === 'file' ? { size: meta.size, rev: meta.rev } : undefined;
      } catch (err) {
        if (refusal(err)?.startsWith('path/not_found')) return undefined;
        throw err;
      }
    }, this.ctx);
  }
}
