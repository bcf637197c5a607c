import { Hono } from 'hono';
import { html } from 'hono/html';
import { AuditPage } from '../access-pages.tsx';
import { allowed, refuse, type WebDeps } from '../web-app.tsx';
import type { WebEnv } from '../web-env.ts';
import { pageViewer } from './overview.tsx';

/** A page of the trail: a screenful on a PC, quick to render on a phone. */
export const AUDIT_PAGE = 50;
/** `?before=` is an entry id: a positive serial, nothing else. */
const ENTRY_ID = /^[1-9]\d{0,11}$/;

/** /audit (owners only): the audit trail, newest first, paged with ?before=<id>. */
export function auditRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/audit', allowed('owner'), async (c) => {
    const before = c.req.query('before');
    if (before !== undefined && !ENTRY_ID.test(before)) return refuse(c, 400, 'webBadBefore');
    // One more than a page tells whether an older page exists.
    const entries = await deps.audit.list(AUDIT_PAGE + 1, before === undefined ? undefined : Number(before));
    const shown = entries.slice(0, AUDIT_PAGE);
    const older = entries.length > AUDIT_PAGE ? shown.at(-1)!.id : null;
    return c.html(html`<!doctype html>${<AuditPage viewer={pageViewer(c)} zone={deps.zone} entries={shown} older={older} paged={before !== undefined} />}`);
  });
  return app;
}
