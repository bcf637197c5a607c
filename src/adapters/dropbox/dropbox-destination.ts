import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { files } from 'dropbox';
import { AppError, isAppError } from '../../errors.ts';
import { killPoint } from '../../kill-point.ts';
import { nameOfPartial, partialName, type BackupDestination, type ByteProgress, type DestinationPlace, type StoredBackupFile } from '../../pipeline/backup/ports.ts';
import { ContentHasher } from '../content-hash.ts';
import { DropboxClient, normalizeFolder, type DropboxClientOptions } from './dropbox-client.ts';
import { correctOffset, refusal, type ErrorContext } from './dropbox-errors.ts';
import { openDownload } from './dropbox-source.ts';

export interface DropboxDestinationOptions extends DropboxClientOptions {
  /** Path as seen from the app's root ('' or '/' for the root itself); Dropbox creates it on the first upload. */
  folder: string;
  /**
   * Files larger than this go through an upload session; smaller ones in one request. Dropbox takes
   * at most 150 MB in one request, so a higher value makes large uploads fail (payload_too_large).
   */
  sessionThreshold?: number;
  /**
   * Bytes per session request. Dropbox asks for a multiple of 4 MiB (4,194,304) for every request
   * but the last; any positive size is accepted here so that tests can use small ones.
   */
  chunkSize?: number;
}

type PutOptions = { onProgress?: ByteProgress; signal?: AbortSignal };
type Metadata = files.FileMetadata;
/** Where a session request left the upload: go on at `offset`, or committed (metadata unknown when the answer was lost). */
type Step = { done: false; offset: number } | { done: true; metadata?: Metadata };

const MB = 1024 * 1024;
const DEFAULT_THRESHOLD = 150 * MB;
const DEFAULT_CHUNK = 8 * MB;
/** Read size while a one-request upload streams from disk. */
const STREAM_READ = MB;
const MAX_PAGES = 10_000;

/**
 * Reads a local file at any offset, feeding each byte to the content hasher once and in order, so
 * an upload that resumes at an earlier offset still ends with the file's content_hash.
 */
class HashingReader {
  private readonly hasher = new ContentHasher();
  private hashed = 0;
  private hex?: string;

  constructor(private readonly handle: FileHandle, readonly size: number, private readonly name: string) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset > this.hashed) {
      throw new AppError('refused', 'dropbox', `Dropbox asked to continue ${this.name} at byte ${offset}, past what was sent; ` +
        'the next backup will try again.', { retryable: true });
    }
    const buf = Buffer.allocUnsafe(length);
    // Each pass reads at least one byte or stops, so the loop ends within `length` passes.
    for (let got = 0; got < length;) {
      const { bytesRead } = await this.handle.read(buf, got, length - got, offset + got);
      if (bytesRead === 0) {
        throw new AppError('corrupt', 'backup-file', `${this.name} became shorter while it was being uploaded (${offset + got} of ${this.size} bytes): ` +
          'something else is changing tokobot\'s work files; run the backup again.');
      }
      got += bytesRead;
    }
    if (offset + length > this.hashed) {
      this.hasher.update(buf.subarray(this.hashed - offset));
      this.hashed = offset + length;
    }
    return buf;
  }

  get complete(): boolean {
    return this.hashed === this.size;
  }

  /** Once every byte was read. */
  digest(): string {
    this.hex ??= this.hasher.digest();
    return this.hex;
  }
}

/**
 * A one-request upload body streamed from disk. node-fetch v2 sends a stream with chunked transfer
 * encoding unless the stream tells its length the way the form-data package does; with these two
 * methods it sends a Content-Length instead. A failed read is handed to `onFailure` (node-fetch
 * would keep waiting for the rest of a body that errors), and the body just ends.
 */
function fileBody(reader: HashingReader, onRead: (done: number) => void, onFailure: (err: unknown) => void): Readable {
  async function* chunks() {
    for (let at = 0; at < reader.size;) {
      let chunk: Buffer;
      try {
        chunk = await reader.read(at, Math.min(STREAM_READ, reader.size - at));
      } catch (err) {
        return onFailure(err);
      }
      at += chunk.length;
      onRead(at);
      yield chunk;
    }
  }
  return Object.assign(Readable.from(chunks(), { objectMode: false }), { hasKnownLength: () => true, getLengthSync: () => reader.size });
}

