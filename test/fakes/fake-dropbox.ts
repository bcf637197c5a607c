import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { contentHashOfFile, ContentHasher } from '../../src/adapters/content-hash.ts';

/**
 * A local stand-in for Dropbox's HTTP API (the api and content hosts on one port), enough for the
 * SDK's real code paths: OAuth refresh, list_folder with cursors, download, get_metadata. Faults
 * can be queued per endpoint, and every request is logged so tests can check what was sent.
 */
export type Endpoint = 'token' | 'list_folder' | 'list_folder/continue' | 'download' | 'get_metadata' | 'get_current_account';

export type Fault =
  | { status: number; retryAfter?: number; body?: unknown }
  | { cutAfterBytes: number }
  | { corrupt: true };

interface StoredFile {
  pathDisplay: string;
  id: string;
  source: Buffer | string;
  size: number;
  contentHash: string;
  serverModified: Date;
}

export interface LoggedRequest {
  endpoint: string;
  url: string;
  authorization?: string;
  body: string;
}

// Dropbox sends non-ASCII in headers as \uXXXX escapes.
const headerSafeJson = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class FakeDropbox {
  readonly appKey = 'fake-app-key';
  readonly appSecret = 'fake-app-secret-value';
  readonly refreshToken = 'fake-refresh-token-value';
  readonly requests: LoggedRequest[] = [];
  /** Entries per list_folder page unless the request sets a smaller limit: small, so pagination is exercised. */
  pageSize = 2;
  tokenLifetimeSeconds = 14_400;
  private readonly files = new Map<string, StoredFile>();
  private readonly folders = new Set<string>(['']);
  private readonly faults = new Map<string, Fault[]>();
  private readonly tokens = new Map<string, number>();
  private issued = 0;
  private server!: http.Server;
  url = '';

  static async start(): Promise<FakeDropbox> {
    const fake = new FakeDropbox();
    fake.server = http.createServer((req, res) => { fake.handle(req, res).catch((err) => { res.statusCode = 500; res.end(String(err)); }); });
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
    const token = `fake-access-${++this.issued}`;
    this.tokens.set(token, Date.now() + this.tokenLifetimeSeconds * 1000);
    return token;
  }

  expireAllTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 0);
  }

  async addFile(path: string, content: Buffer | string, serverModified = new Date()): Promise<void> {
    const size = typeof content === 'string' ? statSync(content).size : content.length;
    const contentHash = typeof content === 'string' ? await contentHashOfFile(content) : (() => { const h = new ContentHasher(); h.update(content); return h.digest(); })();
    const id = `id:${createHash('sha1').update(path).digest('base64url').slice(0, 16)}`;
    this.files.set(path.toLowerCase(), { pathDisplay: path, id, source: content, size, contentHash, serverModified });
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) this.folders.add(parts.slice(0, i).join('/').toLowerCase());
  }

  removeFile(path: string): void {
    this.files.delete(path.toLowerCase());
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
    const name = f.pathDisplay.split('/').pop() as string;
    return { '.tag': 'file', name, path_lower: f.pathDisplay.toLowerCase(), path_display: f.pathDisplay, id: f.id,
      client_modified: iso(f.serverModified), server_modified: iso(f.serverModified), rev: '015f0000000001', size: f.size,
      is_downloadable: true, content_hash: f.contentHash };
  }

  private find(arg: string): StoredFile | undefined {
    if (arg.startsWith('id:')) return [...this.files.values()].find((f) => f.id === arg);
    return this.files.get(arg.toLowerCase());
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const endpoint = url.pathname === '/oauth2/token' ? 'token' : url.pathname.replace(/^\/2\/(files|users)\//, '');
    this.requests.push({ endpoint, url: req.url ?? '', authorization: req.headers.authorization, body });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };

    const fault = this.faults.get(endpoint)?.shift();
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      const value = fault.body ?? (fault.status === 429
        ? { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: fault.retryAfter ?? 1 } }
        : { error_summary: 'internal_error/..', error: { '.tag': 'internal_error' } });
      return json(fault.status, value, headers);
    }

    if (endpoint === 'token') return this.token(url, json);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const expires = this.tokens.get(token);
    if (expires === undefined) return json(401, { error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } });
    if (expires < Date.now()) return json(401, { error_summary: 'expired_access_token/..', error: { '.tag': 'expired_access_token' } });

    if (endpoint === 'list_folder' || endpoint === 'list_folder/continue') return this.list(endpoint, body, json);
    if (endpoint === 'get_metadata') {
      const f = this.find(JSON.parse(body).path);
      return f ? json(200, this.metadata(f)) : json(409, { error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
    }
    if (endpoint === 'get_current_account') return json(200, { account_id: 'dbid:fake', name: { display_name: 'Toko Test' }, email: 'toko@example.invalid' });
    if (endpoint === 'download') return this.download(req, res, fault, json);
    json(400, { error_summary: `unknown endpoint ${url.pathname}` });
  }

  private token(url: URL, json: (s: number, v: unknown) => void): void {
    const q = url.searchParams;
    if (q.get('client_id') !== this.appKey || q.get('client_secret') !== this.appSecret) {
      return json(400, { error: 'invalid_client', error_description: 'Invalid client_id or client_secret' });
    }
    if (q.get('grant_type') !== 'refresh_token' || q.get('refresh_token') !== this.refreshToken) {
      return json(400, { error: 'invalid_grant', error_description: 'refresh token is malformed' });
    }
    json(200, { access_token: this.issueToken(), token_type: 'bearer', expires_in: this.tokenLifetimeSeconds });
  }

  private list(endpoint: string, body: string, json: (s: number, v: unknown) => void): void {
    const arg = JSON.parse(body || '{}');
    let folder: string;
    let offset = 0;
    let limit = this.pageSize;
    if (endpoint === 'list_folder') {
      folder = String(arg.path ?? '').replace(/\/$/, '').toLowerCase();
      if (arg.limit) limit = Math.min(limit, Number(arg.limit));
      if (!this.folders.has(folder)) return json(409, { error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
    } else {
      const c = JSON.parse(Buffer.from(String(arg.cursor), 'base64url').toString());
      ({ folder, offset, limit } = c);
    }
    const inFolder = (p: string) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/');
    const entries = [
      ...[...this.folders].filter(inFolder).map((p) => ({ '.tag': 'folder', name: p.split('/').pop(), path_lower: p, path_display: p, id: `id:dir${p.length}` })),
      ...[...this.files.values()].filter((f) => inFolder(f.pathDisplay.toLowerCase())).map((f) => this.metadata(f)),
    ];
    const page = entries.slice(offset, offset + limit);
    const next = offset + page.length;
    const cursor = Buffer.from(JSON.stringify({ folder, offset: next, limit })).toString('base64url');
    json(200, { entries: page, cursor, has_more: next < entries.length });
  }

  private download(req: http.IncomingMessage, res: http.ServerResponse, fault: Fault | undefined, json: (s: number, v: unknown) => void): void {
    const arg = JSON.parse(String(req.headers['dropbox-api-arg'] ?? '{}'));
    const f = this.find(String(arg.path ?? ''));
    if (!f) return json(409, { error_summary: 'path/not_found/..', error: { '.tag': 'path', path: { '.tag': 'not_found' } } });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.size),
      'dropbox-api-result': headerSafeJson(this.metadata(f)) });
    const stream = typeof f.source === 'string' ? createReadStream(f.source) : createReadStreamFromBuffer(f.source);
    let sent = 0;
    stream.on('data', (chunk: Buffer) => {
      if (fault && 'cutAfterBytes' in fault && sent + chunk.length > fault.cutAfterBytes) {
        res.write(chunk.subarray(0, Math.max(0, fault.cutAfterBytes - sent)));
        stream.destroy();
        res.socket?.destroy();
        return;
      }
      if (fault && 'corrupt' in fault && sent === 0) chunk = Buffer.from(chunk.map((b, i) => (i === 0 ? b ^ 0xff : b)));
      sent += chunk.length;
      if (!res.write(chunk)) { stream.pause(); res.once('drain', () => stream.resume()); }
    });
    stream.on('end', () => res.end());
  }
}

/** Two chunks, so that a cut-off can fall between them. */
function createReadStreamFromBuffer(b: Buffer): Readable {
  return Readable.from([b.subarray(0, Math.floor(b.length / 2)), b.subarray(Math.floor(b.length / 2))]);
}
