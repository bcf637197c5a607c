import type { ApiClientOptions, HttpError } from 'grammy';
import type { ProxySection } from '../../config/sections.ts';
import { t, type Lang } from '../../i18n/text.ts';
import { proxyAgent, proxyFor, shownProxy } from '../proxy-agent.ts';

/** Where grammY sends Bot API calls unless TELEGRAM_API_ROOT says otherwise. */
export const TELEGRAM_API_ROOT = 'https://api.telegram.org';

/** grammY's client settings for the Bot API at `apiRoot` (Telegram's own by default), through the proxy that serves it. */
export function telegramClient(apiRoot: string | undefined, proxy: ProxySection | undefined): ApiClientOptions {
  const agent = proxyAgent(apiRoot ?? TELEGRAM_API_ROOT, proxy);
  // grammY merges these over its own defaults (keep-alive agent, compression): only the agent changes.
  return { ...(apiRoot ? { apiRoot } : {}), ...(agent ? { baseFetchConfig: { agent } } : {}) };
}

/**
 * Why a Bot API call did not get through, in a word or two. Never the underlying message:
 * node-fetch puts the request URL, which holds the bot token, in its messages.
 */
export function unreachableReason(err: HttpError): string {
  const e = err.error as { code?: unknown; type?: unknown; name?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string') return e.code; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT...
  if (e?.type === 'invalid-json') return 'an answer that is not the Bot API\'s, such as a proxy\'s error page';
  if (e?.name === 'AbortError' || /timed out/.test(String(e?.message))) return 'no answer in time';
  return typeof e?.type === 'string' ? e.type : 'network error';
}

/** Where to look when the Bot API cannot be reached: the network, the proxy, TELEGRAM_API_ROOT (in the log's language, or the doctor's reader's). */
export function unreachableHint(apiRoot: string | undefined, proxy: ProxySection | undefined, lang: Lang): string {
  const root = apiRoot ?? TELEGRAM_API_ROOT;
  const variable = root.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const via = proxyFor(root, proxy);
  return [
    t(lang, 'hintInternet'),
    via ? t(lang, 'hintProxy', { proxy: shownProxy(via), variable }) : t(lang, 'hintNoProxy', { variable }),
    apiRoot ? t(lang, 'hintApiRoot', { root: apiRoot }) : t(lang, 'hintNoApiRoot'),
  ].join('; ');
}
