import http from 'node:http';
import https from 'node:https';
import type { Api } from 'grammy';
import { AppError } from '../../errors.ts';
import type { ProxySection } from '../../config/sections.ts';
import { proxyAgent } from '../proxy-agent.ts';
import { TELEGRAM_API_ROOT } from './telegram-client.ts';

export interface TelegramFileOptions {
  token: string;
  /** As TELEGRAM_API_ROOT: Telegram's own by default. */
  apiRoot?: string;
  proxy?: ProxySection;
  /** A file announced or arriving bigger than this is not read on: `tooBig(bytes)` is thrown. */
  maxBytes: number;
  tooBig: (bytes: number) => Error;
  /** Default 30 s: a photo of a few MB takes seconds even on a slow line. */
  timeoutMs?: number;
}

// System 'barcode': what the person reads is that their photo did not arrive, to send again.
const unreachable = (why: string) => new AppError('unreachable', 'barcode', {
  en: `The photo could not be downloaded from Telegram (${why}); send it again.`,
  id: `Foto tidak bisa diunduh dari Telegram (${why}); kirim lagi.`,
}, { retryable: true });

/**
 * A file a person sent the bot, in memory: getFile names its path, then the Bot API's file
 * address (`<apiRoot>/file/bot<token>/<path>`, core.telegram.org/bots/api#getfile) serves it,
 * through the proxy Telegram's calls go through. At most `maxBytes` are read. Errors never name
 * the address: it holds the bot token.
 */
export async function downloadTelegramFile(api: Pick<Api, 'getFile'>, fileId: string, o: TelegramFileOptions): Promise<Buffer> {
  const file = await api.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > o.maxBytes) throw o.tooBig(file.file_size);
  if (!file.file_path) throw unreachable('Telegram gave no file path');
  const url = new URL(`${o.apiRoot ?? TELEGRAM_API_ROOT}/file/bot${o.token}/${file.file_path}`);
  return fetchBytes(url, o);
}

/** Node's http client: it reports a body cut short, and takes the proxy agent (Node's fetch takes none). */
function fetchBytes(url: URL, o: TelegramFileOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { agent: proxyAgent(url.href, o.proxy) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(unreachable(`HTTP ${res.statusCode}`));
      }
      const announced = Number(res.headers['content-length'] ?? 0);
      if (announced > o.maxBytes) {
        res.destroy();
        return reject(o.tooBig(announced));
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > o.maxBytes) {
          res.destroy();
          return reject(o.tooBig(bytes));
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', (err: Error & { code?: string }) => reject(unreachable(err.code ?? 'the answer was cut short')));
    });
    req.setTimeout(o.timeoutMs ?? 30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'no answer in time' })));
    // A network error's code (ECONNREFUSED…) says enough; its message may hold the address.
    req.on('error', (err: Error & { code?: string }) => reject(unreachable(err.code ?? 'network error')));
  });
}