/** One put() under way. */
interface Upload {
  reader: HashingReader;
  /** Where it is uploaded: the temporary name, renamed to the final one once checked. */
  path: string;
  ctx: ErrorContext & { fileName: string };
  progress: (done: number) => void;
  signal?: AbortSignal;
}

/**
 * Backups stored in a Dropbox folder. An upload commits (files/upload, or upload_session/finish)
 * under the temporary name (partialName); what arrived is checked against the local content_hash
 * (and deleted if it differs), and only then moved to the final name, so nothing unchecked is ever
 * under a final name. An abort stops the request under way; a file committed meanwhile is deleted
 * again. A put killed mid-session leaves nothing: Dropbox drops unfinished upload sessions after
 * 7 days. Killed after its commit, it leaves the temporary file, which removeLeftovers() deletes.
 */
export class DropboxDestination implements BackupDestination {
  readonly description: string;
  readonly place: DestinationPlace;
  private readonly folder: string;
  private readonly client: DropboxClient;
  private readonly ctx: ErrorContext;
  private readonly threshold: number;
  private readonly chunkSize: number;

  constructor(private readonly o: DropboxDestinationOptions) {
    this.folder = normalizeFolder(o.folder);
    this.description = `the Dropbox folder ${this.folder || '/'}`;
    this.place = { kind: 'dropbox', location: this.folder || '/' };
    this.client = new DropboxClient(o);
    this.ctx = { folder: this.folder, canRefresh: this.client.canRefresh, role: 'destination' };
    this.threshold = o.sessionThreshold ?? DEFAULT_THRESHOLD;
    this.chunkSize = o.chunkSize ?? DEFAULT_CHUNK;
    if (!Number.isSafeInteger(this.chunkSize) || this.chunkSize <= 0) {
      throw new AppError('config', 'dropbox', `The Dropbox upload chunk size must be a positive whole number of bytes (a multiple of 4 MiB), not ${o.chunkSize}.`);
    }
  }

  async put(localPath: string, name: string, options: PutOptions = {}): Promise<{ location: string }> {
    const path = `${this.folder}/${name}`;
    const temporary = `${this.folder}/${partialName(name)}`;
    const ctx = { ...this.ctx, fileName: name };
    const started = Date.now();
    this.stopIfAborted(ctx, options.signal);
    const handle = await open(localPath, 'r').catch((err: NodeJS.ErrnoException) => {
      throw new AppError('refused', 'disk', `Cannot read ${localPath} to upload it (${err.code ?? 'error'}).`, { cause: err });
    });
    try {
      const reader = new HashingReader(handle, (await handle.stat()).size, name);
      const up: Upload = { reader, path: temporary, ctx, signal: options.signal, progress: (done) => options.onProgress?.(done, reader.size) };
      try {
        await this.check(reader.size > this.threshold ? await this.uploadInSession(up) : await this.uploadInOneRequest(up), up);
        this.stopIfAborted(ctx, options.signal);
        killPoint('before-rename');
        await this.rename(up, path);
        this.stopIfAborted(ctx, options.signal);
      } catch (err) {
        if (isAppError(err) && err.kind === 'interrupted' && reader.complete) await this.discardIfOurs(up, [temporary, path]);
        throw err;
      }
    } finally {
      await handle.close();
    }
    this.o.logger?.info({ folder: this.folder, file: name, ms: Date.now() - started }, 'backup uploaded to Dropbox');
    return { location: `Dropbox ${path}` };
  }

  /**
   * One request, retried by the client and aborted by the upload's signal. An aborted request
   * fails like a dropped connection, so the signal is checked before anything is retried.
   */
  private send<T>(up: Upload, fn: (attempt: number) => Promise<T>): Promise<T> {
    return this.client.call(async (attempt) => {
      this.stopIfAborted(up.ctx, up.signal);
      try {
        return await DropboxClient.abortable(up.signal, () => fn(attempt));
      } catch (err) {
        this.stopIfAborted(up.ctx, up.signal);
        throw err;
      }
    }, up.ctx);
  }

  /**
   * The temporary name is this put's alone: a commit overwrites what is there (a leftover of a put
   * that was killed, or this commit repeated after its answer was lost).
   */
  private readonly mode: files.WriteMode = { '.tag': 'overwrite' };

