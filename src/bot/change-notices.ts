import type { Logger } from 'pino';
import type { Role, StoreConfig } from '../config/load-config.ts';
import type { Lang } from '../i18n/lang.ts';
import type { ChangeReader } from '../pipeline/price-change-workbook.ts';
import type { ChangeAnnouncement, PriceChangeLog, RecordedChange } from '../store/price-changes.ts';
import { changeNotice, changesCaption } from './change-replies.ts';
import type { Reply } from './reply.ts';

/** A publication older than this when the service sees it (after a long stop) is not told: /changes still shows it. */
export const NOTICE_MAX_AGE_MS = 24 * 3_600_000;

export interface ChangeNoticeDeps {
  log: Pick<PriceChangeLog, 'claimAnnouncements' | 'subscriptions'>;
  roles: Map<number, Role>;
  stores: StoreConfig[];
  zone: string;
  langOf: (id: number) => Promise<Lang>;
  /** The changes as a workbook for this reader; `done` removes it once sent. */
  workbook: (store: string, changes: readonly RecordedChange[], reader: ChangeReader) => Promise<{ path: string; filename: string; done: () => Promise<void> }>;
  /** Sends a reply (its text, then its document) to a person. */
  send: (to: number, reply: Reply) => Promise<void>;
  /** The store's page on the dashboard, when it has an address (WEB_URL). */
  dashboard?: (store: string) => string;
  now?: () => Date;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Who is told after a sync: owners, unless they said /changes off; admins who said /changes on.
 * Cost (and what is below it) only for owners.
 */
export function noticeRecipients(roles: Map<number, Role>, said: Map<number, boolean>): { id: number; withCost: boolean }[] {
  return [...roles].filter(([id, role]) => (role === 'owner' ? said.get(id) !== false : role === 'admin' && said.get(id) === true))
    .map(([id, role]) => ({ id, withCost: role === 'owner' }));
}

async function announce(deps: ChangeNoticeDeps, a: ChangeAnnouncement, to: { id: number; withCost: boolean }[]): Promise<number> {
  const store = deps.stores.find((s) => s.id === a.store);
  if (!store || !a.changes.length) return 0;
  const books = new Map<string, Awaited<ReturnType<ChangeNoticeDeps['workbook']>>>();
  let sent = 0;
  try {
    for (const r of to) {
      const reader = { lang: await deps.langOf(r.id), withCost: r.withCost };
      const key = `${reader.lang}/${reader.withCost}`;
      if (!books.has(key)) books.set(key, await deps.workbook(a.store, a.changes, reader));
      const book = books.get(key)!;
      const notice = changeNotice(store, a.publishedAt, a.changes, reader, deps.zone, deps.dashboard?.(a.store));
      const caption = changesCaption(store.name, a.changes.length, reader.lang);
      await deps.send(r.id, { ...notice, document: { path: book.path, filename: book.filename, caption } })
        .then(() => sent++, (err: unknown) => deps.logger.warn({ err, to: r.id, store: a.store }, 'could not send the price changes'));
    }
  } finally {
    for (const b of books.values()) await b.done().catch(() => undefined);
  }
  return sent;
}

/**
 * Tells the changes of every publication not yet told (whichever process synced it: they are
 * claimed from the ops database, once). A claimed publication is not told again if sending fails
 * halfway: a missed message beats the same message twice; /changes shows it all the same.
 * Returns how many messages were sent.
 */
export async function announceChanges(deps: ChangeNoticeDeps): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const claimed = await deps.log.claimAnnouncements(new Date(now.getTime() - NOTICE_MAX_AGE_MS));
  if (!claimed.length) return 0;
  const to = noticeRecipients(deps.roles, await deps.log.subscriptions());
  let sent = 0;
  for (const a of claimed) sent += await announce(deps, a, to);
  return sent;
}
