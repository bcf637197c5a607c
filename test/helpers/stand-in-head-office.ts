import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_PATH, type HelloAnswer, type Refusal, type RefusalBody } from '../../src/pipeline/agents/protocol.ts';

/** What the stand-in says to one token: the store it is good for, or a refusal. */
export type TokenAnswer = { store: HelloAnswer['store'] } | { refusal: Refusal };

const REFUSAL_STATUS: Partial<Record<Refusal, number>> = { 'token-missing': 401, 'token-unknown': 401, 'token-revoked': 401, busy: 503 };

/**
 * A head office that speaks the protocol's hello and nothing else, on a loopback port: enough for
 * enrolment and the agent's doctor (the real head office is tested end to end elsewhere).
 */
export class StandInHeadOffice {
  /** How many hellos it was asked, for "nothing was asked" checks. */
  hellos = 0;
  private constructor(private readonly server: http.Server, readonly url: string, readonly tokens: Map<string, TokenAnswer>) {}

  static async start(tokens: Record<string, TokenAnswer> = {}): Promise<StandInHeadOffice> {
    const map = new Map(Object.entries(tokens));
    let self: StandInHeadOffice | undefined;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
        if (req.method !== 'POST' || req.url !== `${PROTOCOL_PATH}/hello`) return send(404, { error: 'not found' });
        if (self) self.hellos++;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const answer: TokenAnswer = (token && map.get(token)) || { refusal: token ? 'token-unknown' : 'token-missing' };
        if ('refusal' in answer) {
          const body: RefusalBody = { error: answer.refusal, message: { en: `the token is ${answer.refusal.replace('token-', '')}.`, id: `tokennya ${answer.refusal.replace('token-', '')}.` } };
          return send(REFUSAL_STATUS[answer.refusal] ?? 400, body);
        }
        const hello: HelloAnswer = { store: answer.store, headOffice: { version: '0.9.0' }, heartbeatSeconds: 300 };
        send(200, hello);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new StandInHeadOffice(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, map);
    return self;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
