import { CommandCore } from '../../src/bot/core.ts';
import type { CoreDeps } from '../../src/bot/context.ts';
import type { Chat } from '../../src/bot/access.ts';
import { AppError } from '../../src/errors.ts';
import type { Role } from '../../src/config/load-config.ts';
import type { Lang } from '../../src/i18n/lang.ts';
import { MemoryButtonMemory } from '../fakes/memory-button-memory.ts';

export const OWNER = 1, ADMIN = 2, STAFF = 3, STRANGER = 99;
export const GROUP = -100200, OWNERS_GROUP = -100300;
export const item = { kodeitem: 'A1', namaitem: 'INDOMIE GRG 85G', jenis: null, merek: null, sistemhargajual: 'O', stok: '5',
  entries: [{ satuan: 'PCS', konversi: '1', barcode: '899', level: null, jmlsampai: null, hargapokok: '3000', hargajual: '3500' }] };

/** The command core over stand-ins that record what was asked of them: no channel, no database. */
export function testCore(over: Partial<CoreDeps> = {}) {
  const told: string[] = [];
  const logged: unknown[] = [];
  let clock = 0;
  const seen = new Set<number>();
  const langs = new Map<number, Lang>();
  const deps: CoreDeps = {
    stores: [{ id: 'main', name: 'Toko Utama', schedule: '*/30 * * * *', source: { type: 'folder', dir: '/x' } }],
    roles: new Map<number, Role>([[OWNER, 'owner'], [ADMIN, 'admin'], [STAFF, 'staff']]),
    publicMode: false, ownerGroups: new Set([OWNERS_GROUP]), rateLimitPerMinute: 5,
    search: {
      search: async (store, query) => ({ store, query, listed: true, exact: false, total: 1, items: [item] }),
      suggest: async () => [], item: async () => item,
    },
    barcodes: { read: async () => [] },
    status: async () => { throw new Error('not under test'); },
    history: async () => [],
    runSync: async () => { throw new AppError('busy', 'tokobot', 'A sync of store "Toko Utama" is already running; wait for it to finish.'); },
    syncInProgress: () => null,
    cancelRuns: () => [],
    latestExport: async (_store, format) => ({ path: `/tmp/x.${format}`, filename: `daftar-harga.${format}`, rows: 10 }),
    officeStock: async () => [{ office: 'UTM', name: 'Pusat', stok: '5' }],
    lowStock: async (store) => ({ store, live: false }),
    lowStockWorkbook: async () => { throw new Error('not under test'); },
    chat: {
      user: async (id) => ({ lang: langs.get(id) ?? 'id', store: null }),
      setLang: async (id, lang) => { langs.set(id, lang); }, setStore: async () => undefined,
      firstSightOfStranger: async (id) => { const first = !seen.has(id); seen.add(id); return first; },
    },
    notifyOwners: async (text) => { told.push(text('id')); },
    nextSync: () => null,
    zone: 'Asia/Jakarta',
    backups: { jobs: [], run: async () => { throw new Error('not under test'); }, progress: () => null, states: async () => [] },
    alerts: { open: async () => [], mute: async () => 0, test: async () => [], channels: () => [] },
    buttonMemory: new MemoryButtonMemory(),
    logger: { info: () => undefined, warn: () => undefined, error: (o: unknown) => { logged.push(o); } },
    now: () => clock,
    ...over,
  };
  return { core: new CommandCore(deps), told, logged, tick: (ms: number) => { clock += ms; } };
}

export const inPrivate = (userId: number): Chat => ({ id: userId, kind: 'private' });
export const inGroup = (id = GROUP): Chat => ({ id, kind: 'group' });
export const say = (c: CommandCore, userId: number, text: string, chat = inPrivate(userId)) => c.message({ userId, name: `user ${userId}`, text, chat });
export const press = (c: CommandCore, userId: number, data: string, chat = inPrivate(userId)) => c.action(userId, `user ${userId}`, data, chat);
export const text = (r: { lines: string[] } | null) => r?.lines.join('\n') ?? '(nothing)';
