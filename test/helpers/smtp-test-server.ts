import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export const SMTP_USER = 'tokobot';
export const SMTP_PASSWORD = 'Rahasia-smtp-7f3a9c';

/** The receiving side of the e-mail tests: a real SMTP server (smtp-server) on loopback that keeps what arrived, parsed (mailparser). */
export class SmtpTestServer {
  private server: SMTPServer | null = null;
  /** Every message that arrived, per recipient address (lowercase), oldest first. */
  readonly inbox = new Map<string, ParsedMail[]>();
  /** Addresses refused at RCPT TO with 550, as a mailbox that does not exist is. */
  readonly refused = new Set<string>();
  /** How many connections were opened: a retry is a new connection. */
  connections = 0;
  /** How many times a client sent a user name and password. */
  logins = 0;

  private constructor(public port: number) {}

  static async start(): Promise<SmtpTestServer> {
    const s = new SmtpTestServer(0);
    await s.up();
    return s;
  }

  received(to: string): ParsedMail[] {
    return this.inbox.get(to.toLowerCase()) ?? [];
  }

  /** Listens (again, on the same port once it had one). */
  async up(): Promise<void> {
    const server = new SMTPServer({
      logger: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
      onConnect: (_session, cb) => { this.connections++; cb(); },
      onAuth: (auth, _session, cb) => (++this.logins, auth.username === SMTP_USER && auth.password === SMTP_PASSWORD
        ? cb(null, { user: SMTP_USER }) : cb(Object.assign(new Error('Authentication failed'), { responseCode: 535 }))),
      onRcptTo: (address, _session, cb) => (this.refused.has(address.address.toLowerCase())
        ? cb(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 })) : cb()),
      onData: (stream, session, cb) => {
        simpleParser(stream).then((mail) => {
          for (const r of session.envelope.rcptTo) {
            const key = r.address.toLowerCase();
            this.inbox.set(key, [...(this.inbox.get(key) ?? []), mail]);
          }
          cb();
        }, cb);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined); // a client that hangs up mid-session is its own business
    const address = server.server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  /** Stops listening: a connection is refused until up(). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close(): Promise<void> {
    return this.down();
  }
}
