import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * An https front for a local http server, as a reverse proxy (Caddy in docker/compose.yaml) puts
 * one before the head office: a certificate for `localhost` made here with openssl, trusted only
 * by whoever is given `certFile` (NODE_EXTRA_CA_CERTS).
 */
export class TlsFront {
  private constructor(private readonly server: https.Server, readonly certFile: string) {}

  get url(): string {
    return `https://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(dir: string, backendPort: number): Promise<TlsFront> {
    const keyFile = path.join(dir, 'front.key');
    const certFile = path.join(dir, 'front.crt');
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost', '-keyout', keyFile, '-out', certFile]);
    const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
      const back = http.request({ host: '127.0.0.1', port: backendPort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      back.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(back);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TlsFront(server, certFile);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
