import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobConfig } from '../../config/jobs-from.ts';
import type { ProxySection } from '../../config/sections.ts';
import type { PingSummary, RunPings } from '../../pipeline/backup/ports.ts';
import { proxyAgent } from '../proxy-agent.ts';
import { pingRequest, type PingEvent, type PingRequest } from './ping-request.ts';

/** Healthchecks' own advice for ping clients is a timeout of about 10 s; a ping is tiny. */
const TIMEOUT_MS = 10_000;
/** A ping lost to one dropped packet is common; three tries ride that out without ever holding a process for long. */
const TRIES = 3;
/** Waited before the second try; twice that before the third. */
const BACKOFF_MS = 1_000;

export interface HttpPingsOptions {
  proxy?: ProxySection;
  logger: { warn: (obj: object, msg: string) => void };
  /** For tests: shorter waits. */
  timeoutMs?: number;
  tries?: number;
  backoffMs?: number;
}

/** Why one try failed, and whether another may help (no answer, a 5xx, 429) or not (404: no such check). */
class PingFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** One try: resolves when the monitor answered 2xx; the body is not read (monitors answer "OK" or a line of JSON). */
function once(request: PingRequest, proxy: ProxySection | undefined, timeoutMs: number): Promise<void> {
  const { url, method, body } = request;
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    const headers: Record<string, string | number> = { 'user-agent': 'tokobot' };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    // agent false: a connection of its own, closed after the answer (pings are rare; none is left open to keep a CLI alive).
    const req = send(url, { method, headers, agent: proxyAgent(url.href, proxy) ?? false }, (res) => {
      clearTimeout(timer);
      res.destroy();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else reject(new PingFailure(`HTTP ${status}`, status >= 500 || status === 429 || status === 408));
    });
    const timer = setTimeout(() => req.destroy(new PingFailure(`no answer within ${timeoutMs / 1000} s`, true)), timeoutMs);
    req.on('error', (err: Error & { code?: string }) => {
      clearTimeout(timer);
      // A network error's code (ECONNREFUSED…) says enough; its message never holds the URL's path, but is not needed either.
      reject(err instanceof PingFailure ? err : new PingFailure(err.code ?? err.message, true));
    });
    req.end(body);
  });
}

/**
 * The jobs' monitors over HTTP(S), through the configured proxy (HTTPS_PROXY, NO_PROXY) as
 * Telegram and Dropbox go: at most `tries` tries of at most `timeoutMs` each, a short wait between.
 * A ping that cannot get through is logged as a warning naming the monitor's host only.
 */
export class HttpPings implements RunPings {
  constructor(private readonly options: HttpPingsOptions) {}

  start(job: JobConfig, runId: string): Promise<void> {
    return this.send(job, runId, { kind: 'start', job: job.id });
  }

  success(job: JobConfig, runId: string, summary: PingSummary): Promise<void> {
    return this.send(job, runId, { kind: 'success', ...summary });
  }

  fail(job: JobConfig, runId: string, message: string): Promise<void> {
    return this.send(job, runId, { kind: 'fail', message });
  }

  private async send(job: JobConfig, runId: string, event: PingEvent): Promise<void> {
    if (!job.ping) return;
    const { timeoutMs = TIMEOUT_MS, tries = TRIES, backoffMs = BACKOFF_MS, proxy, logger } = this.options;
    let request: PingRequest | null;
    try {
      request = pingRequest(job.ping.style, job.ping.url, runId, event);
    } catch {
      request = null; // the config checked the URL; nothing to send otherwise
    }
    if (!request) return;
    let reason = '';
    for (let attempt = 1; attempt <= tries; attempt++) {
      try {
        await once(request, proxy, timeoutMs);
        return;
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
        if (!(err instanceof PingFailure && err.retryable) || attempt === tries) break;
        await sleep(backoffMs * attempt);
      }
    }
    logger.warn({ job: job.id, monitor: request.url.host, style: job.ping.style, ping: event.kind, reason },
      `could not ping the job's monitor at ${request.url.host}; the backup itself is not affected`);
  }
}
