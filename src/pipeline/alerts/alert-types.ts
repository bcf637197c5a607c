import type { Lang } from '../../i18n/lang.ts';
import type { Channel } from './ports.ts';

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
  | 'worker-down';

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
  lang: Lang;
  severities: Severity[];
}

export function addressOf(r: Recipient, channel: Channel): string | undefined {
  return channel === 'telegram' ? r.telegram : r.whatsapp;
}