  private uploadInOneRequest(up: Upload): Promise<Metadata> {
    return this.send(up, async () => {
      let failure: unknown;
      const stop = new AbortController();
      const contents = fileBody(up.reader, up.progress, (err) => { failure = err; stop.abort(); });
      const signal = up.signal ? AbortSignal.any([up.signal, stop.signal]) : stop.signal;
      try {
        return await DropboxClient.abortable(signal, async () =>
          (await this.client.dbx.filesUpload({ path: up.path, mode: this.mode, autorename: false, mute: true, contents })).result);
      } catch (err) {
        throw failure ?? err;
      } finally {
        contents.destroy();
      }
    });
  }

  /**
   * start with the first chunk, append_v2 the middle ones, finish with the last one and the commit.
   * When Dropbox answers incorrect_offset (a request arrived but its answer was lost, so the retry
   * repeated it), the upload goes on from the offset Dropbox holds.
   * Returns undefined when a repeated finish finds the session gone: the first one may have committed.
   */
  private async uploadInSession(up: Upload): Promise<Metadata | undefined> {
    const { reader, path, ctx } = up;
    const size = reader.size;
    const dbx = this.client.dbx;
    const first = await reader.read(0, Math.min(this.chunkSize, size));
    const sessionId = (await this.send(up, () => dbx.filesUploadSessionStart({ contents: first }))).result.session_id;
    let offset = first.length;
    up.progress(offset);
    killPoint('mid-upload');
    // A healthy upload needs one request per chunk; the slack covers resumed requests, and a server bouncing offsets ends here.
    const maxRequests = 2 * Math.ceil(size / this.chunkSize) + 10;
    for (let requests = 1; requests < maxRequests; requests++) {
      this.stopIfAborted(ctx, up.signal);
      const length = Math.min(this.chunkSize, size - offset);
      const contents = await reader.read(offset, length);
      const cursor = { session_id: sessionId, offset };
      const last = offset + length === size;
      const step = await this.send(up, async (attempt): Promise<Step> => {
        try {
          if (!last) {
            await dbx.filesUploadSessionAppendV2({ cursor, contents });
            return { done: false, offset: cursor.offset + length };
          }
          const commit = { path, mode: this.mode, autorename: false, mute: true };
          return { done: true, metadata: (await dbx.filesUploadSessionFinish({ cursor, contents, commit })).result };
        } catch (err) {
          const at = correctOffset(err);
          if (at !== undefined && at <= size) {
            this.o.logger?.warn({ file: ctx.fileName, sent: cursor.offset, resumeAt: at }, 'Dropbox upload session already had these bytes; resuming');
            return { done: false, offset: at };
          }
          if (last && attempt > 1 && /^lookup_failed\/(not_found|closed)/.test(refusal(err) ?? '')) return { done: true, metadata: undefined };
          throw err;
        }
      });
      if (step.done) {
        up.progress(size);
        return step.metadata;
      }
      offset = step.offset;
      up.progress(offset);
    }
    throw new AppError('refused', 'dropbox', `Dropbox kept refusing the parts of ${ctx.fileName} (${maxRequests} requests); the next backup will try again.`, { retryable: true });
  }

  /** What Dropbox holds under the name must be the local file, byte for byte (same size and content_hash). */
  private async check(sent: Metadata | undefined, up: Upload): Promise<void> {
    const { reader, ctx } = up;
    const stored = sent ?? await this.metadataOf(up.path, ctx);
    if (!stored) {
      throw new AppError('unreachable', 'dropbox', `The upload of ${ctx.fileName} to ${this.description} was lost before Dropbox stored it; ` +
        'the next backup will try again.', { retryable: true });
    }
    if (stored.size === reader.size && stored.content_hash === reader.digest()) return;
    await this.discard(up.path, ctx);
    const what = stored.size !== reader.size ? `${stored.size} of ${reader.size} bytes arrived` : 'its content hash differs from the local file\'s';
    throw new AppError('corrupt', 'dropbox', `${ctx.fileName} arrived damaged in ${this.description} (${what}), so it was deleted there; ` +
      'the next backup will try again.', { retryable: true });
  }

  private async metadataOf(path: string, ctx: ErrorContext): Promise<Metadata | undefined> {
    return this.client.call(async () => {
      try {
        const { result } = await this.client.dbx.filesGetMetadata({ path });
        return result['.tag'] === 'file' ? result : undefined;
      } catch (err) {
        if (/^path\/not_found/.test(refusal(err) ?? '')) return undefined;
        throw err;
      }
    }, ctx);
  }

