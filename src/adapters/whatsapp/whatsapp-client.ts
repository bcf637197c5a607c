import wwebjs from 'whatsapp-web.js';
import path from 'node:path';

// whatsapp-web.js is CommonJS: under ESM only its default export (module.exports) is reliable.
const { Client, LocalAuth, MessageMedia } = wwebjs;

/** What tokobot reads from an incoming message. */
export interface WhatsAppIncoming {
  /** The chat: `<digits>@c.us` for a person, `…@g.us` for a group, `status@broadcast`, `…@lid`. */
  from: string;
  fromMe: boolean;
  /** The text, or a photo's caption. */
  body: string;
  /** True for a photo, video, voice note, sticker or document. */
  hasMedia?: boolean;
  /** What the message is: 'chat' (text), 'image', 'document', 'sticker', … */
  type?: string;
  /** The attachment, base64 (whatsapp-web.js's MessageMedia); undefined when WhatsApp no longer has it. */
  downloadMedia?: () => Promise<WhatsAppMedia | undefined>;
}

export interface WhatsAppMedia {
  mimetype: string;
  /** The file, base64. */
  data: string;
  filesize?: number | null;
}

export interface WhatsAppListeners {
  qr: (qr: string) => void;
  authenticated: () => void;
  auth_failure: (message: string) => void;
  ready: () => void;
  change_state: (state: string) => void;
  /** The real client destroys itself right after this event. */
  disconnected: (reason: string) => void;
  message: (message: WhatsAppIncoming) => void;
}

/**
 * The part of whatsapp-web.js's Client that tokobot uses. initialize() launches Chromium and
 * opens WhatsApp Web; offline it rejects (net::ERR_NAME_NOT_RESOLVED) with no event, and it
 * leaves Chromium running until destroy(). getNumberId and sendMessage only work after `ready`
 * (before it they throw a TypeError). destroy() may be called more than once.
 */
export interface WhatsAppClient {
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  on<E extends keyof WhatsAppListeners>(event: E, listener: WhatsAppListeners[E]): unknown;
  /** `{ _serialized: '62812…@c.us' }`, or null for a number that is not on WhatsApp. */
  getNumberId(number: string): Promise<{ _serialized: string } | null>;
  sendMessage(chatId: string, text: string): Promise<unknown>;
  /** A file (base64): an image shown as a photo, anything else as a document (a PDF the owner can forward). */
  sendFile(chatId: string, file: { type: string; base64: string; name: string }): Promise<unknown>;
}

export interface WhatsAppClientOptions {
  /** tokobot's data folder; the linked session lives in `<dataDir>/whatsapp/session-tokobot`. */
  dataDir: string;
  chromiumPath: string;
}

/** The real client, driving the machine's own Chromium (headless; --no-sandbox because services run as root). */
export function createWhatsAppClient(options: WhatsAppClientOptions): WhatsAppClient {
  const client = new Client({
    authStrategy: new LocalAuth({ clientId: 'tokobot', dataPath: path.join(options.dataDir, 'whatsapp') }),
    puppeteer: { executablePath: options.chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] },
  });
  return {
    initialize: () => client.initialize(),
    destroy: () => client.destroy(),
    on: (event, listener) => client.on(event, listener),
    getNumberId: (number) => client.getNumberId(number),
    sendMessage: (chatId, text) => client.sendMessage(chatId, text),
    sendFile: (chatId, f) => client.sendMessage(chatId, new MessageMedia(f.type, f.base64, f.name), { sendMediaAsDocument: !f.type.startsWith('image/') }),
  };
}
