import { CHAT_TEXT } from './chat-text.ts';
import { CLI_HELP_TEXT } from './cli-help-text.ts';
import { CLI_TEXT } from './cli-text.ts';
import { CONFIG_TEXT } from './config-text.ts';
import { DOCTOR_TEXT } from './doctor-text.ts';
import { WEB_TEXT } from './web-text.ts';
import { WEB_ACCESS_TEXT } from './web-access-text.ts';
import { WEB_ALERTS_TEXT } from './web-alerts-text.ts';
import { WEB_STORE_TEXT } from './web-store-text.ts';
import { WEB_BACKUP_TEXT } from './web-backup-text.ts';
import { WEB_LIVE_TEXT } from './web-live-text.ts';
import { RETENTION_TEXT } from './retention-text.ts';
import { AGENT_TEXT, WEB_AGENT_TEXT } from './agent-text.ts';
import { AGENT_SETUP_TEXT } from './agent-setup-text.ts';
import { AGENT_INGEST_TEXT } from './agent-ingest-text.ts';
import { RESTORE_CHECK_TEXT } from './restore-check-text.ts';
import { CHANGE_TEXT } from './change-text.ts';
import { STOCK_TEXT } from './stock-text.ts';
import type { Lang } from './lang.ts';

export type { Lang, Locale } from './lang.ts';

/** A value put into a sentence; a list is a set of alternatives ("a, b or c"). */
export type TextParams = Record<string, string | number | readonly string[]>;

/** Two catalogues, each key in one of them only (a key in both does not compile). */
function joined<A extends object, B extends object>(a: A, b: B & { [K in keyof A]?: never }): A & B {
  return { ...a, ...b };
}

/** Every sentence tokobot says to a person, in Indonesian and English, for every front end (chat, CLI, config errors, the web dashboard). */
const TEXT = joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(joined(CHAT_TEXT, CONFIG_TEXT), CLI_HELP_TEXT), CLI_TEXT), DOCTOR_TEXT), WEB_TEXT), WEB_ACCESS_TEXT), WEB_ALERTS_TEXT), WEB_STORE_TEXT), WEB_BACKUP_TEXT), WEB_LIVE_TEXT), RETENTION_TEXT), AGENT_SETUP_TEXT), AGENT_TEXT), WEB_AGENT_TEXT), AGENT_INGEST_TEXT), RESTORE_CHECK_TEXT), CHANGE_TEXT), STOCK_TEXT);

export type TextKey = keyof typeof TEXT;

const OR: Record<Lang, string> = { id: 'atau', en: 'or' };

function shown(value: TextParams[string], lang: Lang): string {
  if (typeof value !== 'object') return String(value);
  return value.length < 2 ? value.join('') : `${value.slice(0, -1).join(', ')} ${OR[lang]} ${value.at(-1)}`;
}

/** The sentence `key` in `lang`, each {name} replaced by its param (left as {name} when none is given). */
export function t(lang: Lang, key: TextKey, params: TextParams = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (params[k] === undefined ? m : shown(params[k], lang)));
}

/** True when `key` names a sentence of the catalogue (config problems carry one through zod). */
export function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(TEXT, key);
}
