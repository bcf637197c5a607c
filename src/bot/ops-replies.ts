import { isAppError } from '../errors.ts';
import { ownerMessage } from '../owner-messages.ts';
import type { StoreConfig } from '../config/load-config.ts';
import type { StoreStatus } from '../pipeline/status.ts';
import { examplesText } from '../pipeline/price-rules.ts';
import type { SyncProgress } from '../pipeline/sync/run-tracker.ts';
import type { CoreDeps, Who } from './context.ts';
import { t, type Lang } from '../i18n/text.ts';
import { formatTime } from '../i18n/format-time.ts';
import { freshnessWord, runWord } from '../i18n/status-words.ts';
import { progressEdits, type Reply } from './reply.ts';
import { jobLines, jobsSeverity } from './backup-replies.ts';
import { agentTextLines } from '../i18n/agent-words.ts';
import { agentTrouble } from '../pipeline/agents/agent-status.ts';

const hours = (h: number, lang: Lang) => (h < 48 ? `${h.toFixed(1).replace('.', ',')} ${lang === 'id' ? 'jam' : 'h'}` : `${(h / 24).toFixed(1).replace('.', ',')} ${lang === 'id' ? 'hari' : 'days'}`);

/** A store's times in its own zone (STORE_TZ, `zone`, unless the config file gives it another). */
const storeTime = (store: StoreConfig, lang: Lang, zone: string) => (d: Date) => formatTime(d, store.timeZone ?? zone, lang);

function statusLines(s: StoreStatus, lang: Lang, next: Date | null, time: (d: Date) => string): string[] {
  const id = lang === 'id';
  const lines = [`${s.name}: ${freshnessWord(s.freshness, lang)}`];
  if (s.newestBackup) {
    const a = s.newestBackup.archive as { dumpTime?: string; database?: string; pgDumpVersion?: string } | null;
    lines.push(`${id ? 'Backup terbaru' : 'Newest backup'}: ${s.newestBackup.file}, ${hours(s.newestBackup.ageHours, lang)}${id ? ' lalu' : ' ago'}`);
    const dumped = s.newestBackup.dumpedAt ? time(s.newestBackup.dumpedAt) : a?.dumpTime;
    if (dumped) lines.push(`  dump ${dumped} · ${a?.database ?? '?'} · pg_dump ${a?.pgDumpVersion ?? '?'}`);
  } else {
    lines.push(id ? 'Backup terbaru: belum ada' : 'Newest backup: none seen yet');
  }
  if (s.lastRun) lines.push(`${id ? 'Sync terakhir' : 'Last sync'}: ${runWord(s.lastRun.status, lang)}, ${time(s.lastRun.startedAt)}${s.lastRun.rows !== null ? `, ${s.lastRun.rows} ${id ? 'baris' : 'rows'}` : ''}`);
  if (s.lastFailure) lines.push(`${id ? 'Gagal terakhir' : 'Last failure'}: ${time(s.lastFailure.at)} (${s.lastFailure.stage}): ${s.lastFailure.error}`);
  if (next) lines.push(`${id ? 'Sync berikutnya' : 'Next sync'}: ${time(next)}`);
  return [...lines, ...priceRuleWarnings(s, lang)];
}

/** What the price rules left out or kept on an uncertain reading in the list in use (price-rules.ts). */
function priceRuleWarnings(s: StoreStatus, lang: Lang): string[] {
  const f = s.priceRules;
  const lines: string[] = [];
  if (f?.unknownSystem.items) lines.push(`⚠️ ${t(lang, 'unknownSystem', { n: f.unknownSystem.items, examples: examplesText(f.unknownSystem, 'sistemhargajual') })}`);
  if (f?.oddFlags.items) lines.push(`⚠️ ${t(lang, 'oddFlags', { n: f.oddFlags.items, examples: examplesText(f.oddFlags) })}`);
  return lines;
}

/** Who started a run, in the reader's words: the schedule, a new backup seen by the watch, the CLI, or a chat. */
function triggerWord(trigger: string, lang: Lang): string {
  if (lang === 'en') return trigger;
  if (trigger === 'watch') return 'backup baru';
  return trigger === 'schedule' ? 'terjadwal' : trigger.startsWith('chat:') ? `lewat chat ${trigger.slice(5)}` : trigger === 'cli' ? 'lewat CLI' : trigger;
}

