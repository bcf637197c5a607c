import type { SyncOutcome } from '../pipeline/sync/sync-store.ts';
import type { SyncProgress } from '../pipeline/sync/run-tracker.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import { priceRuleLines } from '../pipeline/validate-prices.ts';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function progressLine(store: string, p: SyncProgress): string {
  if (p.total) return `[${store}] ${p.stage} ${Math.floor(((p.done ?? 0) / p.total) * 100)}% (${mb(p.done ?? 0)} of ${mb(p.total)})`;
  return `[${store}] ${p.stage}${p.text ? `: ${p.text}` : ''}`;
}

export function outcomeLine(o: SyncOutcome): string {
  if (o.status === 'no-change') return `[${o.store}] no new backup (${o.file} is already published)`;
  if (o.status === 'failed') return `[${o.store}] sync failed during ${o.failedStage}: ${o.error}`;
  const warnings = o.validation?.warningCount ? `, ${o.validation.warningCount} warnings` : '';
  const rules = o.validation ? priceRuleLines(o.validation.priceRules).map((line) => `\n  warning: ${line}`).join('') : '';
  return `[${o.store}] published ${o.rows} price rows from ${o.file}${warnings}${rules}`;
}

function age(hours: number): string {
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

export function statusText(s: StoreStatus): string {
  const lines = [`${s.name} (${s.store}): ${s.freshness}`];
  lines.push(s.newestBackup
    ? `  newest backup: ${s.newestBackup.file}, ${age(s.newestBackup.ageHours)} old`
    : '  newest backup: none seen yet');
  lines.push(s.lastSuccess
    ? `  last successful sync: ${s.lastSuccess.at.toISOString()} (${s.lastSuccess.rows} rows from ${s.lastSuccess.file})`
    : '  last successful sync: never');
  if (s.lastFailure) lines.push(`  last failure: ${s.lastFailure.at.toISOString()} during ${s.lastFailure.stage}: ${s.lastFailure.error}`);
  if (s.priceRules) lines.push(...priceRuleLines(s.priceRules).map((line) => `  warning: ${line}`));
  return lines.join('\n');
}
