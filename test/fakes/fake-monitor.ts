import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MonitorHit {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  host: string;
}

/**
 * A monitor's ping endpoint on loopback (Healthchecks or an Uptime Kuma push URL: both are plain
 * HTTP): records every request; answers 200 "OK", or `status` when set, or never when `hang`.
 */
export class FakeMonitor {
  readonly hits: MonitorHit[] = [];
  url = '';
  status = 200;
  hang = false;
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://monitor');
        this.hits.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, body, host: req.headers.host ?? '' });
        if (this.hang) return; // the connection stays open until the client gives up or close()
        res.writeHead(this.status, { 'content-type': 'text/plain' });
        res.end(this.status === 200 ? 'OK' : 'not found');
      });
    });
  }

  static async start(): Promise<FakeMonitor> {
    const m = new FakeMonitor();
    await new Promise<void>((resolve) => m.server.listen(0, '127.0.0.1', resolve));
    m.url = `http://127.0.0.1:${(m.server.address() as AddressInfo).port}`;
    return m;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
