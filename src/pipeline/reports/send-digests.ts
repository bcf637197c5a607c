import type { Lang } from '../../i18n/lang.ts';
import type { Message } from '../../message.ts';
import type { AlertStore, OutboxMessage } from '../../store/alerts.ts';
import { addressOf, type Recipient } from '../alerts/alert-types.ts';
import { CHANNELS } from '../alerts/ports.ts';
import type { Digest, DigestPeriod } from './digest.ts';
import { digestPeriod, periodDay } from './digest-period.ts';
import { DEFAULT_DIGEST, firingOf, type DigestFiring } from './digest-schedule.ts';
import type { DigestAsk } from './gather-digest.ts';

/** How a digest becomes a message with its files (chart PNG, PDF) in a language: the report renderer, injected. */
export type RenderDigest = (d: Digest, lang: Lang) => Promise<Message>;

export interface SendDigestsDeps {
  /** gatherDigest over the ops stores. */
  gather(ask: DigestAsk): Promise<Digest>;
  render: RenderDigest;
  queue: Pick<AlertStore, 'queueOnce'>;
  recipients: Recipient[];
  /** The store zone (STORE_TZ): the calendar periods are its days. */
  zone: string;
  clock: () => Date;
}

/** The recipients a firing is for: those whose own daily or weekly time it is. */
export function dueRecipients(recipients: Recipient[], firing: DigestFiring): Recipient[] {
  return recipients.filter((r) => firingOf(firing.period, r.digest ?? DEFAULT_DIGEST)?.cron === firing.cron);
}

/** A scheduled report's outbox key: its period, the period's first day and the recipient, so each is queued once whatever retries. */
export const digestKey = (period: DigestPeriod, day: string, recipient: string) => `digest:${period}:${day}:${recipient}`;

/**
 * One firing of the reports' schedule: for each recipient due, the report of the period just
 * ended (limited to their stores), rendered in their language, queued in the alert outbox for
 * each of their channels, once per recipient and period (queueOnce): a retried task, or a second
 * process firing the same schedule, queues nothing more. Recipients who see the same stores in the
 * same language share one gathering and one rendering. Returns how many recipients were queued now.
 */
export async function sendDigests(d: SendDigestsDeps, firing: DigestFiring): Promise<{ queued: number; already: number }> {
  const now = d.clock();
  const { from, to } = digestPeriod(firing.period, now, d.zone, false);
  const day = periodDay(from, d.zone);
  const digests = new Map<string, Promise<Digest>>();
  const messages = new Map<string, Promise<Message>>();
  let queued = 0;
  let already = 0;
  for (const r of dueRecipients(d.recipients, firing)) {
    const stores = r.stores ? [...r.stores].sort() : null;
    const scope = JSON.stringify(stores);
    if (!digests.has(scope)) digests.set(scope, d.gather({ period: firing.period, from, to, stores }));
    const rendered = `${scope}|${r.lang}`;
    if (!messages.has(rendered)) messages.set(rendered, digests.get(scope)!.then((digest) => d.render(digest, r.lang)));
    const message = await messages.get(rendered)!;
    const out: OutboxMessage[] = CHANNELS.flatMap((channel) => {
      const to = addressOf(r, channel);
      return to ? [{ alertKey: null, event: 'report' as const, channel, recipient: to, message }] : [];
    });
    if (await d.queue.queueOnce(digestKey(firing.period, day, r.name), now, out)) queued++;
    else already++;
  }
  return { queued, already };
}
