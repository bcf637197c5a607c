import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api) that grammY
 * talks to through `apiRoot`: getUpdates honours offset and timeout (so polling does not spin),
 * messages sent and edited are kept per chat (an HTML text Telegram could not parse is refused
 * as Telegram refuses it), every call is recorded, user updates can be injected, a method can be
 * made to answer 429 with retry_after, a chat can block the bot, and Telegram can be made
 * unreachable for a while (an outage), or start refusing connections and come up later. Users can
 * send photos and files: getFile names a path and /file/bot<token>/<path> serves the bytes, as
 * Telegram does (core.telegram.org/bots/api#getfile), files over 20 MB refused by getFile. Inline
 * queries (`@bot text` typed in a chat) are delivered like messages and their answers
 * (answerInlineQuery) kept per query, refused as Telegram refuses them; getUpdates delivers only
 * the update types of its last allowed_updates, as Telegram does.
 */
export interface Call {
  method: string;
  payload: Record<string, unknown>;
  files: { field: string; filename: string; bytes: Buffer }[];
  at: number;
}

export interface SentMessage {
  message_id: number;
  chat: { id: number; type: string };
  text?: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
  document?: { file_name: string; bytes: Buffer; caption?: string };
  photo?: { file_name: string; bytes: Buffer; caption?: string; file_id: string };
}

export type OutageMode = 'refuse' | '502';

/** An answerInlineQuery as the bot sent it (core.telegram.org/bots/api#answerinlinequery). */
export interface InlineAnswer {
  results: { type: string; id: string; title?: string; description?: string; input_message_content?: { message_text: string; parse_mode?: string } }[];
  cache_time?: number;
  is_personal?: boolean;
  /** Who asked, and what they typed. */
  from: number;
  query: string;
}

export interface TgUser { id: number; first_name: string; username?: string }

const MAX_WAIT_MS = 2000;

/** The largest file getFile hands out (core.telegram.org/bots/api#getfile). */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** A file a user sent: what getFile and the file address serve. */
interface HeldFile {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_path: string;
  bytes: Buffer;
}

/** One size of a photo as the test makes it (Telegram makes several, from a 90 px thumbnail up). */
export interface PhotoSizeBytes { bytes: Buffer; width: number; height: number }

/** The tags of Telegram's HTML style (core.telegram.org/bots/api#html-style). */
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * A parse_mode HTML text as Telegram reads it: what a person sees and the runs shown bold, or
 * why it is refused (a tag Telegram does not know, or a `<` that opens no tag).
 */
export function readTelegramHtml(html: string): { text: string; bold: string[] } | { error: string } {
  let text = '';
  const bold: string[] = [];
  const open: number[] = [];
  const token = /<(\/?)([a-zA-Z-]+)(?:\s[^>]*)?>|&(#\d+|[a-zA-Z]+);|</g;
  let last = 0;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    text += html.slice(last, m.index);
    last = token.lastIndex;
    const offset = Buffer.byteLength(html.slice(0, m.index));
    if (m[0] === '<') return { error: `Unsupported start tag "${/^<(\S*)/.exec(html.slice(m.index))?.[1] ?? ''}" at byte offset ${offset}` };
    if (m[3] !== undefined) {
      text += m[3].startsWith('#') ? String.fromCodePoint(Number(m[3].slice(1))) : HTML_ENTITIES[m[3]] ?? m[0];
      continue;
    }
    const name = (m[2] as string).toLowerCase();
    if (!HTML_TAGS.has(name)) return { error: `Unsupported start tag "${name}" at byte offset ${offset}` };
    if (name !== 'b' && name !== 'strong') continue;
    if (!m[1]) open.push(text.length);
    else bold.push(text.slice(open.pop() ?? 0));
  }
  return { text: text + html.slice(last), bold };
}

function parseMultipart(body: Buffer, contentType: string) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const sep = Buffer.from(`--${boundary?.[1] ?? boundary?.[2]}`);
  const fields: Record<string, unknown> = {};
  const files: Call['files'] = [];
  let start = body.indexOf(sep);
  while (start >= 0) {
    const next = body.indexOf(sep, start + sep.length);
    if (next < 0) break;
    const part = body.subarray(start + sep.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString();
    const content = part.subarray(headerEnd + 4);
    // grammY writes filename=r.csv without quotes, which stricter parsers refuse.
    const name = /name="?([^";\r\n]+)"?/.exec(headers)?.[1] ?? '';
    const filename = /filename="?([^";\r\n]+)"?/.exec(headers)?.[1];
    if (filename) files.push({ field: name, filename, bytes: Buffer.from(content) });
    else fields[name] = content.toString();
    start = next;
  }
  return { fields, files };
}

