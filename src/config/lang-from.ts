import type { Lang } from '../i18n/lang.ts';

/** Where the locale names the language of messages, the first one set deciding (POSIX). */
const LOCALE_VARIABLES = ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const;

/**
 * The language tokobot speaks when it does not know the reader (the CLI, config errors, alerts
 * to recipients without a language, the terminal chat): TOKOBOT_LANG when it is id or en, else
 * English for an English locale (en, en_US.UTF-8…) and Indonesian for any other or none. Read
 * before the rest of the settings, so that their problems are told in it too; kept apart from
 * the settings' schema so that `tokobot --help` is told in it without loading zod.
 */
export function langFrom(source: NodeJS.ProcessEnv): Lang {
  const chosen = source.TOKOBOT_LANG?.trim().toLowerCase();
  if (chosen === 'id' || chosen === 'en') return chosen;
  const locale = LOCALE_VARIABLES.map((name) => source[name]?.trim()).find(Boolean) ?? '';
  return /^en([_.@-]|$)/i.test(locale) ? 'en' : 'id';
}
