import { decimal } from '../i18n/format-number.ts';
import type { Lang } from '../i18n/lang.ts';
import type { StageRecord } from '../store/run-history.ts';

/** How long a stage took, or null while it runs (stages come back from the run log as JSON: times are strings). */
export function stageMs(stage: StageRecord | undefined): number | null {
  if (!stage?.endedAt) return null;
  const ms = Date.parse(stage.endedAt) - Date.parse(stage.startedAt);
  return Number.isFinite(ms) ? ms : null;
}

/** "0,4 s" ("0.4 s" in English), "12 s", "3 m 05 s", "1 h 02 m": short enough for a phone's table cell. */
export function duration(ms: number, lang: Lang): string {
  const s = ms / 1000;
  if (s < 10) return `${decimal(s, lang)} s`;
  const whole = Math.round(s);
  if (whole < 60) return `${whole} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (whole < 3600) return `${Math.floor(whole / 60)} m ${pad(whole % 60)} s`;
  return `${Math.floor(whole / 3600)} h ${pad(Math.floor((whole % 3600) / 60))} m`;
}
