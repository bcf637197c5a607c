import type { PingStyle } from '../../config/jobs-from.ts';

/** What one ping says: the run began, ended well (with its summary and length) or failed (why). */
export type PingEvent =
  | { kind: 'start'; job: string }
  | { kind: 'success'; text: string; durationMs: number }
  | { kind: 'fail'; message: string };

/** One HTTP request to a monitor. */
export interface PingRequest {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
}

/**
 * Healthchecks keeps the first 100 KB of a ping's body; a run's summary or error is far shorter,
 * and 10 KB keeps a pathological message (a tool's whole stderr) from costing the upload.
 */
export const MAX_BODY_BYTES = 10 * 1024;

/** Uptime Kuma shows `msg` on one line of its heartbeat list, and a URL must stay far under servers' 8 KB request-line limit. */
export const MAX_KUMA_MSG_CHARS = 500;

/** `text` cut to at most `maxBytes` of UTF-8, never inside a character, marked with … when cut. */
export function boundedBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return `${bytes.subarray(0, maxBytes - 3).toString('utf8').replace(/\uFFFD+$/, '')}…`;
}

/**
 * Healthchecks' pinging API (https://healthchecks.io/docs/http_api/): `<url>/start`, `<url>`,
 * `<url>/fail`, each with `rid` = the run's UUID so that start and end pair up when runs overlap,
 * POSTed with a text body the check's log shows. A query the URL already has (?create=1) is kept.
 */
function healthchecks(base: string, runId: string, event: PingEvent): PingRequest {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = event.kind === 'success' ? path : `${path}/${event.kind}`;
  url.searchParams.set('rid', runId);
  const text = event.kind === 'start' ? `tokobot: backup ${event.job} started` : event.kind === 'success' ? event.text : event.message;
  return { method: 'POST', url, body: boundedBytes(text, MAX_BODY_BYTES) };
}

/**
 * Uptime Kuma's push monitor (GET /api/push/<key>?status=up|down&msg=…&ping=<ms>): it knows no
 * start, only up and down, and goes down by itself when no push came within its heartbeat
 * interval. The URL may be pasted as Kuma shows it (with ?status=up&msg=OK&ping=): those are replaced.
 */
function uptimeKuma(base: string, event: PingEvent): PingRequest | null {
  if (event.kind === 'start') return null;
  const url = new URL(base);
  if (event.kind === 'success') {
    url.searchParams.set('status', 'up');
    url.searchParams.set('msg', 'OK');
    url.searchParams.set('ping', String(Math.max(0, Math.round(event.durationMs))));
  } else {
    const msg = event.message.length > MAX_KUMA_MSG_CHARS ? `${event.message.slice(0, MAX_KUMA_MSG_CHARS - 1)}…` : event.message;
    url.searchParams.set('status', 'down');
    url.searchParams.set('msg', msg);
    url.searchParams.delete('ping');
  }
  return { method: 'GET', url };
}

/** The request `style` makes of `event`, or null when that monitor is not told of it. */
export function pingRequest(style: PingStyle, base: string, runId: string, event: PingEvent): PingRequest | null {
  return style === 'uptime-kuma' ? uptimeKuma(base, event) : healthchecks(base, runId, event);
}