/** Telegram refuses a keyboard whose callback_data is empty or over 64 bytes. */
function buttonsFit(markup: unknown): boolean {
  const parsed = typeof markup === 'string' ? JSON.parse(markup) as SentMessage['reply_markup'] : markup as SentMessage['reply_markup'];
  return (parsed?.inline_keyboard ?? []).flat().every((b) => b.callback_data === undefined || (b.callback_data.length > 0 && Buffer.byteLength(b.callback_data) <= 64));
}

export class FakeTelegram {
  readonly token = '123456:fake-telegram-token';
  readonly calls: Call[] = [];
  readonly chats = new Map<number, SentMessage[]>();
  /** Photos uploaded, by the file_id they were given. */
  readonly uploads = new Map<string, NonNullable<SentMessage['photo']>>();
  private readonly updates: Record<string, unknown>[] = [];
  private readonly faults = new Map<string, number[]>();
  private waiters: (() => void)[] = [];
  private nextUpdate = 1;
  private nextMessage = 1000;
  private server!: http.Server;
  private port = 0;
  url = '';
  /** Called as each message is stored (benchmarks time replies with it). */
  onMessage?: (msg: SentMessage) => void;
  private down: { until: number; mode: OutageMode } | null = null;
  /** Chats that blocked the bot: sending there answers 403, as Telegram does. */
  readonly blocked = new Set<number>();
  /** When each request during an outage arrived (connections cut or 502 answered). */
  readonly turnedAway: number[] = [];
  private readonly files = new Map<string, HeldFile>();
  /** The file_id of each file downloaded through its file address, in order. */
  readonly downloads: string[] = [];
  /** BotFather's /setinline: what getMe says; off, Telegram sends the bot no inline queries. */
  inlineMode = true;
  /** Inline queries sent and not yet answered, by id. */
  private readonly openQueries = new Map<string, { from: number; query: string }>();
  /** The answer to each inline query, by its id. */
  readonly inlineAnswers = new Map<string, InlineAnswer>();
  /** The update types of the last getUpdates that named them (null: Telegram's default, all these). */
  private allowedUpdates: string[] | null = null;

  /**
   * `refusing`: the port is chosen but nothing listens on it yet, so every connection is refused
   * (ECONNREFUSED, as from a host whose service is not running) until comeUp().
   */
  static async start(options: { refusing?: boolean } = {}): Promise<FakeTelegram> {
    const f = new FakeTelegram();
    f.server = http.createServer((req, res) => { f.handle(req, res).catch((err) => { res.statusCode = 500; res.end(String(err)); }); });
    // A connection during a 'refuse' outage is cut as soon as it is made: the client sees a reset,
    // as from a host whose service is gone (the port itself stays ours).
    f.server.on('connection', (socket) => {
      if (f.outageMode() !== 'refuse') return;
      f.turnedAway.push(Date.now());
      socket.destroy();
    });
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
    f.port = (f.server.address() as AddressInfo).port;
    f.url = `http://127.0.0.1:${f.port}`;
    if (options.refusing) await new Promise<void>((resolve) => f.server.close(() => resolve()));
    return f;
  }

