import { EventEmitter } from 'node:events';
import type { WhatsAppClient, WhatsAppIncoming } from '../../src/adapters/whatsapp/whatsapp-client.ts';

/** A text as WhatsApp shows it: *bold* runs without their stars (WhatsApp has no escapes), and which runs are bold. */
export function readWhatsAppText(raw: string): { text: string; bold: string[] } {
  const bold = [...raw.matchAll(/\*([^*\n]+)\*/g)].map((m) => m[1] as string);
  return { text: raw.replace(/\*([^*\n]+)\*/g, '$1'), bold };
}

/**
 * A whatsapp-web.js client without Chromium: the test plays WhatsApp by emitting its events.
 * Like the real one, getNumberId and sendMessage throw a TypeError before `ready`.
 */
export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClient {
  initializeCalls = 0;
  /** initialize() resolved. */
  initialized = false;
  destroyCalls = 0;
  readonly sent: { chatId: string; text: string }[] = [];
  /** Files sent (sendFile), in order, with the text sent before each counted in `afterTexts`. */
  readonly files: { chatId: string; type: string; name: string; bytes: Buffer; afterTexts: number }[] = [];
  readonly lookups: string[] = [];
  /** How many attachments were downloaded (downloadMedia). */
  downloads = 0;
  private isReady = false;

  constructor(private readonly net: FakeWhatsApp) {
    super();
  }

  async initialize(): Promise<void> {
    this.initializeCalls++;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.net.offline) throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
    this.initialized = true;
  }

  async destroy(): Promise<void> {
    this.destroyCalls++;
    this.isReady = false;
  }

  async getNumberId(number: string): Promise<{ _serialized: string } | null> {
    this.mustBeReady();
    this.lookups.push(number);
    return this.net.notOnWhatsApp.has(number) ? null : { _serialized: `${number}@c.us` };
  }

  async sendMessage(chatId: string, text: string): Promise<unknown> {
    this.mustBeReady();
    if (this.net.sendFailures > 0) {
      this.net.sendFailures--;
      throw new Error('Evaluation failed: sending timed out');
    }
    this.sent.push({ chatId, text });
    return { id: { _serialized: `true_${chatId}_${this.sent.length}` } };
  }

  async sendFile(chatId: string, file: { type: string; base64: string; name: string }): Promise<unknown> {
    this.mustBeReady();
    if (this.net.fileFailures > 0) {
      this.net.fileFailures--;
      throw new Error('Evaluation failed: media upload failed');
    }
    this.files.push({ chatId, type: file.type, name: file.name, bytes: Buffer.from(file.base64, 'base64'), afterTexts: this.sent.length });
    return { id: { _serialized: `true_${chatId}_f${this.files.length}` } };
  }

  qr(code = '2@fakeqr,abc,def'): void { this.emit('qr', code); }
  ready(): void { this.isReady = true; this.emit('ready'); }
  authFailure(message: string): void { this.emit('auth_failure', message); }
  disconnect(reason = 'NAVIGATION'): void { this.isReady = false; this.emit('disconnected', reason); }
  message(m: Partial<WhatsAppIncoming> & { from: string }): void {
    this.emit('message', { fromMe: false, body: '', ...m });
  }

  /** A photo from `from` (a chat id): type 'image', its bytes given by downloadMedia as base64, as whatsapp-web.js's MessageMedia. */
  photo(from: string, bytes: Buffer, options: { mimetype?: string; caption?: string; type?: string } = {}): void {
    const media = { mimetype: options.mimetype ?? 'image/jpeg', data: bytes.toString('base64'), filesize: bytes.length };
    this.emit('message', { from, fromMe: false, body: options.caption ?? '', hasMedia: true, type: options.type ?? 'image',
      downloadMedia: async () => { this.downloads++; return media; } });
  }

  private mustBeReady(): void {
    // The real client has no page store before ready.
    if (!this.isReady) throw new TypeError("Cannot read properties of undefined (reading 'WidFactory')");
  }
}

/** The network the fake clients live in: every client the messenger makes, and what WhatsApp knows. */
export class FakeWhatsApp {
  readonly clients: FakeWhatsAppClient[] = [];
  offline = false;
  sendFailures = 0;
  /** The next this many sendFile calls fail (a media upload that breaks after the text went). */
  fileFailures = 0;
  readonly notOnWhatsApp = new Set<string>();

  readonly createClient = (): FakeWhatsAppClient => {
    const client = new FakeWhatsAppClient(this);
    this.clients.push(client);
    return client;
  };

  get latest(): FakeWhatsAppClient {
    const c = this.clients.at(-1);
    if (!c) throw new Error('no WhatsApp client made yet');
    return c;
  }
}
