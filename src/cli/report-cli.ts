import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderText } from '../bot/render-text.ts';
import { AppError } from '../errors.ts';
import { t } from '../i18n/text.ts';
import { onDemandReport } from '../main/reports.ts';
import type { DigestPeriod } from '../pipeline/reports/digest.ts';
import { cliLang, print, tell } from './print.ts';
import { withApp } from './with-app.ts';

const PERIODS: Record<string, DigestPeriod> = { day: 'day', hari: 'day', week: 'week', minggu: 'week' };

/** `tokobot report [day|week] [--pdf FILE]`: the report's text, and its PDF written to FILE when asked. */
export async function report(given: string | undefined, pdf: string | undefined): Promise<number> {
  const lang = cliLang();
  const period = PERIODS[(given || 'week').toLowerCase()];
  if (!period) throw new AppError('usage', 'tokobot', t(lang, 'reportPeriod', { given: given ?? '' }));
  return withApp(async (app) => {
    const message = await onDemandReport(app)(period, lang);
    print(renderText(message));
    if (!pdf) return 0;
    const file = message.files?.find((f) => f.type === 'application/pdf');
    if (!file) throw new AppError('usage', 'tokobot', t(lang, 'reportNoPdf'));
    await writeFile(path.resolve(pdf), Buffer.from(file.base64, 'base64'));
    tell(`${path.resolve(pdf)}\n`);
    return 0;
  });
}
