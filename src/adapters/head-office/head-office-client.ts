import nodeFetch from 'node-fetch';
import type { z } from 'zod';
import { AppError, type Detail, type ErrorKind } from '../../errors.ts';
import type { ProxySection } from '../../config/sections.ts';
import { isPlainHttpElsewhere } from '../../loopback.ts';
import type { HeadOffice } from '../../pipeline/agents/ports.ts';
import {
  helloAnswerSchema, PROTOCOL_PATH, refusalBodySchema, reportAnswerSchema, type HelloAnswer, type Refusal, type ReportAnswer, type ReportBatch,
} from '../../pipeline/agents/protocol.ts';
import { proxyAgent } from '../proxy-agent.ts';

/** A head office that does not answer within this long is taken as unreachable (a batch is at most MAX_BODY_BYTES). */
const DEFAULT_TIMEOUT_MS = 30_000;
/** The longest Retry-After honoured: a head office asking for more is asked again after this. */
const MAX_RETRY_AFTER_MS = 3_600_000;
/** How much of an answer's body is read when it is not the protocol's (an HTML error page, a captive portal). */
const MAX_ANSWER_CHARS = 64 * 1024;

/**
 * A head office's error: the AppError the port describes, plus what a sender acts on. `refusal` is
 * the head office's reason (a RefusalBody's `error`) when it gave one; `retryAfterMs` is its
 * Retry-After (429 rate-limited, 503 busy) in milliseconds; `status` the HTTP status, if any.
 */
/** Node's TLS verification codes (a self-signed, expired, or other name's certificate): the connection was made, its certificate refused. */
const CERTIFICATE_PROBLEM = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

export class HeadOfficeError extends AppError {
  readonly refusal: Refusal | undefined;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(kind: ErrorKind, message: Detail, o: { refusal?: Refusal; retryAfterMs?: number; status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(kind, 'head-office', message, { retryable: o.retryable ?? kind === 'unreachable', cause: o.cause });
    this.name = 'HeadOfficeError';
    this.refusal = o.refusal;
    this.retryAfterMs = o.retryAfterMs;
    this.status = o.status;
  }
}

export interface HeadOfficeClientOptions {
  /** The head office's tokobot (its WEB_URL): https, or http on a loopback address. */
  url: string;
  /** The store's agent token: sent in Authorization only, never in an error or a log line. */
  token: string;
  proxy?: ProxySection;
  timeoutMs?: number;
  /** For tests; the default is node-fetch, which can go through the proxy's agent. */
  fetch?: typeof fetch;
}

type Answer = { status: number; headers: { get(name: string): string | null }; text(): Promise<string> };
type Poster = (url: string, body: string, headers: Record<string, string>, signal: AbortSignal) => Promise<Answer>;

/** Seconds (or an HTTP date) of a Retry-After header, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : undefined;
}

const REFUSED: Partial<Record<Refusal, true>> = { 'bad-report': true, 'token-missing': true, 'token-unknown': true, 'token-revoked': true, 'wrong-store': true, 'too-large': true };

/** The error for an answer that is not a 2xx, from its status and (when it is one) its RefusalBody. */
function refusalError(status: number, body: string, retryAfter: number | undefined, host: string): HeadOfficeError {
  const en = `The head office (${host})`;
  const id = `Kantor pusat (${host})`;
  let parsed: z.infer<typeof refusalBodySchema> | undefined;
  try {
    const r = refusalBodySchema.safeParse(JSON.parse(body));
    if (r.success) parsed = r.data;
  } catch { /* not JSON: an HTML error page or a proxy's answer */ }
  const o = { status, refusal: parsed?.error, retryAfterMs: retryAfter };
  if (parsed && REFUSED[parsed.error]) {
    const issues = parsed.issues?.length ? ` (${parsed.issues.slice(0, 5).join('; ')})` : '';
    return new HeadOfficeError('refused', { en: `${en} refused: ${parsed.message.en}${issues}`, id: `${id} menolak: ${parsed.message.id}${issues}` }, o);
  }
  if (parsed || status === 429 || status >= 500) {
    const said = parsed ? `: ${parsed.message.en}` : '';
    const saidId = parsed ? `: ${parsed.message.id}` : '';
    return new HeadOfficeError('unreachable', { en: `${en} answered HTTP ${status}${said}; trying again later.`, id: `${id} menjawab HTTP ${status}${saidId}; dicoba lagi nanti.` }, o);
  }
  // 404 and other 4xx without a RefusalBody: the URL is not a head office's report API (or its ingest is off).
  return new HeadOfficeError('refused', {
    en: `${en} answered HTTP ${status}: check the head office's URL in agent.json, and that the head office runs with AGENT_INGEST=true and WEB_PORT.`,
    id: `${id} menjawab HTTP ${status}: periksa URL kantor pusat di agent.json, dan bahwa kantor pusat berjalan dengan AGENT_INGEST=true dan WEB_PORT.`,
  }, o);
}

/**
 * The head office's tokobot over HTTPS JSON (protocol.ts): the HeadOffice port. Every answer is
 * parsed with the protocol's schemas; every failure is a HeadOfficeError (see the port's contract).
 */
export class HttpHeadOffice implements HeadOffice {
  readonly #token: string;
  readonly #base: string;
  readonly #host: string;
  readonly #timeoutMs: number;
  readonly #post: Poster;