export async function statusReply(deps: CoreDeps, who: Who): Promise<Reply> {
  const lines: string[] = [];
  let severity: Reply['severity'] = 'info';
  for (const store of deps.stores) {
    const s = await deps.status(store);
    if (s.freshness === 'FAILED' || s.freshness === 'CHECK') severity = 'error';
    else if ((s.freshness === 'ATTENTION' || priceRuleWarnings(s, who.lang).length) && severity === 'info') severity = 'warning';
    if (lines.length) lines.push('');
    lines.push(...statusLines(s, who.lang, deps.nextSync(store), storeTime(store, who.lang, deps.zone)));
  }
  if (who.access === 'admin' || who.access === 'owner') {
    const jobs = await deps.backups.states();
    if (jobs.length) {
      lines.push('', `${t(who.lang, 'backupsTitle')}:`, ...jobs.flatMap((s) => jobLines(s, { lang: who.lang, zone: deps.zone })));
      if (jobsSeverity(jobs) === 'error') severity = 'error';
    }
    const agents = (await deps.agents?.()) ?? [];
    if (agents.length) {
      lines.push('', `${t(who.lang, 'agentsTitle')}:`, ...agents.flatMap((a) => agentTextLines(a, who.lang)));
      const trouble = agents.map(agentTrouble);
      if (trouble.includes('error')) severity = 'error';
      else if (trouble.includes('warning') && severity === 'info') severity = 'warning';
    }
  }
  return { severity, title: 'Status', lines };
}

export async function historyReply(deps: CoreDeps, who: Who): Promise<Reply> {
  const runs = await deps.history(who.store.id, 10);
  if (!runs.length) return { severity: 'info', title: who.store.name, lines: [t(who.lang, 'noRuns')] };
  const time = storeTime(who.store, who.lang, deps.zone);
  return { severity: 'info', title: who.store.name, lines: runs.map((r) => `${time(r.startedAt)} ${runWord(r.status, who.lang)}${r.rowCount !== null ? ` ${r.rowCount}` : ''}`
    + `${r.sourceFile ? ` · ${r.sourceFile}` : ''}${r.error ? ` · ${r.stage}: ${r.error.slice(0, 120)}` : ''} (${triggerWord(r.trigger, who.lang)})`) };
}

function progressText(store: StoreConfig, p: SyncProgress, lang: Lang): string {
  const pct = p.total ? ` ${Math.floor(((p.done ?? 0) / p.total) * 100)}% (${((p.done ?? 0) / 1048576).toFixed(1)} / ${(p.total / 1048576).toFixed(1)} MB)` : '';
  return `${store.name}: ${p.stage}${pct}${p.text && !pct ? ` — ${p.text}` : ''}${lang === 'id' ? '…' : '…'}`;
}

/** /sync: one message, edited as the stages advance, ending with the result. */
export function syncReply(deps: CoreDeps, who: Who, store: StoreConfig): Reply {
  const running = deps.syncInProgress(store.id);
  if (running) return { severity: 'warning', title: store.name, lines: [t(who.lang, 'syncBusy', { store: store.name, stage: progressText(store, running, who.lang) })] };
  return {
    severity: 'info', title: store.name, lines: [t(who.lang, 'syncStarted', { store: store.name })],
    live: async (update) => {
      const onProgress = progressEdits<SyncProgress>(update, (p) => ({ severity: 'info', title: store.name, lines: [progressText(store, p, who.lang)] }));
      try {
        const o = await deps.runSync(store, `chat:${who.id}`, onProgress);
        if (o.status === 'success') return { severity: 'info', title: store.name, lines: [t(who.lang, 'syncDone', { store: store.name, rows: o.rows ?? 0, file: o.file ?? '' })] };
        if (o.status === 'no-change') return { severity: 'info', title: store.name, lines: [t(who.lang, 'syncSame', { store: store.name, file: o.file ?? '' })] };
        const headline = o.failure ? [ownerMessage(o.failure, who.lang)] : [];
        return { severity: 'error', title: store.name, lines: [...headline, t(who.lang, 'syncFailed', { store: store.name, stage: o.failedStage ?? '?', error: (who.lang === 'id' ? o.errorId : undefined) ?? o.error ?? '' })] };
      } catch (err) {
        if (isAppError(err) && err.kind === 'busy') return { severity: 'warning', title: store.name, lines: [t(who.lang, 'syncBusy', { store: store.name, stage: 'sync' })] };
        throw err;
      }
    },
  };
}

/** /export: the Excel workbook people open; `/export csv`: the CSV machines read. */
export async function exportReply(deps: CoreDeps, who: Who, args: string): Promise<Reply> {
  const format = args.trim().toLowerCase() === 'csv' ? 'csv' : 'xlsx';
  const found = await deps.latestExport(who.store.id, format, who.lang);
  if (!found) return { severity: 'warning', title: who.store.name, lines: [t(who.lang, 'noExport', { store: who.store.name })] };
  const caption = t(who.lang, 'exportCaption', { store: who.store.name, rows: found.rows })
    + (found.unsheeted ? ` ${t(who.lang, 'exportUnsheeted', { rows: found.unsheeted })}` : '');
  return { severity: 'info', title: who.store.name, lines: [caption], document: { path: found.path, filename: found.filename, caption } };
}
