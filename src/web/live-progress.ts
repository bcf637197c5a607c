import { placeText } from '../i18n/destination-words.ts';
import { megabytes, number } from '../i18n/format-number.ts';
import type { DestinationPlace } from '../pipeline/backup/ports.ts';
import { t, type Lang, type TextKey } from '../i18n/text.ts';
import type { RunStart } from '../pipeline/runs/start-run.ts';

/** Which card a run belongs on: a sync on its store's, a backup on its job's. */
export type CardKind = 'store' | 'job';

/** How far a running sync or backup is: the stage tracker's last report (this process) or the run log's stage (another process). */
export interface LiveProgress {
  stage: string;
  /** Bytes (or items) done and expected, when the stage can tell. */
  done?: number;
  total?: number;
  rows?: number;
  /** Where an upload goes: in English, and as data. */
  destination?: string;
  place?: DestinationPlace;
}

export interface LiveRun extends LiveProgress {
  card: CardKind;
  id: string;
  /** False for a run of another tokobot process: only its stage is known here, and it cannot be cancelled from here. */
  here: boolean;
}

/** Starting and stopping runs from the dashboard: only where runs are made (tokobot start), never in `tokobot web` alone. */
export interface WebActions {
  start(card: CardKind, id: string, trigger: string): Promise<RunStart>;
  /** Stops this process's run (Runner.cancel): the stage it was in, or null when none runs here. */
  cancel(card: CardKind, id: string, by: string): { stage: string } | null;
}

/** Whole percent done, when the stage knows its total. */
export const percentOf = (p: LiveProgress): number | null => (p.total ? Math.min(100, Math.floor(((p.done ?? 0) / p.total) * 100)) : null);

/** A stage in the reader's words (sync and backup stages have their own; an unknown one is shown as named). */
export function stageText(lang: Lang, stage: string): string {
  const key = `webStage_${stage}`;
  return /^[a-z]+$/.test(stage) && key in STAGE_KEYS ? t(lang, key as TextKey) : stage;
}
const STAGE_KEYS = Object.fromEntries(['check', 'download', 'extract', 'inspect', 'restore', 'analyze', 'export', 'validate', 'publish',
  'dump', 'verify', 'encrypt', 'upload', 'prune'].map((s) => [`webStage_${s}`, true]));

/** "downloading 45% (1.2 / 2.7 MB)", "dumping 3.0 MB, 1200 rows": what a RUNNING card says, on the page and in /api/live. */
export function progressText(lang: Lang, p: LiveProgress): string {
  const pct = percentOf(p);
  const amount = pct !== null ? `${pct}% (${megabytes(p.done ?? 0, lang)} / ${megabytes(p.total ?? 0, lang)})` : p.done ? megabytes(p.done, lang) : '';
  const rows = p.rows ? t(lang, 'webRows', { rows: number(p.rows, lang) }) : '';
  return [`${stageText(lang, p.stage)}${p.destination ? ` → ${placeText(lang, { description: p.destination, place: p.place })}` : ''}`, [amount, rows].filter(Boolean).join(', ')].filter(Boolean).join(' ');
}
