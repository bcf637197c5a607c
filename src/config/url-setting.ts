import { z } from 'zod';
import type { Problem } from './config-issues.ts';

/**
 * Why `text` is not a URL of one of `schemes` with a host, or null when it is. `new URL` alone
 * accepts "dbserver:5432" (scheme "dbserver:") and "postgres:///x" (no host); either would
 * silently point tokobot at another server, so both are refused with the form expected. The
 * text itself is never quoted back: it may hold a password.
 */
export function urlProblem(text: string, schemes: string[], example: string): Problem | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { key: 'urlForm', params: { example } };
  }
  if (!schemes.includes(url.protocol.slice(0, -1).toLowerCase())) {
    return { key: 'urlScheme', params: { schemes: schemes.map((s) => `${s}://`), example } };
  }
  if (!url.hostname) return { key: 'urlHost', params: { example } };
  return null;
}

/** An optional environment setting that must be a URL of one of `schemes` with a host. */
export function urlSetting(schemes: string[], example: string) {
  return z.string().trim().min(1).optional().superRefine((text, ctx) => {
    const problem = text === undefined ? null : urlProblem(text, schemes, example);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.key, params: problem.params });
  });
}