  /**
   * Moves the checked temporary file to its final name, never over a different file. When the
   * move fails (or its answer was lost and the repeat finds the temporary file gone), the final
   * name decides: holding exactly this file it is done, else the temporary file is deleted.
   */
  private async rename(up: Upload, path: string): Promise<void> {
    try {
      await this.send(up, () => this.client.dbx.filesMoveV2({ from_path: up.path, to_path: path, autorename: false }));
    } catch (err) {
      if (isAppError(err) && err.kind === 'interrupted') throw err;
      const there = await this.metadataOf(path, up.ctx).catch(() => undefined);
      await this.discard(up.path, up.ctx).catch(() => undefined);
      if (there?.size !== up.reader.size || there.content_hash !== up.reader.digest()) throw err;
    }
  }

  /** After an abort during a commit or the move: the file may have been stored anyway; delete it where it is this upload's (never another file). */
  private async discardIfOurs(up: Upload, paths: string[]): Promise<void> {
    try {
      for (const path of paths) {
        const stored = await this.metadataOf(path, up.ctx);
        if (stored?.content_hash === up.reader.digest()) await this.discard(path, up.ctx);
      }
    } catch (err) {
      this.o.logger?.warn({ file: up.ctx.fileName, reason: (err as Error).message }, 'could not delete a backup stored while its upload was stopped');
    }
  }

  private async discard(path: string, ctx: ErrorContext): Promise<void> {
    await this.client.call(async () => {
      try {
        await this.client.dbx.filesDeleteV2({ path });
      } catch (err) {
        if (!/^path_lookup\/not_found/.test(refusal(err) ?? '')) throw err;
      }
    }, ctx);
  }

  private stopIfAborted(ctx: ErrorContext, signal?: AbortSignal): void {
    if (!signal?.aborted) return;
    throw new AppError('interrupted', 'dropbox', `The upload of ${ctx.fileName} to ${this.description} was stopped before it finished; nothing was kept there.`);
  }

  /** Files directly in the folder, finished ones only. */
  async list(): Promise<StoredBackupFile[]> {
    return (await this.files()).filter((f) => nameOfPartial(f.name) === null);
  }

  async removeLeftovers(isOurs: (name: string) => boolean): Promise<string[]> {
    const removed: string[] = [];
    for (const f of await this.files()) {
      const name = nameOfPartial(f.name);
      if (name === null || !isOurs(name)) continue;
      await this.remove(f.name);
      removed.push(name);
    }
    return removed;
  }

  /** Every file directly in the folder, temporary ones too; a folder that does not exist yet holds none. */
  private async files(): Promise<StoredBackupFile[]> {
    const dbx = this.client.dbx;
    const entries: files.ListFolderResult['entries'] = [];
    const first = await this.client.call(async () => {
      try {
        return (await dbx.filesListFolder({ path: this.folder, limit: 2000 })).result;
      } catch (err) {
        if (/^path\/not_found/.test(refusal(err) ?? '')) return undefined;
        throw err;
      }
    }, this.ctx);
    if (!first) return [];
    let page: files.ListFolderResult = first;
    entries.push(...page.entries);
    for (let pages = 1; page.has_more && pages < MAX_PAGES; pages++) {
      const cursor = page.cursor;
      page = (await this.client.call(() => dbx.filesListFolderContinue({ cursor }), this.ctx)).result;
      entries.push(...page.entries);
    }
    return entries
      .filter((e): e is files.FileMetadataReference => e['.tag'] === 'file')
      .map((e) => ({ name: e.name, size: e.size, modifiedAt: new Date(e.server_modified) }));
  }

  /** Streams the file from Dropbox's content endpoint (the SDK would buffer it whole). */
  async read(name: string): Promise<Readable> {
    return this.client.call(async () => {
      await this.client.auth.checkAndRefreshAccessToken();
      return openDownload(this.client, `${this.folder}/${name}`, new AbortController().signal);
    }, { ...this.ctx, fileName: name });
  }

  /** Deleting a file that is not there counts as done. */
  async remove(name: string): Promise<void> {
    await this.discard(`${this.folder}/${name}`, { ...this.ctx, fileName: name });
  }
}
