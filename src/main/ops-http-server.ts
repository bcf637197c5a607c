import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOpsHttpExposure, opsHttpHandler, type OpsHttpApp, type OpsHttpOptions } from '../ops-http.ts';

/** The ops HTTP server (HTTP_PORT), refused beyond loopback without a token; port 0 picks a free one (tests). */
export async function startOpsHttp(app: OpsHttpApp, o: OpsHttpOptions): Promise<{ port: number; close(): Promise<void> }> {
  checkOpsHttpExposure(o.host, o.token);
  const server = http.createServer(opsHttpHandler(app, o));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
