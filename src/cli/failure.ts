import { randomBytes } from 'node:crypto';
import { errorDetail, isAppError, type AppError } from '../errors.ts';
import type { Lang } from '../i18n/lang.ts';
import { t } from '../i18n/text.ts';
import { ownerMessage, ownerWhat } from '../owner-messages.ts';
import { isVerbose, logUnexpected } from './cli-log.ts';
import { cliLang, tell } from './print.ts';

/** Causes are followed this deep, in case an error's cause leads back to it. */
const MAX_CAUSES = 10;

/** An error's stack, then each cause's ("caused by: …"). */
function stackWithCauses(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && depth < MAX_CAUSES; depth++) {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    parts.push(depth ? `caused by: ${text}` : text);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}

/**
 * An expected failure in one line: what is wrong (the headline's first sentence), then why and
 * what to do (the error's message). A usage error is its message only. A message of several
 * lines (the settings' problems, one per line) follows the headline indented, a line each.
 */
function failureLine(err: AppError, lang: Lang): string {
  const [first = '', ...more] = errorDetail(err, lang).split('\n');
  const what = err.kind === 'usage' ? '' : `${ownerWhat(err, lang)}: `;
  if (!more.length) return `tokobot: ${what}${first}`;
  return `tokobot: ${what.trimEnd()}\n${[first, ...more].map((line) => `  ${line}`).join('\n')}`;
}

/**
 * What runCli prints for a failure, and its exit code: 2 for settings and usage, 1 for the rest.
 * An expected failure (an AppError) is failureLine(); --verbose adds the full headline and the
 * stack with its causes. Anything else is a bug: one line with a reference, the detail in the
 * log under the same reference (cli-log.ts says where).
 */
export function reportFailure(err: unknown, command: string): number {
  const lang = cliLang();
  if (isAppError(err)) {
    tell(`${failureLine(err, lang)}\n`);
    if (isVerbose()) tell(`${ownerMessage(err, lang)}\n${stackWithCauses(err)}\n`);
    return err.kind === 'config' || err.kind === 'usage' ? 2 : 1;
  }
  const ref = randomBytes(4).toString('hex');
  const file = logUnexpected(err, ref, command);
  tell(`tokobot: ${t(lang, 'cliUnexpected', { ref, where: file ?? t(lang, 'cliLogOnStderr') })}\n`);
  if (file && isVerbose()) tell(`${stackWithCauses(err)}\n`);
  return 1;
}
