import { z } from 'zod';
import { problem } from './config-issues.ts';

/** TOKOBOT_LANG: id or en, in any case (langFrom in lang-from.ts reads it, with the locale, before the rest). */
export const langSetting = z.string().trim().toLowerCase().pipe(z.enum(['id', 'en'], { message: problem('language') })).optional();
