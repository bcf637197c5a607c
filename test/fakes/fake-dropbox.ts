import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { contentHashOfFile, ContentHasher } from '../../src/adapters/content-hash.ts';

/**
 * A local stand-in for Dropbox's HTTP API (the api and content hosts on one port), enough for the
 * SDK's real code paths: OAuth refresh, list_folder with cursors, download, get_metadata, delete_v2, move_v2,
 * uploads (plain up to 150 MiB, and in sessions, within an optional quota), get_latest_cursor and longpoll
 * (the notify host, also served here). Faults can be queued per endpoint, and every request is logged so
 * tests can check what was sent (and that no secret went where it should not).
 */
export type Endpoint = 'token' | 'list_folder' | 'list_folder/continue' | 'download' | 'get_metadata' | 'get_current_account'
  | 'upload' | 'upload_session/start' | 'upload_session/append_v2' | 'upload_session/finish' | 'delete_v2' | 'move_v2'
  | 'list_folder/get_latest_cursor' | 'list_folder/longpoll';

export type Fault =
  | { status: number; retryAfter?: number; body?: unknown }
  /** Send this many body bytes, then destroy the socket. */
  | { cutAfterBytes: number }
  /** Send this many body bytes, then nothing more until the client gives up. */
  | { stallAfterBytes: number }
  /** Send this many body bytes, then the rest once `until` resolves: a slow download a test lets finish when it has seen it run. */
  | { holdAfterBytes: number; until: Promise<void> }
  /** Announce and send only this many bytes (a short but well-formed answer). */
  | { truncateTo: number }
  /** Flip the first byte (of a download as sent, of an upload as stored). */
  | { corrupt: true }
  /** Do what the request asks, then close the connection without an answer (a reply lost on the way). */
  | { acceptThenCut: true };

interface StoredFile {
  pathDisplay: string;
  id: string;
  source: Buffer | string;
  size: number;
  contentHash: string;
  serverModified: Date;
  rev: number;
}

export interface LoggedRequest {
  endpoint: string;
  url: string;
  authorization?: string;
  apiArg?: string;
  body: string;
  /** Length of the request body. */
  bytes: number;
}

type Json = (status: number, value: unknown, headers?: Record<string, string>) => void;

// Dropbox sends non-ASCII in headers as \uXXXX escapes.
const headerSafeJson = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const hashOf = (b: Buffer) => { const h = new ContentHasher(); h.update(b); return h.digest(); };
const pathError = (tag: string) => ({ error_summary: `path/${tag}/..`, error: { '.tag': 'path', path: { '.tag': tag } } });
const resetError = { error_summary: 'reset/..', error: { '.tag': 'reset' } };
/** What a list_folder cursor holds here: a page of a listing (offset), or the changes after `since`; `epoch` must be the fake's current one. */
interface Cursor { folder: string; offset?: number; limit?: number; since: number; epoch: number }
/** files/upload and each upload_session request take at most 150 MiB (their error tag payload_too_large). */
export const MAX_REQUEST_BYTES = 150 * 1024 * 1024;
class BadRequest extends Error {}

export class FakeDropbox {
  readonly appKey = 'fake-app-key';
  readonly appSecret = 'fake-app-secret-value';
  readonly refreshToken = 'fake-refresh-token-value';

  /** What a Dropbox client of tokobot's needs to talk to this fake: its app, token and address. */
  clientOptions() {
    return { appKey: this.appKey, appSecret: this.appSecret, refreshToken: this.refreshToken, apiUrl: this.url, contentUrl: this.url };
  }
  readonly requests: LoggedRequest[] = [];
  /** Entries per list_folder page unless the request sets a smaller limit: small, so pagination is exercised. */
  pageSize = 2;
  tokenLifetimeSeconds = 14_400;
  /** Bytes the account may hold; an upload that would pass it is refused with insufficient_space. */
  quotaBytes = Infinity;
  private readonly files = new Map<string, StoredFile>();
  /** Lower-case path → display path; '' is the root. */
  private readonly folders = new Map<string, string>([['', '']]);
  private readonly faults = new Map<string, Fault[]>();
  private readonly tokens = new Map<string, number>();
  private readonly sessions = new Map<string, Buffer[]>();
  /** Authorization codes handed out by approve(), with their PKCE challenge. */
  private readonly codes = new Map<string, string>();
  private issued = 0;
  /** Every change to a file or folder, in order: what list_folder/continue and longpoll report after a cursor. */
  private readonly changes: { seq: number; path: string }[] = [];
  private seq = 0;
  /** Cursors made before resetCursors() are refused with `reset`. */
  private epoch = 0;
  private readonly longpolls = new Set<() => void>();
  /** Milliseconds a longpoll's second lasts: tests shorten the 30..480 s timeouts (10 makes 480 s last 4.8 s). */
  longpollMsPerSecond = 1000;
  /** When set, every longpoll answer asks the client to wait this many seconds before the next call. */
  longpollBackoff: number | undefined;
  private server!: http.Server;
  url = '';

