import type { AgentJobStatus, AgentStatus } from '../pipeline/agents/agent-status.ts';
import { SKEW_SHOWN_MS } from '../pipeline/agents/agent-status.ts';
import { formatTime } from './format-time.ts';
import { decimal, number, size } from './format-number.ts';
import type { Lang } from './lang.ts';
import { runWord } from './status-words.ts';
import { t } from './text.ts';

const MIN = 60_000;
const GB = 1024 ** 3;

/** A span as a person says it: "kurang dari 1 menit", "12 menit", "5 jam", "3 hari" (minutes under two hours, hours under two days). */
export function spanText(ms: number, lang: Lang): string {
  const minutes = Math.floor(ms / MIN);
  if (minutes < 1) return t(lang, 'agentUnderMinute');
  if (minutes < 120) return t(lang, 'agentMinutes', { n: number(minutes, lang) });
  if (minutes < 48 * 60) return t(lang, 'agentHours', { n: number(Math.floor(minutes / 60), lang) });
  return t(lang, 'agentDays', { n: number(Math.floor(minutes / 1440), lang) });
}

/** Bytes as the reader's language writes them, in GB from a gigabyte on (a disk's free space). */
export const bytesText = (bytes: number, lang: Lang): string => (bytes >= GB ? `${decimal(bytes / GB, lang)} GB` : size(bytes, lang));

/** One line of what is known of an agent: `warn` when it needs looking at (the front end marks it). */
export interface AgentLine { text: string; warn: boolean }

/** The agent's own facts, after its head line: heartbeat, disk, clock, outbox (each only when worth saying). */
export function agentFactLines(a: AgentStatus, lang: Lang): AgentLine[] {
  const time = (d: Date) => formatTime(d, a.zone, lang);
  const lines: AgentLine[] = [];
  lines.push(a.beatAt ? { text: t(lang, 'agentBeat', { age: spanText(a.beatAgeMs ?? 0, lang), time: time(a.beatAt) }), warn: false }
    : { text: t(lang, 'agentNeverBeat'), warn: true });
  if (a.silent) lines.push({ text: t(lang, 'agentSilent', { minutes: number(Math.round(a.silentMs / MIN), lang) }), warn: true });
  for (const d of a.disk) {
    const low = a.diskMinFreeBytes > 0 && d.freeBytes < a.diskMinFreeBytes;
    const text = t(lang, 'agentDisk', { free: bytesText(d.freeBytes, lang), dir: d.dir });
    lines.push({ text: low ? `${text} — ${t(lang, 'agentDiskLow', { min: bytesText(a.diskMinFreeBytes, lang) })}` : text, warn: low });
  }
  if (Math.abs(a.skewMs) > SKEW_SHOWN_MS) lines.push({ text: t(lang, 'agentSkew', { skew: `${a.skewMs > 0 ? '+' : '−'}${spanText(Math.abs(a.skewMs), lang)}` }), warn: false });
  if (a.outboxPending > 0) lines.push({ text: t(lang, 'agentOutbox', { n: number(a.outboxPending, lang) }), warn: false });
  if (!a.configured) lines.push({ text: t(lang, 'agentNotConfigured'), warn: true });
  return lines;
}

/** A job's last run (status, time in the store's zone, file, size) and, when that one was not good, its last good run. */
export function agentJobLines(j: AgentJobStatus, zone: string, lang: Lang): AgentLine[] {
  const time = (d: Date) => formatTime(d, zone, lang);
  if (!j.last) return [{ text: t(lang, 'agentJobNever', { job: j.id }), warn: false }];
  const ok = j.last.status === 'success';
  const status = ok ? 'OK' : runWord(j.last.status, lang).toUpperCase();
  const at = { job: j.id, status, time: time(j.last.startedAt) };
  // A run that made no file says why (its error), else which file and how large.
  const text = j.last.fileName ? t(lang, 'agentJobLast', { ...at, file: j.last.fileName, size: j.last.bytes !== null ? bytesText(j.last.bytes, lang) : '-' })
    : t(lang, 'agentJobNoFile', { ...at, error: j.last.error ? j.last.error.slice(0, 200) : '-' });
  const lines = [{ text, warn: j.last.status === 'failed' }];
  if (!ok) {
    lines.push({ text: j.lastGood ? t(lang, 'agentJobGood', { time: time(j.lastGood.startedAt), file: j.lastGood.fileName ?? '-' }) : t(lang, 'agentJobNoGood'), warn: false });
  }
  return lines;
}

/** An agent as plain text lines (chat, terminal): its head line, facts and jobs indented under it. */
export function agentTextLines(a: AgentStatus, lang: Lang): string[] {
  const mark = (l: AgentLine) => `${l.warn ? '⚠️ ' : ''}${l.text}`;
  return [
    t(lang, 'agentHead', { name: a.name, store: a.store, host: a.host, version: a.version }),
    ...agentFactLines(a, lang).map((l) => `  ${mark(l)}`),
    ...a.jobs.flatMap((j) => agentJobLines(j, a.zone, lang).map((l, i) => `  ${i ? '  ' : ''}${mark(l)}`)),
  ];
}
