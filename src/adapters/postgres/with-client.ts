import pg from 'pg';

/**
 * A client of its own. A connection cut under it (the server restarted, the network gone) rejects
 * the query in flight, which callers handle, and also emits 'error' on the client, which ends the
 * process when nothing listens (https://github.com/brianc/node-postgres/issues/1324): so something
 * always does.
 */
export function ownClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  return client;
}

/** A connection of its own, for the length of `fn`. */
export async function withClient<T>(config: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = ownClient(config);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
