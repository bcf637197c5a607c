import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError, errorDetail, isAppError } from '../errors.ts';
import { t, type Lang } from '../i18n/text.ts';
import { freeSpace } from '../pipeline/sync/work-files.ts';

/** What `tokobot doctor` found about one thing it checked, on a head office or on a shop agent. */
export interface Finding {
  what: string;
  /** fail: tokobot cannot work until it is fixed; warn: a part is off or not set up yet. */
  level: 'ok' | 'warn' | 'fail';
  text: string;
}

/** A check's outcome: ok with this text, or a finding of its own level. */
export type CheckResult = string | Omit<Finding, 'what'>;

const MB = 1024 * 1024;
/** The longest one check may take: a system that has not answered by then is reported as not answering. */
const CHECK_MS = 20_000;

function within<T>(ms: number, work: Promise<T>, lang: Lang): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(t(lang, 'noAnswerWithin', { seconds: ms / 1000 }))), ms); });
  return Promise.race([work, late]).finally(() => clearTimeout(timer)) as Promise<T>;
}

/** A failed check's text: an AppError's detail in the reader's language, anything else as it is. */
export const said = (err: unknown, lang: Lang) => (isAppError(err) ? errorDetail(err, lang) : describeError(err));

/** Runs one check within CHECK_MS; a rejection is a failed finding with its reason. */
export async function check(what: string, work: () => Promise<CheckResult>, lang: Lang): Promise<Finding> {
  try {
    const r = await within(CHECK_MS, work(), lang);
    return typeof r === 'string' ? { what, level: 'ok', text: r } : { what, ...r };
  } catch (err) {
    return { what, level: 'fail', text: said(err, lang) };
  }
}

/** `dir`, or the nearest folder above it that exists (what a folder made later will be on). */
export async function nearestDir(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((await stat(d).catch(() => null))?.isDirectory() || d === path.dirname(d)) return d;
  }
}

/** The free space under `dir` against the DISK_MIN_FREE_MB floor. */
export async function diskCheck(dir: string, minFreeBytes: number, lang: Lang): Promise<string> {
  const free = await freeSpace(await nearestDir(dir));
  const text = t(lang, 'diskFree', { mb: Math.floor(free / MB), dir });
  if (free < minFreeBytes) throw new Error(t(lang, 'diskLow', { text, min: minFreeBytes / MB }));
  return text;
}

export function renderFindings(findings: Finding[]): string {
  const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
  return findings.map((f) => `${mark[f.level]} ${f.what}: ${f.text.replace(/\n/g, '\n    ')}`).join('\n');
}
