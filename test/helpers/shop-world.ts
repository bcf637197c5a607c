import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { FakeTelegram, type TgUser } from '../fakes/fake-telegram.ts';
import { freePort } from './free-port.ts';
import { createScratchDb, dropScratchDb, LOCAL_PG_URL, localConnection, pgRestoreInto } from './local-pg.ts';
import { TOKOBOT_BIN, tokobotProcess, type CliResult } from './tokobot-cli.ts';
import { until } from './until.ts';

/** The demo's real iPOS backup: restored, it is the shop's own iPOS database the agent dumps. */
const DEMO_BACKUP = path.resolve('demo', 'toko-contoh', 'backup_toko_contoh.i5bu');

export interface TokobotProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `tokobot ARGS` as a process of its own, its output kept. */
export function startTokobot(args: string[], env: Record<string, string>): TokobotProcess {
  const child = spawn(process.execPath, [TOKOBOT_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/** SIGTERM (or `signal`), then SIGKILL for a process still running after `ms`. */
export async function stopTokobot(p: TokobotProcess | undefined, ms = 30_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  try {
    await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A head office and a shop on this machine: the head office a `tokobot start` (fake Telegram, fake
 * Dropbox, the local PostgreSQL as its restore server, the agent report API on), the shop a real
 * PostgreSQL database restored from the demo's iPOS backup, and an agent data folder of its own,
 * as on another machine. close() stops every process and removes the databases and files.
 */
export class ShopWorld {
  readonly owner: TgUser = { id: 7101, first_name: 'Pak Budi' };
  /** Unique per test file: the head office restores it into databases named after it (databases.ts). */
  readonly store: string;
  readonly folder: string;
  /** A second store of the head office (whose token must not report for the first). */
  readonly otherStore: string;
  readonly processes: TokobotProcess[] = [];
  headOffice: TokobotProcess | undefined;
  agent: TokobotProcess | undefined;

  private constructor(readonly dir: string, readonly tag: string, readonly dropbox: FakeDropbox, readonly tg: FakeTelegram,
    readonly webPort: number, readonly httpPort: number, readonly ops: pg.Pool) {
    this.store = `toko_${tag}`;
    this.folder = `/iPOS/${this.store}`;
    this.otherStore = `${this.store}_b`;
  }

  get iposDb() { return `tokobot_t_ipos_${this.tag}`; }
  get opsDb() { return `tokobot_t_ops_${this.tag}`; }
  get url() { return `http://127.0.0.1:${this.webPort}`; }

  static async open(tag: string): Promise<ShopWorld> {
    const dir = mkdtempSync(path.join(tmpdir(), `tokobot-agent-${tag}-`));
    const dropbox = await FakeDropbox.start();
    const tg = await FakeTelegram.start();
    const ops = new pg.Pool(localConnection(`tokobot_t_ops_${tag}`));
    ops.on('error', () => undefined);
    const world = new ShopWorld(dir, tag, dropbox, tg, await freePort(), await freePort(), ops);
    await createScratchDb(world.iposDb);
    await pgRestoreInto(world.iposDb, DEMO_BACKUP);
    writeFileSync(path.join(dir, 'tokobot.json'), JSON.stringify({ stores: [
      { id: world.store, name: 'Toko Agen', dropboxFolder: world.folder }, { id: world.otherStore, name: 'Toko Lain', dropboxFolder: `${world.folder}_b` }] }));
    return world;
  }

  private dropboxEnv(): Record<string, string> {
    const d = this.dropbox.clientOptions();
    return { DROPBOX_APP_KEY: d.appKey, DROPBOX_APP_SECRET: d.appSecret, DROPBOX_REFRESH_TOKEN: d.refreshToken, DROPBOX_API_URL: d.apiUrl, DROPBOX_CONTENT_URL: d.contentUrl };
  }

  /** The head office's environment (`tokobot start`, `tokobot store …`). */
  headOfficeEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '', HOME: this.dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: this.opsDb,
      DATA_DIR: path.join(this.dir, 'head-office'), TOKOBOT_CONFIG: path.join(this.dir, 'tokobot.json'), TOKOBOT_LANG: 'en', LOG_LEVEL: 'info',
      TELEGRAM_BOT_TOKEN: this.tg.token, TELEGRAM_API_ROOT: this.tg.url, TELEGRAM_OWNERS: String(this.owner.id), TELEGRAM_ALERT_CHATS: String(this.owner.id),
      WEB_PORT: String(this.webPort), HTTP_PORT: String(this.httpPort), AGENT_INGEST: 'true', AGENT_SILENT_MINUTES: '1',
      SYNC_CRON: '0 0 1 1 *', SYNC_WATCH: 'true', ...this.dropboxEnv(),
      ...(process.env.PGPASSWORD ? { PGPASSWORD: process.env.PGPASSWORD } : {}), ...extra,
    };
  }

  /** The shop PC's environment (`tokobot agent …`): a data folder of its own, no config file, no bot. */
  agentEnv(extra: Record<string, string> = {}): Record<string, string> {
    const c = localConnection(this.iposDb);
    return {
      PATH: process.env.PATH ?? '', HOME: this.dir, DATA_DIR: path.join(this.dir, 'shop-pc'), TOKOBOT_LANG: 'en', LOG_LEVEL: 'info',
      IPOS_DATABASE_URL: `postgres://${c.user}@${c.host}:${c.port}/${this.iposDb}`, ...this.dropboxEnv(),
      ...(process.env.PGPASSWORD ? { PGPASSWORD: process.env.PGPASSWORD } : {}), ...extra,
    };
  }

  cli(args: string[], env: Record<string, string>): Promise<CliResult> {
    return tokobotProcess(args, env, { timeoutMs: 120_000 });
  }

  /** `tokobot store add` at the head office: the token it prints once. */
  async newToken(): Promise<string> {
    const r = await this.cli(['store', 'add', this.store], this.headOfficeEnv());
    const token = /tka_[a-z0-9_]+_[A-Za-z0-9_-]+/.exec(r.stdout)?.[0];
    if (r.code !== 0 || !token) throw new Error(`tokobot store add failed (${r.code}): ${r.stdout}\n${r.stderr}`);
    return token;
  }

  async startHeadOffice(): Promise<TokobotProcess> {
    this.headOffice = startTokobot(['start'], this.headOfficeEnv());
    this.processes.push(this.headOffice);
    const p = this.headOffice;
    await until('the head office answers', async () => {
      if (p.child.exitCode !== null) throw new Error(`tokobot start ended:\n${p.output()}`);
      return fetch(`${this.url}/api/agent/v1/hello`, { method: 'POST' }).then((r) => r.status === 401, () => false);
    }, 90_000);
    return p;
  }

  /** `tokobot agent enroll` on the shop PC, then the heartbeat made short for the test. */
  async enroll(token: string, schedule: string, heartbeatSeconds = 10, over: { url?: string; env?: Record<string, string> } = {}): Promise<void> {
    const r = await this.cli(['agent', 'enroll', over.url ?? this.url, token, '--schedule', schedule], this.agentEnv(over.env));
    if (r.code !== 0) throw new Error(`enroll failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    const file = path.join(this.dir, 'shop-pc', 'agent.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, heartbeatSeconds }, null, 2), { mode: 0o600 });
  }

  startAgent(extra: Record<string, string> = {}): TokobotProcess {
    this.agent = startTokobot(['agent'], this.agentEnv(extra));
    this.processes.push(this.agent);
    return this.agent;
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.ops.query(sql, params)).rows;
  }

  /** The agent's runs as the head office's run log has them, oldest first. */
  agentRuns(): Promise<Record<string, unknown>[]> {
    return this.query('SELECT id, job, status, file_name, bytes, sha256, agent_seq, started_at, finished_at, error FROM backup_runs WHERE job = $1 ORDER BY started_at, id', [`${this.store}/ipos`]);
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => stopTokobot(p, 10_000)));
    await this.ops.end().catch(() => undefined);
    await this.dropbox.close().catch(() => undefined);
    await this.tg.close().catch(() => undefined);
    for (const db of [this.iposDb, this.opsDb, ...Object.values(storeDatabases(this.store)), ...Object.values(storeDatabases(this.otherStore))]) await dropScratchDb(db).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
