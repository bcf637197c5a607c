import type { z } from 'zod';
import { AppError } from '../errors.ts';
import type { CONFIG_TEXT } from '../i18n/config-text.ts';
import type { Lang } from '../i18n/lang.ts';
import { isTextKey, t, type TextKey, type TextParams } from '../i18n/text.ts';

type ConfigTextKey = keyof typeof CONFIG_TEXT;

/** A problem with a setting, as a catalogue sentence: said in the reader's language when the lines are made. */
export interface Problem {
  key: ConfigTextKey;
  params?: TextParams;
}

/**
 * A schema's message: the key of its catalogue sentence (checked when compiled). zod carries it
 * as the issue's message; issueLines() says it in the reader's language.
 */
export const problem = (key: ConfigTextKey): string => key;

const TYPE: Partial<Record<string, TextKey>> = {
  string: 'typeText', number: 'typeNumber', int: 'typeWhole', boolean: 'typeBoolean', array: 'typeList', object: 'typeSection',
};

/**
 * zod's own findings (a wrong type, a value not in the list, too small…) in `lang`, for settings
 * whose schema gives no message of its own. The input is never quoted: it may be a secret.
 */
function zodText(lang: Lang): z.core.$ZodErrorMap {
  return (iss) => {
    switch (iss.code) {
      case 'invalid_type': {
        if (iss.input === undefined) return t(lang, 'required');
        const type = TYPE[iss.expected];
        return t(lang, 'expectedType', { type: type ? t(lang, type) : iss.expected });
      }
      case 'invalid_value': return t(lang, 'oneOf', { values: iss.values.map(String) });
      case 'too_small': {
        const min = String(iss.minimum);
        if (iss.origin === 'string') return min === '1' ? t(lang, 'notEmpty') : t(lang, 'minChars', { min });
        if (iss.origin === 'array' || iss.origin === 'set') return t(lang, 'minEntries', { min });
        return t(lang, iss.inclusive ? 'atLeast' : 'moreThan', { min });
      }
      case 'too_big': {
        const max = String(iss.maximum);
        if (iss.origin === 'string') return t(lang, 'maxChars', { max });
        if (iss.origin === 'array' || iss.origin === 'set') return t(lang, 'maxEntries', { max });
        return t(lang, iss.inclusive ? 'atMost' : 'lessThan', { max });
      }
      case 'unrecognized_keys': return t(lang, 'unknownFields', { keys: iss.keys.join(', ') });
      case 'invalid_format': return t(lang, 'badForm');
      default: return t(lang, 'notValid');
    }
  };
}

/** The lines of `error`, each "where: what" in `lang`. */
function issueLines(error: z.ZodError, lang: Lang, where: (path: PropertyKey[]) => string): string[] {
  return error.issues.map((i) => {
    const params = i.code === 'custom' ? (i.params as TextParams | undefined) : undefined;
    return `${where(i.path)}: ${isTextKey(i.message) ? t(lang, i.message, params) : i.message}`;
  });
}

/**
 * `data` checked by `schema`; otherwise a config error whose lines name each variable or field
 * (`where`) and say what is wrong in `lang`.
 */
export function parseSettings<T extends z.ZodType>(schema: T, data: unknown, lang: Lang, where: (path: PropertyKey[]) => string): z.output<T> {
  const parsed = schema.safeParse(data, { error: zodText(lang) });
  if (!parsed.success) throw new AppError('config', 'tokobot', issueLines(parsed.error, lang, where).join('\n'));
  return parsed.data;
}

/** One problem line: the variable or field, then the sentence in `lang`. */
export const problemLine = (where: string, p: Problem, lang: Lang): string => `${where}: ${t(lang, p.key, p.params)}`;