  static async start(): Promise<FakeDropbox> {
    const fake = new FakeDropbox();
    fake.server = http.createServer((req, res) => {
      fake.handle(req, res).catch((err) => {
        if (res.headersSent) return void res.destroy();
        res.writeHead(err instanceof BadRequest ? 400 : 500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(err instanceof BadRequest ? err.message : String(err));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** An access token valid now, for tests that use a plain token. */
  issueToken(): string {
    const token = `fake-access-${++this.issued}-${randomUUID().slice(0, 8)}`;
    this.tokens.set(token, Date.now() + this.tokenLifetimeSeconds * 1000);
    return token;
  }

  /** Ends one token (or all) early, as when the owner revokes the app or the clock jumps. */
  expireToken(token?: string): void {
    for (const t of this.tokens.keys()) if (token === undefined || t === token) this.tokens.set(t, 0);
  }

  expireAllTokens(): void {
    this.expireToken();
  }

  /** `content` is the bytes, or the path of a local file served from disk (for big fixtures). */
  async addFile(path: string, content: Buffer | string, options: Date | { serverModified?: Date } = {}): Promise<void> {
    const serverModified = (options instanceof Date ? options : options.serverModified) ?? new Date();
    const size = typeof content === 'string' ? statSync(content).size : content.length;
    const contentHash = typeof content === 'string' ? await contentHashOfFile(content) : hashOf(content);
    this.store(path, content, size, contentHash, serverModified);
  }

  private store(path: string, source: Buffer | string, size: number, contentHash: string, serverModified: Date): StoredFile {
    const old = this.files.get(path.toLowerCase());
    const id = old?.id ?? `id:${createHash('sha1').update(path.toLowerCase()).digest('base64url').slice(0, 16)}`;
    const file = { pathDisplay: path, id, source, size, contentHash, serverModified, rev: (old?.rev ?? 0) + 1 };
    this.files.set(path.toLowerCase(), file);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (!this.folders.has(folder.toLowerCase())) this.changed(folder);
      this.folders.set(folder.toLowerCase(), folder);
    }
    this.changed(path);
    return file;
  }

  removeFile(path: string): void {
    if (this.files.delete(path.toLowerCase())) this.changed(path);
  }

  /** Notes a change at `path` and answers the longpolls waiting on its folder. */
  private changed(path: string): void {
    this.changes.push({ seq: ++this.seq, path: path.toLowerCase() });
    for (const wake of [...this.longpolls]) wake();
  }

  /** Makes every cursor handed out so far invalid (their next use answers `reset`), as Dropbox may at any time. */
  resetCursors(): void {
    this.epoch++;
    for (const wake of [...this.longpolls]) wake();
  }

  /** How many longpolls are waiting for an answer now. */
  pendingLongpolls(): number {
    return this.longpolls.size;
  }

  private encodeCursor(c: Cursor): string {
    return Buffer.from(JSON.stringify(c)).toString('base64url');
  }

  /** The cursor in `text` if this fake made it and still accepts it. */
  private decodeCursor(text: unknown): Cursor | undefined {
    try {
      const c = JSON.parse(Buffer.from(String(text), 'base64url').toString()) as Cursor;
      return typeof c.folder === 'string' && c.epoch === this.epoch ? c : undefined;
    } catch {
      return undefined;
    }
  }

  /** Paths directly in `folder` changed after `since`, each once, oldest first. */
  private changedIn(folder: string, since: number): string[] {
    const inFolder = (p: string) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/');
    return [...new Set(this.changes.filter((c) => c.seq > since && inFolder(c.path)).map((c) => c.path))];
  }

  /** The bytes stored at a path (uploads included), or undefined. */
  fileBytes(path: string): Buffer | undefined {
    const f = this.files.get(path.toLowerCase());
    return f && (typeof f.source === 'string' ? undefined : f.source);
  }

  /** Every stored file's path as displayed, temporary ones included. */
  paths(): string[] {
    return [...this.files.values()].map((f) => f.pathDisplay).sort();
  }

  failNext(endpoint: Endpoint, fault: Fault, times = 1): void {
    const q = this.faults.get(endpoint) ?? [];
    for (let i = 0; i < times; i++) q.push(fault);
    this.faults.set(endpoint, q);
  }

  count(endpoint: string): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  private metadata(f: StoredFile) {
    return { '.tag': 'file', name: f.pathDisplay.split('/').pop() as string, path_lower: f.pathDisplay.toLowerCase(), path_display: f.pathDisplay,
      id: f.id, client_modified: iso(f.serverModified), server_modified: iso(f.serverModified), rev: `0${f.rev.toString(16).padStart(8, '0')}`,
      size: f.size, is_downloadable: true, content_hash: f.contentHash };
  }

  private folderMetadata(lower: string) {
    const display = this.folders.get(lower) ?? lower;
    return { '.tag': 'folder', name: display.split('/').pop(), path_lower: lower, path_display: display,
      id: `id:${createHash('sha1').update(`dir${lower}`).digest('base64url').slice(0, 16)}` };
  }

  private find(arg: string): StoredFile | undefined {
    if (arg.startsWith('id:')) return [...this.files.values()].find((f) => f.id === arg);
    return this.files.get(arg.toLowerCase());
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const endpoint = url.pathname === '/oauth2/token' ? 'token' : url.pathname.replace(/^\/2\/(files|users)\//, '');
    const apiArg = req.headers['dropbox-api-arg'] as string | undefined;
    const isContent = apiArg !== undefined || endpoint.startsWith('upload');
    this.requests.push({ endpoint, url: req.url ?? '', authorization: req.headers.authorization, apiArg, body: isContent ? '' : raw.toString('utf8'), bytes: raw.length });
    const fault = this.faults.get(endpoint)?.shift();
    const json: Json = fault && 'acceptThenCut' in fault ? () => void res.socket?.destroy() : (status, value, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };

    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      const value = fault.body ?? (fault.status === 429
        ? { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: fault.retryAfter ?? 1 } }
        : { error_summary: 'internal_error/..', error: { '.tag': 'internal_error' } });
      return json(fault.status, value, headers);
    }

    if (endpoint === 'token') return this.token(url, json);
    // Served by notify.dropboxapi.com without a token (the SDK sends it as 'noauth').
    if (endpoint === 'list_folder/longpoll') return this.longpoll(parseArg(raw.toString('utf8') || 'null'), req, json);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const expires = this.tokens.get(token);
    if (expires === undefined) return json(401, { error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } });
    if (expires < Date.now()) return json(401, { error_summary: 'expired_access_token/..', error: { '.tag': 'expired_access_token' } });

    const arg = parseArg(isContent ? apiArg ?? '{}' : raw.toString('utf8') || 'null');
    if (endpoint === 'list_folder' || endpoint === 'list_folder/continue') return this.list(endpoint, arg, json);
    if (endpoint === 'list_folder/get_latest_cursor') {
      const folder = String(arg.path ?? '').replace(/\/$/, '').toLowerCase();
      if (this.files.has(folder)) return json(409, pathError('not_folder'));
      if (!this.folders.has(folder)) return json(409, pathError('not_found'));
      return json(200, { cursor: this.encodeCursor({ folder, since: this.seq, epoch: this.epoch }) });
    }
    if (endpoint === 'get_metadata') {
      const f = this.find(String(arg.path ?? ''));
      if (f) return json(200, this.metadata(f));
      const lower = String(arg.path ?? '').toLowerCase();
      return this.folders.has(lower) && lower !== '' ? json(200, this.folderMetadata(lower)) : json(409, pathError('not_found'));
    }
    if (endpoint === 'get_current_account') return json(200, { account_id: 'dbid:fake', name: { display_name: 'Toko Test' }, email: 'toko@example.invalid' });
    if (endpoint === 'download') return this.download(arg, res, fault, json);
    if (endpoint.startsWith('upload')) return this.upload(endpoint, arg, fault && 'corrupt' in fault ? flipFirst(raw) : raw, json);
    if (endpoint === 'delete_v2') return this.delete(String(arg.path ?? ''), json);
    if (endpoint === 'move_v2') return this.move(String(arg.from_path ?? ''), String(arg.to_path ?? ''), json);
    json(400, { error_summary: `unknown endpoint ${url.pathname}` });
  }

  /**
   * What the owner does in the browser: approves the app for an authorization URL, and is shown
   * a code. The code is tied to the URL's PKCE challenge, as Dropbox does.
   */
  approve(authorizationUrl: string): string {
    const challenge = new URL(authorizationUrl).searchParams.get('code_challenge');
    if (!challenge) throw new Error('the authorization URL has no PKCE code_challenge');
    const code = `fake-code-${randomUUID().slice(0, 8)}`;
    this.codes.set(code, challenge);
    return code;
  }

  private token(url: URL, json: Json): void {
    const q = url.searchParams;
    if (q.get('client_id') !== this.appKey || (q.has('client_secret') && q.get('client_secret') !== this.appSecret)) {
      return json(400, { error: 'invalid_client', error_description: 'Invalid client_id or client_secret' });
    }
    if (q.get('grant_type') === 'authorization_code') {
      const challenge = this.codes.get(q.get('code') ?? '');
      const verifier = q.get('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier).digest('base64url');
      if (!challenge) return json(400, { error: 'invalid_grant', error_description: 'code doesn\'t exist or has expired' });
      if (computed !== challenge) return json(400, { error: 'invalid_grant', error_description: 'invalid code verifier' });
      this.codes.delete(q.get('code') ?? '');
      return json(200, { access_token: this.issueToken(), token_type: 'bearer', expires_in: this.tokenLifetimeSeconds,
        refresh_token: this.refreshToken, scope: 'files.content.read files.content.write', uid: '12345', account_id: 'dbid:fake' });
    }
    if (q.get('grant_type') !== 'refresh_token' || q.get('refresh_token') !== this.refreshToken) {
      return json(400, { error: 'invalid_grant', error_description: 'refresh token is malformed' });
    }
    json(200, { access_token: this.issueToken(), token_type: 'bearer', expires_in: this.tokenLifetimeSeconds });
  }

  private list(endpoint: string, arg: Record<string, unknown>, json: Json): void {
    let folder: string;
    let offset = 0;
    let limit = this.pageSize;
    let since = this.seq;
    if (endpoint === 'list_folder') {
      folder = String(arg.path ?? '').replace(/\/$/, '').toLowerCase();
      if (arg.limit !== undefined) limit = Math.max(1, Math.min(limit, Number(arg.limit)));
      if (this.files.has(folder)) return json(409, pathError('not_folder'));
      if (!this.folders.has(folder)) return json(409, pathError('not_found'));
    } else {
      const cursor = this.decodeCursor(arg.cursor);
      if (!cursor) return json(409, resetError);
      if (cursor.offset === undefined) return this.delta(cursor, json);
      ({ folder, offset, since } = cursor);
      limit = cursor.limit ?? limit;
    }
    const inFolder = (p: string) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/');
    const entries = [
      ...[...this.folders.keys()].filter(inFolder).map((p) => this.folderMetadata(p)),
      ...[...this.files.values()].filter((f) => inFolder(f.pathDisplay.toLowerCase())).map((f) => this.metadata(f)),
    ];
    const page = entries.slice(offset, offset + limit);
    const next = offset + page.length;
    // The last page's cursor follows the changes after the listing began.
    const cursor = this.encodeCursor(next < entries.length ? { folder, offset: next, limit, since, epoch: this.epoch } : { folder, since, epoch: this.epoch });
    json(200, { entries: page, cursor, has_more: next < entries.length });
  }

  /** list_folder/continue on a cursor that follows changes: what changed since, deleted entries included, in one page. */
  private delta(cursor: Cursor, json: Json): void {
    const entries = this.changedIn(cursor.folder, cursor.since).map((p) => {
      const f = this.files.get(p);
      if (f) return this.metadata(f);
      if (this.folders.has(p)) return this.folderMetadata(p);
      return { '.tag': 'deleted', name: p.split('/').pop(), path_lower: p, path_display: p };
    });
    json(200, { entries, cursor: this.encodeCursor({ folder: cursor.folder, since: this.seq, epoch: this.epoch }), has_more: false });
  }

  /**
   * files/list_folder/longpoll: {changes: true} as soon as the cursor's folder changed (at once if
   * it already has), else {changes: false} after `timeout` seconds (30..480, default 30); `backoff`
   * when longpollBackoff is set; `reset` for a cursor no longer accepted.
   */
  private longpoll(arg: Record<string, unknown>, req: http.IncomingMessage, json: Json): void {
    const timeout = arg.timeout === undefined ? 30 : Number(arg.timeout);
    if (!Number.isInteger(timeout) || timeout < 30 || timeout > 480) {
      throw new BadRequest(`Error in call to API function "files/list_folder/longpoll": request body: timeout: ${String(arg.timeout)} is not within range [30, 480]`);
    }
    const backoff = this.longpollBackoff === undefined ? {} : { backoff: this.longpollBackoff };
    const check = (): boolean => {
      const cursor = this.decodeCursor(arg.cursor);
      if (!cursor) { json(409, resetError); return true; }
      if (this.changedIn(cursor.folder, cursor.since).length === 0) return false;
      json(200, { changes: true, ...backoff });
      return true;
    };
    if (check()) return;
    const done = () => { clearTimeout(timer); this.longpolls.delete(wake); };
    const wake = () => { if (check()) done(); };
    const timer = setTimeout(() => { done(); json(200, { changes: false, ...backoff }); }, timeout * this.longpollMsPerSecond);
    this.longpolls.add(wake);
    req.socket.once('close', done);
  }

  private download(arg: Record<string, unknown>, res: http.ServerResponse, fault: Fault | undefined, json: Json): void {
    const f = this.find(String(arg.path ?? ''));
    if (!f) return json(409, pathError('not_found'));
    const announced = fault && 'truncateTo' in fault ? Math.min(f.size, fault.truncateTo) : f.size;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(announced),
      'dropbox-api-result': headerSafeJson(this.metadata(f)) });
    const stream = typeof f.source === 'string' && announced > 0 ? createReadStream(f.source, { end: announced - 1 })
      : twoChunks(typeof f.source === 'string' ? Buffer.alloc(0) : f.source.subarray(0, announced));
    const stopAt = fault && 'cutAfterBytes' in fault ? fault.cutAfterBytes : fault && 'stallAfterBytes' in fault ? fault.stallAfterBytes : Infinity;
    let sent = 0;
    let stopped = false;
    let hold = fault && 'holdAfterBytes' in fault ? fault : undefined;
    res.on('close', () => stream.destroy());
    stream.on('data', (data: Buffer | string) => {
      let chunk = Buffer.from(data);
      if (stopped) return;
      if (hold && sent + chunk.length > hold.holdAfterBytes) {
        const cut = Math.max(0, hold.holdAfterBytes - sent);
        const rest = chunk.subarray(cut);
        stream.pause();
        res.write(chunk.subarray(0, cut));
        sent += cut;
        void hold.until.then(() => { sent += rest.length; res.write(rest); stream.resume(); });
        hold = undefined;
        return;
      }
      if (sent + chunk.length > stopAt) {
        stopped = true;
        stream.destroy();
        res.write(chunk.subarray(0, Math.max(0, stopAt - sent)));
        // destroySoon lets the headers and the prefix leave first, so the client sees a body cut short.
        if (fault && 'cutAfterBytes' in fault) res.socket?.destroySoon();
        return;
      }
      if (fault && 'corrupt' in fault && sent === 0) chunk = Buffer.from(chunk.map((b, i) => (i === 0 ? b ^ 0xff : b)));
      sent += chunk.length;
      if (!res.write(chunk)) { stream.pause(); res.once('drain', () => stream.resume()); }
    });
    stream.on('end', () => res.end());
  }

  /**
   * Uploads as Dropbox takes them: plain (up to 150 MiB) or a session whose every append names its
   * offset. Mode add (the default) refuses to replace a file with other content; overwrite does.
   */
  private upload(endpoint: string, arg: Record<string, unknown>, body: Buffer, json: Json): void {
    if (body.length > MAX_REQUEST_BYTES) return json(409, { error_summary: 'payload_too_large/..', error: { '.tag': 'payload_too_large' } });
    const cursor = (arg.cursor ?? {}) as { session_id?: string; offset?: number };
    const parts = this.sessions.get(String(cursor.session_id));
    const have = parts?.reduce((n, p) => n + p.length, 0) ?? 0;
    const finish = endpoint === 'upload_session/finish';
    if (endpoint === 'upload_session/append_v2' || finish) {
      if (!parts) return json(409, { error_summary: `${finish ? 'lookup_failed/' : ''}not_found/..`, error: finish ? { '.tag': 'lookup_failed', lookup_failed: { '.tag': 'not_found' } } : { '.tag': 'not_found' } });
      if (cursor.offset !== have) {
        const wrong = { '.tag': 'incorrect_offset', correct_offset: have };
        return json(409, finish ? { error_summary: 'lookup_failed/incorrect_offset/..', error: { '.tag': 'lookup_failed', lookup_failed: wrong } }
          : { error_summary: 'incorrect_offset/..', error: wrong });
      }
      parts.push(body);
      if (!finish) return json(200, null);
    }
    if (endpoint === 'upload_session/start') {
      const id = randomUUID();
      this.sessions.set(id, [body]);
      return json(200, { session_id: id });
    }
    const bytes = finish ? Buffer.concat(parts ?? []) : body;
    if (finish) this.sessions.delete(String(cursor.session_id));
    const commit = (finish ? arg.commit : arg) as Record<string, unknown> | undefined;
    const path = String(commit?.path ?? '');
    if (!path.startsWith('/')) return json(400, { error_summary: 'path/malformed_path/..' });
    // files/upload reports a write failure as {reason}, upload_session/finish as {path}.
    const writeFailed = (tag: string, detail: Record<string, unknown> = {}) => json(409, {
      error_summary: `path/${tag}/${'conflict' in detail ? 'file/' : ''}..`,
      error: finish ? { '.tag': 'path', path: { '.tag': tag, ...detail } } : { '.tag': 'path', reason: { '.tag': tag, ...detail }, upload_session_id: randomUUID() },
    });
    const old = this.files.get(path.toLowerCase());
    const hash = hashOf(bytes);
    const mode = typeof commit?.mode === 'string' ? commit.mode : (commit?.mode as { '.tag'?: string } | undefined)?.['.tag'] ?? 'add';
    if (old && mode === 'add' && old.contentHash !== hash) return writeFailed('conflict', { conflict: { '.tag': 'file' } });
    if (this.usedBytes() - (old?.size ?? 0) + bytes.length > this.quotaBytes) return writeFailed('insufficient_space');
    json(200, this.metadata(this.store(path, bytes, bytes.length, hash, new Date())));
  }

  private usedBytes(): number {
    return [...this.files.values()].reduce((n, f) => n + f.size, 0);
  }

  /** Files only (tokobot moves no folders); like Dropbox without autorename, never over an existing path. */
  private move(from: string, to: string, json: Json): void {
    const f = this.find(from);
    if (!f) return json(409, { error_summary: 'from_lookup/not_found/..', error: { '.tag': 'from_lookup', from_lookup: { '.tag': 'not_found' } } });
    if (this.files.has(to.toLowerCase()) || this.folders.has(to.toLowerCase())) {
      return json(409, { error_summary: 'to/conflict/file/..', error: { '.tag': 'to', to: { '.tag': 'conflict', conflict: { '.tag': 'file' } } } });
    }
    this.files.delete(f.pathDisplay.toLowerCase());
    this.changed(f.pathDisplay);
    json(200, { metadata: this.metadata(this.store(to, f.source, f.size, f.contentHash, new Date())) });
  }

  private delete(path: string, json: Json): void {
    const f = this.find(path);
    if (f) {
      this.files.delete(f.pathDisplay.toLowerCase());
      this.changed(f.pathDisplay);
      return json(200, { metadata: this.metadata(f) });
    }
    const lower = path.toLowerCase();
    if (lower === '' || !this.folders.has(lower)) {
      return json(409, { error_summary: 'path_lookup/not_found/..', error: { '.tag': 'path_lookup', path_lookup: { '.tag': 'not_found' } } });
    }
    const metadata = this.folderMetadata(lower);
    for (const key of [...this.files.keys()]) if (key.startsWith(`${lower}/`)) this.files.delete(key);
    for (const key of [...this.folders.keys()]) if (key === lower || key.startsWith(`${lower}/`)) this.folders.delete(key);
    this.changed(lower);
    json(200, { metadata });
  }
}

function parseArg(text: string): Record<string, unknown> {
  try {
    return (JSON.parse(text) ?? {}) as Record<string, unknown>;
  } catch {
    throw new BadRequest('Error in call to API function: request body: could not decode input as JSON');
  }
}

const flipFirst = (b: Buffer) => (b.length ? Buffer.concat([Buffer.from([(b[0] ?? 0) ^ 0xff]), b.subarray(1)]) : b);

/** Two chunks, so that a cut-off can fall between them. */
function twoChunks(b: Buffer): Readable {
  return Readable.from([b.subarray(0, Math.floor(b.length / 2)), b.subarray(Math.floor(b.length / 2))]);
}
