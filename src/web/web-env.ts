import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../config/sections.ts';
import type { Lang } from '../i18n/lang.ts';

/** Who is asking: a signed-in person (session cookie) or an integration (API token, acting for the owner who made it). */
export interface Viewer {
  userId: number;
  role: Role;
  via: 'session' | 'token';
  /** The CSRF token forms of this session carry; '' for API tokens (they send no cookies, so nothing can be forged). */
  csrf: string;
}

/** What the middleware of web-app.tsx puts on every request's context. */
export interface WebEnv {
  Variables: {
    viewer: Viewer | null;
    lang: Lang;
    /** The client's address as seen here, for the audit trail and the sessions list. */
    from: string;
  };
}

export type WebContext = Context<WebEnv>;

const RANK: Record<Role, number> = { staff: 0, admin: 1, owner: 2 };

/** True when `role` is at least `min` (staff < admin < owner). */
export const atLeast = (role: Role, min: Role) => RANK[role] >= RANK[min];

/** The signed-in viewer; only for routes behind `need` (web-app.tsx), where there always is one. */
export const viewerOf = (c: WebContext): Viewer => c.get('viewer') as Viewer;

/**
 * Lets the request through only for a viewer of at least `min`: otherwise 401 (not signed in) or
 * 403, as a page or as JSON for /api. What a role may not use is never rendered either; this is the
 * guard for a URL typed or a form forged.
 */
export function need(min: Role, refuse: (c: WebContext, status: 401 | 403) => Response | Promise<Response>): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const viewer = c.get('viewer');
    if (!viewer) return refuse(c, 401);
    if (!atLeast(viewer.role, min)) return refuse(c, 403);
    return next();
  };
}
