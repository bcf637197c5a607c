import { z } from 'zod';
import { problem } from './config-issues.ts';

/** STORE_TZ's default: most shops keep WIB. */
export const STORE_ZONE = 'Asia/Jakarta';

/** True when `name` is a time zone this Node knows (IANA names such as Asia/Jakarta). */
function knownZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name; WIB, WITA and WIT are the shops' Asia/Jakarta, Asia/Makassar and Asia/Jayapura. */
export const timeZone = z.string().trim().refine(knownZone, { message: problem('timeZone') });