  /** Starts listening on the port of `url` (after start({ refusing: true })). */
  async comeUp(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => { this.server.off('error', reject); resolve(); });
    });
  }

  async close(): Promise<void> {
    for (const w of this.waiters) w();
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` calls of `method` answer 429 with this retry_after. */
  tooManyRequests(method: string, retryAfter: number, times = 1): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...Array<number>(times).fill(retryAfter)]);
  }

  /**
   * Telegram unreachable for `ms` from now: every connection is cut ('refuse'), or every request
   * answered 502 with an HTML page as by a proxy whose upstream is down ('502'). Open long polls
   * are dropped at once. Updates pushed meanwhile wait, as at Telegram. Returns when it ends (epoch ms).
   */
  outage(ms: number, mode: OutageMode = 'refuse'): number {
    this.down = { until: Date.now() + ms, mode };
    this.server.closeAllConnections();
    return this.down.until;
  }

  /** Telegram is back, now. */
  endOutage(): void {
    this.down = null;
  }

  private outageMode(): OutageMode | null {
    if (this.down && Date.now() >= this.down.until) this.down = null;
    return this.down?.mode ?? null;
  }

  private push(update: Record<string, unknown>): void {
    this.updates.push({ update_id: this.nextUpdate++, ...update });
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  userSays(from: TgUser, text: string, chat: { id: number; type: string } = { id: from.id, type: 'private' }): void {
    this.push({ message: { message_id: this.nextMessage++, from: { ...from, is_bot: false }, chat, date: Math.floor(Date.now() / 1000), text } });
  }

  /**
   * Keeps a file a user sent. `announce: false`: Telegram does not say its size (file_size is
   * optional in the Bot API), so only the download shows it.
   */
  private hold(bytes: Buffer, path: string, announce = true): Omit<HeldFile, 'bytes' | 'file_path'> {
    const n = this.files.size + 1;
    const file: HeldFile = { file_id: `file-${n}-${path.replace(/\W/g, '')}`, file_unique_id: `u${n}`, file_path: path, bytes,
      ...(announce ? { file_size: bytes.length } : {}) };
    this.files.set(file.file_id, file);
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, ...(announce ? { file_size: bytes.length } : {}) };
  }

  /** A user sends a photo: each size a file of its own, as Telegram sends them (smallest first). */
  userSendsPhoto(from: TgUser, sizes: PhotoSizeBytes[], chat: { id: number; type: string } = { id: from.id, type: 'private' }, caption?: string): string[] {
    const photo = sizes.map((s, i) => ({ ...this.hold(s.bytes, `photos/file_${this.files.size}_${i}.jpg`), width: s.width, height: s.height }));
    this.push({ message: { message_id: this.nextMessage++, from: { ...from, is_bot: false }, chat, date: Math.floor(Date.now() / 1000), photo, ...(caption ? { caption } : {}) } });
    return photo.map((p) => p.file_id);
  }

  /** A user sends a file (a picture sent "as a file" keeps its bytes and its mime type). */
  userSendsDocument(from: TgUser, doc: { bytes: Buffer; mime_type: string; file_name: string; announce?: boolean },
    chat: { id: number; type: string } = { id: from.id, type: 'private' }): string {
    const held = this.hold(doc.bytes, `documents/${doc.file_name}`, doc.announce);
    this.push({ message: { message_id: this.nextMessage++, from: { ...from, is_bot: false }, chat, date: Math.floor(Date.now() / 1000),
      document: { ...held, file_name: doc.file_name, mime_type: doc.mime_type } } });
    return held.file_id;
  }

  userPresses(from: TgUser, message: SentMessage, data: string): void {
    this.push({ callback_query: { id: String(this.nextUpdate), from: { ...from, is_bot: false }, chat_instance: '1', data,
      message: { message_id: message.message_id, chat: message.chat, date: Math.floor(Date.now() / 1000), text: message.text } } });
  }

  /** `from` types "@bot `query`" in a chat of `chatType`: an inline query. Returns its id, by which its answer is kept. */
  userTypesInline(from: TgUser, query: string, chatType = 'private'): string {
    if (!this.inlineMode) throw new Error('fake telegram: inline mode is off (BotFather /setinline): Telegram would send no inline query');
    const id = `iq${this.nextUpdate}`;
    this.openQueries.set(id, { from: from.id, query });
    this.push({ inline_query: { id, from: { ...from, is_bot: false }, query, offset: '', chat_type: chatType } });
    return id;
  }

  groupMigrates(chatId: number, toChatId: number, from: TgUser): void {
    this.push({ message: { message_id: this.nextMessage++, from: { ...from, is_bot: false }, chat: { id: chatId, type: 'group', title: 'Toko' },
      date: Math.floor(Date.now() / 1000), migrate_to_chat_id: toChatId } });
  }

  messages(chatId: number): SentMessage[] {
    return this.chats.get(chatId) ?? [];
  }

  /** Waits (bounded) until `check` returns something. */
  async until<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const v = check();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('fake telegram: timed out waiting');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.outageMode()) {
      this.turnedAway.push(Date.now());
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n');
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (download) return this.serveFile(download[1] as string, decodeURIComponent(download[2] as string), res);
    const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    const send = (status: number, value: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };
    if (!m || m[1] !== this.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2] as string;
    const type = req.headers['content-type'] ?? '';
    const { fields, files } = type.startsWith('multipart/') ? parseMultipart(body, type)
      : { fields: body.length ? JSON.parse(body.toString()) as Record<string, unknown> : {}, files: [] };
    if (method !== 'getUpdates') this.calls.push({ method, payload: fields, files, at: Date.now() });
    const fault = this.faults.get(method)?.shift();
    if (fault !== undefined) {
      return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault}`, parameters: { retry_after: fault } });
    }
    const ok = (result: unknown) => send(200, { ok: true, result });
    if (!buttonsFit(fields.reply_markup)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    const html = fields.parse_mode === 'HTML' && typeof fields.text === 'string' ? readTelegramHtml(fields.text) : null;
    if (html && 'error' in html) return send(400, { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${html.error}` });
    if (this.blocked.has(Number(fields.chat_id))) return send(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    switch (method) {
      case 'getMe': return ok({ id: 42, is_bot: true, first_name: 'Tokobot', username: 'tokobot_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: this.inlineMode });
      case 'getUpdates': return ok(await this.getUpdates(fields));
      case 'sendMessage': return ok(this.store(fields, { text: String(fields.text) }));
      case 'sendDocument': {
        const doc = files[0];
        return ok(this.store(fields, { document: { file_name: doc?.filename ?? '', bytes: doc?.bytes ?? Buffer.alloc(0), caption: fields.caption as string | undefined } }));
      }
      case 'sendPhoto': return this.sendPhoto(fields, files[0], ok, send);
      case 'editMessageText': {
        const msg = this.messages(Number(fields.chat_id)).find((x) => x.message_id === Number(fields.message_id));
        if (!msg) return send(400, { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
        if (msg.text === fields.text && JSON.stringify(msg.reply_markup) === JSON.stringify(fields.reply_markup)) {
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: message is not modified' });
        }
        msg.text = String(fields.text);
        msg.reply_markup = fields.reply_markup as SentMessage['reply_markup'];
        return ok({ ...msg, date: 0 });
      }
      case 'getFile': {
        const file = this.files.get(String(fields.file_id));
        if (!file) return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        if (file.bytes.length > MAX_DOWNLOAD_BYTES) return send(400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
        const { bytes: _bytes, ...shown } = file;
        return ok(shown);
      }
      case 'answerInlineQuery': {
        const refused = this.answerInline(fields);
        return refused ? send(400, { ok: false, error_code: 400, description: `Bad Request: ${refused}` }) : ok(true);
      }
      case 'answerCallbackQuery': case 'setMyCommands': case 'deleteWebhook': case 'setWebhook': return ok(true);
      default: return send(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    }
  }

  private serveFile(token: string, path: string, res: http.ServerResponse): void {
    const file = [...this.files.values()].find((f) => f.file_path === path);
    if (token !== this.token || !file || file.bytes.length > MAX_DOWNLOAD_BYTES) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
    }
    this.downloads.push(file.file_id);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  /**
   * As Telegram: a photo is uploaded (multipart) or named by the file_id of one sent before (a
   * file id this bot never got is refused), and the answer lists the sizes made, each with its
   * file_id, smallest first (the fake makes two: a thumbnail and the photo itself).
   */
  private sendPhoto(fields: Record<string, unknown>, upload: Call['files'][number] | undefined, ok: (result: unknown) => void,
    send: (status: number, value: unknown) => void): void {
    const caption = fields.caption as string | undefined;
    let photo: NonNullable<SentMessage['photo']>;
    if (upload) {
      photo = { file_name: upload.filename, bytes: upload.bytes, caption, file_id: `photo-${this.uploads.size + 1}-${upload.bytes.length}` };
      this.uploads.set(photo.file_id, photo);
    } else {
      const known = this.uploads.get(String(fields.photo));
      if (!known) return send(400, { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' });
      photo = { ...known, caption };
    }
    const msg = this.store(fields, { photo });
    const size = (file_id: string, width: number) => ({ file_id, file_unique_id: `u${file_id}`, width, height: width, file_size: photo.bytes.length });
    ok({ ...msg, photo: [size(`${photo.file_id}-thumb`, 90), size(photo.file_id, 800)] });
  }

  /** Keeps an inline answer, or says why Telegram refuses it. A query is answered once at most. */
  private answerInline(fields: Record<string, unknown>): string | null {
    const id = String(fields.inline_query_id);
    const asked = this.openQueries.get(id);
    if (!asked) return 'query is too old and response timeout expired or query ID is invalid';
    const results = (typeof fields.results === 'string' ? JSON.parse(fields.results) : fields.results) as InlineAnswer['results'];
    if (!Array.isArray(results)) return 'RESULTS_INVALID';
    if (results.length > 50) return 'RESULTS_TOO_MUCH';
    const ids = results.map((r) => r.id);
    if (ids.some((i) => typeof i !== 'string' || Buffer.byteLength(i) < 1 || Buffer.byteLength(i) > 64)) return 'RESULT_ID_INVALID';
    if (new Set(ids).size !== ids.length) return 'RESULT_ID_DUPLICATE';
    for (const r of results) {
      const content = r.input_message_content;
      if (r.type === 'article' && (!r.title || !content?.message_text)) return 'MESSAGE_EMPTY';
      if (content && content.message_text.length > 4096) return 'MESSAGE_TOO_LONG';
      const html = content?.parse_mode === 'HTML' ? readTelegramHtml(content.message_text) : null;
      if (html && 'error' in html) return `can't parse entities: ${html.error}`;
    }
    this.openQueries.delete(id);
    this.inlineAnswers.set(id, { results, cache_time: fields.cache_time as number | undefined, is_personal: fields.is_personal as boolean | undefined, ...asked });
    return null;
  }

  private store(fields: Record<string, unknown>, content: Partial<SentMessage>): SentMessage {
    const chatId = Number(fields.chat_id);
    const markup = typeof fields.reply_markup === 'string' ? JSON.parse(fields.reply_markup) : fields.reply_markup;
    const msg: SentMessage = { message_id: this.nextMessage++, chat: { id: chatId, type: chatId > 0 ? 'private' : 'group' }, ...content, reply_markup: markup };
    this.chats.set(chatId, [...this.messages(chatId), msg]);
    this.onMessage?.(msg);
    return { ...msg, document: undefined, photo: undefined, date: 0 } as SentMessage;
  }

  private async getUpdates(fields: Record<string, unknown>): Promise<unknown[]> {
    const offset = Number(fields.offset ?? 0);
    const named = typeof fields.allowed_updates === 'string' ? JSON.parse(fields.allowed_updates) : fields.allowed_updates;
    if (Array.isArray(named)) this.allowedUpdates = named.length ? named as string[] : null;
    const allowed = (u: Record<string, unknown>) => !this.allowedUpdates || Object.keys(u).some((k) => this.allowedUpdates?.includes(k));
    const pending = () => this.updates.filter((u) => (u.update_id as number) >= offset && allowed(u));
    if (pending().length === 0) {
      const wait = Math.min(Number(fields.timeout ?? 0) * 1000, MAX_WAIT_MS);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, wait); this.waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
    return pending().slice(0, Number(fields.limit ?? 100));
  }
}
