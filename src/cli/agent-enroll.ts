import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { HeadOfficeError, HttpHeadOffice } from '../adapters/head-office/head-office-client.ts';
import { agentConfigPath } from '../config/agent-config.ts';
import { agentFileSchema } from '../config/agent-file-schema.ts';
import { readAgentFileIfAny, writeAgentFile } from '../config/agent-file-io.ts';
import { enrolledAgentFile, IPOS_JOB_ID } from '../config/agent-enrolment.ts';
import { problemLine } from '../config/config-issues.ts';
import { validCron } from '../config/cron-text.ts';
import { someSettings } from '../config/load-config.ts';
import { proxySection } from '../config/sections.ts';
import { urlProblem } from '../config/url-setting.ts';
import { AppError, errorDetail, isAppError, type Detail } from '../errors.ts';
import { t, type Lang, type TextKey, type TextParams } from '../i18n/text.ts';
import { isLoopbackHost } from '../loopback.ts';
import type { HelloAnswer, Refusal } from '../pipeline/agents/protocol.ts';
import { splitPassword } from '../adapters/postgres/pg-dump.ts';
import { formatEnrolment } from './format-enrolment.ts';
import { cliIo, cliLang, print } from './print.ts';

export interface EnrolOptions {
  iposUrl?: string;
  schedule?: string;
  dir?: string;
  json: boolean;
}

/** Refusals a new token fixes: the head office does not know the token, or it was revoked. */
export const isTokenRefusal = (refusal: Refusal | undefined) => refusal === 'token-missing' || refusal === 'token-unknown' || refusal === 'token-revoked';

const usage = (lang: Lang, key: TextKey, params: TextParams = {}) => new AppError('usage', 'tokobot', t(lang, key, params));

/** The sentence `key` in both languages, for an AppError; `params` per language (a detail quoted in each). */
const inBoth = (key: TextKey, params: (lang: Lang) => TextParams = () => ({})): Detail => ({ en: t('en', key, params('en')), id: t('id', key, params('id')) });

/** An error's detail in `lang`, whatever it is. */
const detailIn = (err: unknown, lang: Lang) => (isAppError(err) ? errorDetail(err, lang) : String(err));

/**
 * The head office's address as the agent file keeps it (no trailing slash), or a usage error
 * saying what is wrong: https, or plain http only to this computer (the token would otherwise cross
 * the network in the clear); no credentials, query or fragment.
 */
export function headOfficeUrl(text: string, lang: Lang): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw usage(lang, 'enrollUrlForm', { url: text });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw usage(lang, 'enrollUrlScheme', { scheme: u.protocol });
  if (u.username || u.password || u.search || u.hash) throw usage(lang, 'enrollUrlExtra');
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) throw usage(lang, 'enrollPlainHttp', { host: u.host });
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** What is given, checked before the head office is asked: nothing is sent or written for a typo. */
function checkChoices(token: string, options: EnrolOptions, lang: Lang): void {
  if (token.length < 20 || token.length > 200 || /\s/.test(token)) throw usage(lang, 'enrollTokenForm');
  if (options.schedule !== undefined && !validCron(options.schedule)) throw usage(lang, 'enrollCron', { value: options.schedule });
  const problem = options.iposUrl === undefined ? null : urlProblem(options.iposUrl, ['postgres', 'postgresql'], 'postgres://user:password@127.0.0.1:5432/database');
  if (problem) throw new AppError('usage', 'tokobot', problemLine('--ipos-url', problem, lang));
}

/** The head office's hello, or why not in words that say what to do (and that nothing was written). */
async function hello(url: string, token: string): Promise<HelloAnswer> {
  const proxy = proxySection(someSettings(cliIo().env, ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']));
  try {
    return await new HttpHeadOffice({ url, token, proxy, timeoutMs: 20_000 }).hello();
  } catch (err) {
    if (!isAppError(err)) throw err;
    const key = err.kind === 'unreachable' ? 'enrollUnreachable'
      : err instanceof HeadOfficeError && isTokenRefusal(err.refusal) ? 'enrollTokenRefused' : 'enrollRefused';
    throw new AppError(err.kind, 'head-office', inBoth(key, (lang) => ({ said: errorDetail(err, lang) })), { cause: err });
  }
}

/** `tokobot agent enroll URL TOKEN`: asks the head office, then writes the agent file (0600); exit code 0 once written. */
export async function enrollCommand(urlText: string, tokenText: string, options: EnrolOptions): Promise<number> {
  const lang = cliLang();
  const url = headOfficeUrl(urlText, lang);
  const token = tokenText.trim();
  checkChoices(token, options, lang);
  const { file } = agentConfigPath(cliIo().env);
  const zone = someSettings(cliIo().env, ['STORE_TZ']).STORE_TZ;
  const existing = await readAgentFileIfAny(file, lang).catch((err: unknown) => {
    throw new AppError('config', 'tokobot', inBoth('enrollExisting', (lang) => ({ file, why: detailIn(err, lang) })), { cause: err });
  });
  const answer = await hello(url, token);
  const dir = options.dir === undefined ? undefined : path.resolve(options.dir);
  const enrolled = enrolledAgentFile(existing, answer, { url, token, iposUrl: options.iposUrl?.trim(), schedule: options.schedule?.trim(), dir, newInstance: randomUUID() });
  if (!enrolled) throw new AppError('usage', 'tokobot', inBoth('enrollNoDestination', () => ({ store: answer.store.id })));
  const parsed = agentFileSchema.safeParse(enrolled.file);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('refused', 'head-office', inBoth('enrollInvalid', () => ({ why })));
  }
  await writeAgentFile(file, parsed.data);
  const job = parsed.data.jobs.find((j) => j.id === IPOS_JOB_ID)!;
  const summary = {
    file, url, store: answer.store, zone, instance: parsed.data.headOffice.instance, instanceKept: enrolled.instanceKept,
    job: { id: job.id, schedule: job.schedule ?? null, ...(job.url ? { database: splitPassword(job.url).where } : { urlEnv: job.urlEnv }), destinations: job.destinations },
    otherJobs: parsed.data.jobs.filter((j) => j.id !== IPOS_JOB_ID).map((j) => j.id),
  };
  if (options.json) print(JSON.stringify(summary, null, 2));
  else print(formatEnrolment(summary, lang));
  return 0;
}
