import type { Role, StoreConfig } from '../../src/config/load-config.ts';
import type { JobConfig } from '../../src/config/jobs-from.ts';
import type { JobState } from '../../src/pipeline/backup/backup-runner.ts';
import type { Freshness, StoreStatus } from '../../src/pipeline/status.ts';
import { WebSignIn } from '../../src/pipeline/web-sign-in.ts';
import type { BackupRun } from '../../src/store/backup-log.ts';
import { createWebApp, type WebDeps } from '../../src/web/web-app.tsx';
import { csrfToken } from '../../src/web/csrf.ts';
import { apiViewerOf, WebTokenKeys } from '../../src/pipeline/web-tokens.ts';
import { MemoryWebAudit, MemoryWebAuth, MemoryWebTokens } from '../fakes/memory-web-auth.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';
import { storePageData } from '../../src/main/web-server.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import type { OpsStores } from '../../src/store/index.ts';

/** The dashboard in process on memory stores, for tests that ask it with app.request. */
export const NOW = new Date('2026-11-29T05:00:00Z');
export const OWNER = 700100200;
export const ADMIN = 700100250;
export const STAFF = 700100300;
const HOUR = 3_600_000;

export const store = (id: string, name = `Toko ${id}`): StoreConfig => ({ id, name, schedule: '*/30 * * * *', timeZone: 'Asia/Jakarta', source: { type: 'folder', dir: '/x' } });

export function status(s: StoreConfig, freshness: Freshness, o: Partial<StoreStatus> = {}): StoreStatus {
  const at = new Date(NOW.getTime() - 2 * HOUR);
  return {
    store: s.id, name: s.name, freshness, priceRules: null, published: null, lastRun: null, lastFailure: null,
    newestBackup: { file: `${s.id}.i5bu`, modifiedAt: at, dumpedAt: at, ageHours: 2, ageFrom: 'dump', archive: null },
    lastSuccess: { at, file: `${s.id}.i5bu`, rows: 12345 }, ...o,
  };
}

export const job = (id: string, o: Partial<JobState>): JobState => ({ job: { id } as JobConfig, nextRun: null, running: null, ...o });
export const run = (o: Partial<BackupRun>): BackupRun => ({ id: 1, job: 'x', trigger: 'schedule', status: 'success', stage: null, stages: [], startedAt: new Date(NOW.getTime() - HOUR),
  finishedAt: new Date(NOW.getTime() - HOUR), fileName: 'db.dump', bytes: 5_242_880, sha256: null, destinations: [], verification: null, error: null, failure: null, ...o });

/** A form body, and a POST of it as a browser sends one from a session. */
export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const post = (cookie: string, body: string, headers: Record<string, string> = {}) =>
  ({ method: 'POST', body, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers } });

export interface Setup {
  stores?: [StoreConfig, StoreStatus][]; jobs?: JobState[]; langs?: Record<number, 'id' | 'en'>; deps?: Partial<WebDeps>;
  /** The ops stores the store pages read (memory ones by default) and the DATA_DIR of their price list files. */
  ops?: Pick<OpsStores, 'runs' | 'priceLists'>; dataDir?: string;
}

export function webSetup(o: Setup = {}) {
  const auth = new MemoryWebAuth();
  let clock = NOW;
  const signIn = new WebSignIn(auth, () => clock);
  const stores = o.stores ?? [[store('a'), status(store('a'), 'OK')]];
  const audit = new MemoryWebAudit();
  const tokens = new WebTokenKeys(new MemoryWebTokens(), () => clock);
  const roles = new Map<number, Role>([[OWNER, 'owner'], [ADMIN, 'admin'], [STAFF, 'staff']]);
  const ops = o.ops ?? createMemoryStores();
  const storePage = storePageData(ops, { readRestored: async () => [] }, o.dataDir ?? '/nonexistent', new PriceSearch(ops.priceLists));
  const deps: WebDeps = {
    signIn, tokens, apiViewer: apiViewerOf(tokens), audit, stores: stores.map(([s]) => s), statuses: async (ss) => ss.map((s) => stores.find(([x]) => x.id === s.id)![1]), jobs: async () => o.jobs ?? [],
    runs: async () => [], running: async () => [],
    alerts: { open: async () => [], resolved: async () => [], mute: async () => 0, channels: () => [], test: async () => [] },
    roles, langOf: async (id) => o.langs?.[id] ?? 'id', zone: 'Asia/Jakarta',
    scrub: (text) => text.replaceAll('s3cret-pw', '[secret]'), secure: false, now: () => clock, storePage, ...o.deps,
  };
  const app = createWebApp(deps);
  return {
    app, auth, audit, signIn, tokens, roles, deps, tick: (ms: number) => { clock = new Date(clock.getTime() + ms); },
    /** Signs `userId` in through a fresh link; the cookie header to send. */
    async session(userId = OWNER): Promise<string> {
      const token = await signIn.issueLink({ userId, role: roles.get(userId) ?? 'staff' });
      const res = await app.request(`/masuk/${token}`);
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    },
    /** The CSRF token of a session cookie header as session() returned it. */
    csrf: (cookie: string) => csrfToken(cookie.split('=')[1]!),
  };
}

