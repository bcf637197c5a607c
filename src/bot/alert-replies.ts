import { alertTime, alertTitle } from '../pipeline/alerts/alert-messages.ts';
import { MAX_MUTE_HOURS } from '../pipeline/alerts/alert-types.ts';
import type { CoreDeps, Who } from './context.ts';
import { localTimes } from '../i18n/format-time.ts';
import type { Reply } from './reply.ts';

/**
 * /alerts: the open alerts and the channels' state; `/alerts mute KEY|all HOURS` silences
 * reminders; `/alerts test` sends a test through every channel and reports each attempt.
 */
export async function alertsReply(deps: CoreDeps, who: Who, args: string): Promise<Reply> {
  const id = who.lang === 'id';
  const reader = { lang: who.lang, zone: deps.zone };
  const [verb, target, hoursText] = args.split(/\s+/).filter(Boolean);
  if (verb === 'test') {
    return { severity: 'info', title: id ? 'Tes peringatan' : 'Test alert', lines: await deps.alerts.test() };
  }
  if (verb === 'mute') {
    const hours = Number(hoursText ?? 'NaN');
    if (!target || !Number.isFinite(hours) || hours <= 0 || hours > MAX_MUTE_HOURS) {
      return { severity: 'warning', lines: [id ? 'Pakai: /alerts mute KUNCI|all JAM, mis. /alerts mute all 4' : 'Use: /alerts mute KEY|all HOURS, e.g. /alerts mute all 4'] };
    }
    const n = await deps.alerts.mute(target === 'all' ? null : target, hours);
    return { severity: n ? 'info' : 'warning', lines: [n
      ? (id ? `${n} peringatan dibisukan ${hours} jam (pengingat saja; kabar "pulih" tetap dikirim).` : `${n} alert(s) muted for ${hours} h (reminders only; "resolved" is still sent).`)
      : (id ? `Tidak ada peringatan terbuka "${target}".` : `No open alert "${target}".`)] };
  }
  const open = await deps.alerts.open();
  const lines = open.length
    ? open.map((a) => `${a.severity === 'critical' ? '❗' : '⚠️'} ${alertTitle(a, reader)} — ${id ? 'sejak' : 'since'} ${alertTime(a, a.openedAt, reader)}` +
      `${a.mutedUntil && a.mutedUntil > new Date() ? ` (${id ? 'bisu sampai' : 'muted until'} ${alertTime(a, a.mutedUntil, reader)})` : ''} [${a.key}]`)
    : [id ? 'Tidak ada peringatan terbuka.' : 'No open alerts.'];
  lines.push('', ...deps.alerts.channels().map((c) => `${c.channel}: ${localTimes(c.text, reader.zone, reader.lang)}`));
  return { severity: open.some((a) => a.severity === 'critical') ? 'error' : open.length ? 'warning' : 'info', title: id ? 'Peringatan' : 'Alerts', lines };
}
