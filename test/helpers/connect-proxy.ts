import http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A forward proxy on loopback, as an office has: clients ask it to open a tunnel (CONNECT
 * host:port) and talk through it. It records every tunnel asked for and resolves no name: a
 * tunnel to port 443 is handed to `tlsFront` (an HTTPS server standing in for the real hosts),
 * any other to the same port on 127.0.0.1, whatever the host is called. Anything but CONNECT is
 * answered 405, so a request that reached it without a tunnel shows.
 */
export class ConnectProxy {
  readonly tunnels: string[] = [];
  url = '';
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(tlsFront: https.Server | undefined) {
    this.server = http.createServer((_req, res) => { res.writeHead(405); res.end('CONNECT only\n'); });
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      this.tunnels.push(req.url ?? '');
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      const port = Number(new URL(`http://${req.url}`).port || 443);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (port === 443 && tlsFront) {
        if (head.length) client.unshift(head);
        tlsFront.emit('connection', client);
        return;
      }
      const upstream = net.connect(port, '127.0.0.1', () => {
        if (head.length) upstream.write(head);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  }

  static async start(tlsFront?: https.Server): Promise<ConnectProxy> {
    const p = new ConnectProxy(tlsFront);
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    p.url = `http://127.0.0.1:${(p.server.address() as AddressInfo).port}`;
    return p;
  }

  /** The hosts of the tunnels asked for (host:port). */
  hosts(): string[] {
    return [...new Set(this.tunnels)].sort();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Forwards each request to the loopback server named for its Host (the fakes), streaming both ways. */
export function forwardByHost(routes: Record<string, string>): http.RequestListener {
  return (req, res) => {
    const base = routes[(req.headers.host ?? '').replace(/:\d+$/, '')];
    if (!base) {
      res.writeHead(502);
      res.end(`no route for ${req.headers.host}\n`);
      return;
    }
    const out = http.request(new URL(req.url ?? '/', base), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
}
