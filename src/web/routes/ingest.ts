import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { tooLarge, type AgentIngest, type IngestAnswer } from '../../pipeline/agents/ingest.ts';
import { MAX_BODY_BYTES } from '../../pipeline/agents/protocol.ts';

/** The protocol's JSON answer; 429 says when to come back. */
function answer(c: Context, a: IngestAnswer): Response {
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  if (a.retryAfterSeconds) c.header('Retry-After', String(a.retryAfterSeconds));
  return c.json(a.body, a.status);
}

/**
 * The shop agents' API (src/pipeline/agents/protocol.ts), mounted at PROTOCOL_PATH ahead of the
 * dashboard's middleware: a bearer-token API with no session, so no cookie, CSRF or viewer
 * applies, and bodies up to MAX_BODY_BYTES (the dashboard's forms take far less). Nothing here
 * logs a request: the Authorization header never reaches a log line.
 */
export function ingestRoutes(ingest: Pick<AgentIngest, 'hello' | 'reports'>, from: (c: Context) => string): Hono {
  const app = new Hono();
  app.use(bodyLimit({
    maxSize: MAX_BODY_BYTES,
    // The rest of the body is not read: this connection is not reused (a client's next request on it would fail).
    onError: (c) => { c.header('Connection', 'close'); return answer(c, tooLarge()); },
  }));
  const caller = (c: Context) => ({ authorization: c.req.header('authorization'), from: from(c) });
  app.post('/hello', async (c) => answer(c, await ingest.hello(caller(c))));
  app.post('/reports', async (c) => answer(c, await ingest.reports(caller(c), () => c.req.text())));
  return app;
}
