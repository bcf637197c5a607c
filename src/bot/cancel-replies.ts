import type { CancelledRun, CoreDeps, Who } from './context.ts';
import { t, type Lang } from '../i18n/text.ts';
import { runWord } from '../i18n/status-words.ts';
import type { Reply } from './reply.ts';

const KIND = { sync: 'Sync', backup: 'Backup' } as const;

/** Who stopped a run, as its error records it: the name the chat gave (untrusted: one short line) and the chat id. */
function stoppedBy(who: Who): string {
  return `${who.name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 40)} (chat:${who.id})`;
}

/** What this process runs now, for /batal without a name. */
function runningNow(deps: CoreDeps): string[] {
  const syncs = deps.stores.flatMap((s) => { const p = deps.syncInProgress(s.id); return p ? [`${s.id} (sync, ${p.stage})`] : []; });
  const backups = deps.backups.jobs.flatMap((j) => { const p = deps.backups.progress(j.id); return p ? [`${j.id} (backup, ${p.stage})`] : []; });
  return [...syncs, ...backups];
}

async function ending(run: CancelledRun, lang: Lang): Promise<string> {
  const { status, error } = await run.ended;
  const params = { kind: KIND[run.kind], name: run.name };
  return status === 'failed' ? t(lang, 'cancelDone', { ...params, error: error ?? runWord(status, lang) }) : t(lang, 'cancelLate', params);
}

/** /batal NAME: stops the sync of the store and the backup of the job called NAME that this tokobot runs, then says how each ended. */
export function cancelReply(deps: CoreDeps, who: Who, args: string): Reply {
  const name = args.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!name) {
    const running = runningNow(deps);
    return { severity: 'info', lines: [running.length ? t(who.lang, 'cancelWhich', { list: running.join(', ') }) : t(who.lang, 'cancelIdle')] };
  }
  const runs = deps.cancelRuns(name, stoppedBy(who));
  if (!runs.length) return { severity: 'info', lines: [t(who.lang, 'cancelNone', { name })] };
  return {
    severity: 'warning',
    lines: runs.map((r) => t(who.lang, 'cancelling', { kind: KIND[r.kind], name: r.name, stage: r.stage })),
    live: async () => ({ severity: 'warning', lines: await Promise.all(runs.map((r) => ending(r, who.lang))) }),
  };
}