  constructor(o: HeadOfficeClientOptions) {
    if (isPlainHttpElsewhere(o.url)) {
      throw new AppError('config', 'head-office', {
        en: `The head office's URL ${new URL(o.url).origin} is plain http to another machine: the store's token would cross the network unencrypted. Use its https address.`,
        id: `URL kantor pusat ${new URL(o.url).origin} memakai http biasa ke komputer lain: token toko akan terkirim tanpa enkripsi. Pakai alamat https-nya.`,
      });
    }
    this.#token = o.token;
    this.#base = o.url.replace(/\/+$/, '') + PROTOCOL_PATH;
    this.#host = new URL(o.url).host;
    this.#timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#post = o.fetch ? viaFetch(o.fetch) : viaNodeFetch(o.proxy);
  }

  hello(signal?: AbortSignal): Promise<HelloAnswer> {
    return this.#call('hello', {}, helloAnswerSchema, signal);
  }

  send(batch: ReportBatch, signal?: AbortSignal): Promise<ReportAnswer> {
    return this.#call('reports', batch, reportAnswerSchema, signal);
  }

  async #call<T>(path: string, body: unknown, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${this.#token}` };
    let status: number;
    let text: string;
    let answer: Answer;
    try {
      answer = await this.#post(`${this.#base}/${path}`, JSON.stringify(body), headers, both);
      status = answer.status;
      text = (await answer.text()).slice(0, MAX_ANSWER_CHARS);
    } catch (err) {
      throw this.#failed(err, signal, timeout);
    }
    if (status < 200 || status > 299) throw refusalError(status, text, retryAfterMs(answer.headers.get('retry-after')), this.#host);
    let parsed: ReturnType<typeof schema.safeParse> | undefined;
    try {
      parsed = schema.safeParse(JSON.parse(text));
    } catch { /* not JSON */ }
    if (!parsed?.success) {
      throw new HeadOfficeError('unreachable', {
        en: `The head office (${this.#host}) gave an answer that is not tokobot's report API (HTTP ${status}): check the URL in agent.json; is a proxy or login page in the way?`,
        id: `Kantor pusat (${this.#host}) memberi jawaban yang bukan API laporan tokobot (HTTP ${status}): periksa URL di agent.json; adakah proxy atau halaman login yang menghalangi?`,
      }, { status });
    }
    return parsed.data;
  }

  /** A request that got no answer: stopped by the caller, timed out, or no connection. The cause keeps no header (no token). */
  #failed(err: unknown, signal: AbortSignal | undefined, timeout: AbortSignal): AppError {
    if (signal?.aborted) return new AppError('interrupted', 'head-office', { en: 'Sending to the head office was stopped.', id: 'Pengiriman ke kantor pusat dihentikan.' });
    if (timeout.aborted) {
      const s = Math.round(this.#timeoutMs / 1000);
      return new HeadOfficeError('unreachable', { en: `The head office (${this.#host}) did not answer within ${s} s.`, id: `Kantor pusat (${this.#host}) tidak menjawab dalam ${s} detik.` });
    }
    const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    const reason = code ?? (err instanceof Error ? err.message : String(err));
    if (code && CERTIFICATE_PROBLEM.test(code)) {
      return new HeadOfficeError('refused', {
        en: `The head office's https certificate (${this.#host}) is not trusted here: ${code}. Its address needs a certificate from a public authority (a reverse proxy such as Caddy gets one by itself), or this computer must be given the head office's own CA (NODE_EXTRA_CA_CERTS=file.pem); check this computer's date and time too.`,
        id: `Sertifikat https kantor pusat (${this.#host}) tidak dipercaya di sini: ${code}. Alamatnya perlu sertifikat dari otoritas publik (reverse proxy seperti Caddy mengurusnya sendiri), atau komputer ini diberi CA kantor pusat (NODE_EXTRA_CA_CERTS=file.pem); periksa juga tanggal dan jam komputer ini.`,
      });
    }
    return new HeadOfficeError('unreachable', {
      en: `Cannot reach the head office (${this.#host}): ${reason}. Is this computer online, and the URL right?`,
      id: `Tidak bisa menghubungi kantor pusat (${this.#host}): ${reason}. Apakah komputer ini terhubung ke internet, dan URL-nya benar?`,
    });
  }
}

function viaFetch(f: typeof fetch): Poster {
  return (url, body, headers, signal) => f(url, { method: 'POST', body, headers, signal, redirect: 'manual' });
}

/** node-fetch takes the proxy's http.Agent (the global fetch would need undici's dispatcher, which tokobot does not carry). */
function viaNodeFetch(proxy: ProxySection | undefined): Poster {
  return async (url, body, headers, signal) => {
    const agent = proxyAgent(url, proxy);
    // A redirect would carry the token elsewhere: the head office's API never redirects.
    return nodeFetch(url, { method: 'POST', body, headers, signal: signal as never, redirect: 'manual', ...(agent ? { agent } : {}) });
  };
}
