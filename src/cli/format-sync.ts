import type { SyncOutcome } from '../pipeline/sync/sync-store.ts';
import type { SyncProgress } from '../pipeline/sync/run-tracker.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import type { PriceRuleFindings } from '../pipeline/price-rules.ts';
import { examplesText } from '../pipeline/price-rules.ts';
import { formatTime } from '../i18n/format-time.ts';
import { freshnessWord } from '../i18n/status-words.ts';
import { t, type Lang, type Locale } from '../i18n/text.ts';
import { megabytes } from '../i18n/format-number.ts';
import { agentTextLines } from '../i18n/agent-words.ts';
import type { AgentStatus } from '../pipeline/agents/agent-status.ts';


export function progressLine(store: string, p: SyncProgress, lang: Lang): string {
  if (p.total) return `[${store}] ${p.stage} ${Math.floor(((p.done ?? 0) / p.total) * 100)}% (${t(lang, 'syncProgressOf', { done: megabytes(p.done ?? 0, lang), total: megabytes(p.total, lang) })})`;
  return `[${store}] ${p.stage}${p.text ? `: ${p.text}` : ''}`;
}

/** What the price rules left out or kept on an uncertain reading, in the chat's words (price-rules.ts). */
function priceRuleLines(f: PriceRuleFindings, lang: Lang): string[] {
  const lines: string[] = [];
  if (f.unknownSystem.items) lines.push(t(lang, 'unknownSystem', { n: f.unknownSystem.items, examples: examplesText(f.unknownSystem, 'sistemhargajual') }));
  if (f.oddFlags.items) lines.push(t(lang, 'oddFlags', { n: f.oddFlags.items, examples: examplesText(f.oddFlags) }));
  return lines.map((text) => t(lang, 'warningLine', { text }));
}

export function outcomeLine(o: SyncOutcome, lang: Lang): string {
  if (o.status === 'no-change') return t(lang, 'syncNoNew', { store: o.store, file: o.file ?? '' });
  if (o.status === 'failed') return t(lang, 'syncFailedLine', { store: o.store, stage: o.failedStage ?? '?', error: (lang === 'id' ? o.errorId : undefined) ?? o.error ?? '' });
  const warnings = o.validation?.warningCount ? `, ${t(lang, 'syncWarnings', { n: o.validation.warningCount })}` : '';
  const rules = o.validation ? priceRuleLines(o.validation.priceRules, lang).map((line) => `\n  ${line}`).join('') : '';
  return `${t(lang, 'syncPublished', { store: o.store, rows: o.rows ?? 0, file: o.file ?? '' })}${warnings}${rules}`;
}

function age(hours: number, lang: Lang): string {
  return hours < 48 ? t(lang, 'hoursShort', { n: hours.toFixed(1) }) : t(lang, 'daysShort', { n: (hours / 24).toFixed(1) });
}

/** `tokobot status` for one store, its times in the store's zone (`locale.zone`). */
export function statusText(s: StoreStatus, { lang, zone }: Locale): string {
  const time = (d: Date) => formatTime(d, zone, lang);
  const lines = [`${s.name} (${s.store}): ${freshnessWord(s.freshness, lang)}`];
  lines.push(`  ${s.newestBackup ? t(lang, 'statusNewest', { file: s.newestBackup.file, age: age(s.newestBackup.ageHours, lang) }) : t(lang, 'statusNoBackup')}`);
  lines.push(`  ${s.lastSuccess ? t(lang, 'statusLastGood', { time: time(s.lastSuccess.at), rows: s.lastSuccess.rows, file: s.lastSuccess.file }) : t(lang, 'statusNeverGood')}`);
  if (s.lastFailure) lines.push(`  ${t(lang, 'statusLastFailure', { time: time(s.lastFailure.at), stage: s.lastFailure.stage ?? '?', error: s.lastFailure.error ?? '' })}`);
  if (s.priceRules) lines.push(...priceRuleLines(s.priceRules, lang).map((line) => `  ${line}`));
  return lines.join('\n');
}

/** `tokobot status`'s part about the shop agents that report here (none: nothing). */
export function agentsText(agents: AgentStatus[], lang: Lang): string {
  return agents.length ? [`${t(lang, 'agentsTitle')}:`, ...agents.flatMap((a) => agentTextLines(a, lang).map((line) => `  ${line}`))].join('\n') : '';
}
