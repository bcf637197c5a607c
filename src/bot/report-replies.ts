import { t } from '../i18n/text.ts';
import type { DigestPeriod } from '../pipeline/reports/digest.ts';
import type { CoreDeps, Who } from './context.ts';
import type { Reply } from './reply.ts';

/** The words /report takes for its period, in both languages; nothing is the week. */
const PERIODS: Record<string, DigestPeriod> = { '': 'week', week: 'week', minggu: 'week', pekan: 'week', day: 'day', hari: 'day', harian: 'day', mingguan: 'week' };

/** /report [day|week]: the report of the last 24 hours or 7 days up to now, its chart and PDF with it, in the asker's language. */
export async function reportReply(deps: Pick<CoreDeps, 'report'>, who: Pick<Who, 'lang'>, args: string): Promise<Reply> {
  const period = PERIODS[args.trim().toLowerCase()];
  if (!period) return { severity: 'warning', lines: [t(who.lang, 'reportUsage')] };
  if (!deps.report) return { severity: 'warning', lines: [t(who.lang, 'reportOff')] };
  return deps.report(period, who.lang);
}
