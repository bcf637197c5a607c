import type { Logger } from 'pino';
import type { Role, StoreConfig } from '../config/load-config.ts';
import type { Lang } from '../i18n/lang.ts';
import type { ChangeReader } from '../pipeline/price-change-workbook.ts';
import type { ChangeAnnouncement, PriceChangeLog, RecordedChange } from '../store/price-changes.ts';
import { readFile } from 'node:fs/promises';
import type { MessageFile } from '../message.ts';
import type { AlertStore, OutboxMessage } from '../store/alerts.ts';
import { changeNotice } from './change-replies.ts';

/** A publication older than this when the service sees it (after a long stop) is not told: /changes still shows it. */
export const NOTICE_MAX_AGE_MS = 24 * 3_600_000;

export interface ChangeNoticeDeps {
  log: Pick<PriceChangeLog, 'claimAnnouncements' | 'subscriptions'>;
  roles: Map<number, Role>;
  stores: StoreConfig[];
  zone: string;
  langOf: (id: number) => Promise<Lang>;
  /** The changes as a workbook for this reader; `done` removes it once read. */
  workbook: (store: string, changes: readonly RecordedChange[], reader: ChangeReader) => Promise<{ path: string; filename: string; done: () => Promise<void> }>;
  /** The alert outbox: each publication's messages are queued there once, and go out under its rules (retried while Telegram is down). */
  queue: Pick<AlertStore, 'queueOnce'>;
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

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The workbook of each kind of reader (language, with or without cost), made once and read into the messages. */
async function workbookFile(deps: ChangeNoticeDeps, a: ChangeAnnouncement, reader: ChangeReader): Promise<MessageFile> {
  const book = await deps.workbook(a.store, a.changes, reader);
  try {
    return { name: book.filename, type: XLSX, base64: (await readFile(book.path)).toString('base64') };
  } finally {
    await book.done().catch(() => undefined);
  }
}

/** Queues one publication's message, with its workbook, to each person told, in the outbox once (its key: the run). */
async function announce(deps: ChangeNoticeDeps, a: ChangeAnnouncement, to: { id: number; withCost: boolean }[], now: Date): Promise<number> {
  const store = deps.stores.find((s) => s.id === a.store);
  if (!store || !a.changes.length || !to.length) return 0;
  const files = new Map<string, MessageFile>();
  const messages: OutboxMessage[] = [];
  for (const r of to) {
    const reader = { lang: await deps.langOf(r.id), withCost: r.withCost };
    const key = `${reader.lang}/${reader.withCost}`;
    if (!files.has(key)) files.set(key, await workbookFile(deps, a, reader));
    const { severity, title, lines } = changeNotice(store, a.publishedAt, a.changes, reader, deps.zone, deps.dashboard?.(a.store));
    messages.push({ alertKey: null, event: 'report', channel: 'telegram', recipient: String(r.id), message: { severity, ...(title ? { title } : {}), lines, files: [files.get(key)!] } });
  }
  return (await deps.queue.queueOnce(`changes:${a.runId}`, now, messages)) ? messages.length : 0;
}

/**
 * Tells the changes of every publication not yet told (whichever process synced it: they are
 * claimed from the ops database, once), by queueing them in the alert outbox: a Telegram that is
 * down holds them back, never loses them. Only a crash between the claim and the queueing (one
 * statement apart) loses one: a missed message beats the same message twice, and /changes shows
 * it all the same. Returns how many messages were queued.
 */
export async function announceChanges(deps: ChangeNoticeDeps): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const claimed = await deps.log.claimAnnouncements(new Date(now.getTime() - NOTICE_MAX_AGE_MS));
  if (!claimed.length) return 0;
  const to = noticeRecipients(deps.roles, await deps.log.subscriptions());
  let queued = 0;
  for (const a of claimed) {
    queued += await announce(deps, a, to, now).catch((err: unknown) => {
      deps.logger.warn({ err, store: a.store, runId: a.runId }, 'could not queue the price changes of a publication');
      return 0;
    });
  }
  return queued;
}
