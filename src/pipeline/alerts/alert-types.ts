import type { Lang } from '../../i18n/lang.ts';
import type { Channel } from './ports.ts';
import type { DigestSchedule } from '../reports/digest-schedule.ts';

/** Longest mute, in chat and on the dashboard: a month; longer, an alert would be forgotten rather than muted. */
export const MAX_MUTE_HOURS = 24 * 30;

export type Severity = 'warning' | 'critical';

export type AlertKind =
  | 'sync-failed'
  | 'sync-stuck'
  | 'stale-backups'
  | 'source-unreachable'
  | 'backup-failed'
  | 'backup-missed'
  | 'disk-low'
  | 'restore-server-down'
  | 'whatsapp-down'
  | 'telegram-down'
  | 'email-down'
  | 'worker-down'
  | 'agent-silent'
  | 'agent-disk-low';

/**
 * Whether each kind of alert is about one store. Such an alert's key is `<what>:<store id>`
 * (`sync:pusat`, `stale:pusat`): that is how a recipient limited to some stores finds theirs.
 */
const ABOUT_A_STORE: Record<AlertKind, boolean> = {
  'sync-failed': true, 'sync-stuck': true, 'stale-backups': true, 'source-unreachable': true,
  'backup-failed': false, 'backup-missed': false, 'disk-low': false, 'restore-server-down': false, 'whatsapp-down': false, 'telegram-down': false, 'email-down': false, 'worker-down': false,
  'agent-silent': true, 'agent-disk-low': true,
};

/** Something wrong, identified by `key` (what and where): raising it again while open changes nothing but its details. */
export interface AlertInput {
  key: string;
  kind: AlertKind;
  severity: Severity;
  /** The store, the job or the machine it is about, as people call it. */
  subject: string;
  params: Record<string, string | number>;
}

export interface OpenAlert extends AlertInput {
  openedAt: Date;
  lastSentAt: Date | null;
  mutedUntil: Date | null;
}

/** An alert that is over: its history. */
export interface ResolvedAlert extends OpenAlert {
  resolvedAt: Date;
}

/** Someone who receives alerts, on the channels they have. */
export interface Recipient {
  name: string;
  telegram?: string;
  whatsapp?: string;
  email?: string;
  lang: Lang;
  severities: Severity[];
  /** Set: only the alerts about these stores (a branch manager); unset: every alert (head office). */
  stores?: string[];
  /** When they get the daily digest and the weekly report (config alerts.recipients[].digest; unset: DEFAULT_DIGEST). */
  digest?: DigestSchedule;
}

/** The store an alert is about, or null when it is about no store (a backup job, the disk, a channel). */
function storeOf(a: Pick<AlertInput, 'key' | 'kind'>): string | null {
  return ABOUT_A_STORE[a.kind] ? a.key.slice(a.key.indexOf(':') + 1) : null;
}

/** Whether `r` is told about `a`: one of their severities, and, for a recipient limited to some stores, about one of them. */
export function receives(r: Recipient, a: Pick<AlertInput, 'key' | 'kind' | 'severity'>): boolean {
  if (!r.severities.includes(a.severity)) return false;
  if (!r.stores) return true;
  const store = storeOf(a);
  return store !== null && r.stores.includes(store);
}

/** Whether an alert is for someone limited to `stores` (null: every store) to see: about one of them, or anything when unlimited. */
export function withinStores(stores: readonly string[] | null, a: Pick<AlertInput, 'key' | 'kind'>): boolean {
  if (!stores) return true;
  const store = storeOf(a);
  return store !== null && stores.includes(store);
}

/**
 * Whether `other` is told everything `r` is (as to stores): whom a message for `r` may go to
 * instead when r's channel is down, without a branch seeing another branch's alerts.
 */
export function seesAllOf(other: Recipient, r: Recipient | undefined): boolean {
  if (!other.stores) return true;
  return Boolean(r?.stores?.every((id) => other.stores!.includes(id)));
}

export function addressOf(r: Recipient, channel: Channel): string | undefined {
  return r[channel];
}
