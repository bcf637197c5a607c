import path from 'node:path';
import type { Logger } from 'pino';
import type { PriceChangeLog } from '../store/price-changes.ts';
import { comparePriceFiles } from './price-changes.ts';

/**
 * Records what a run's list changes against the published one, before the run publishes it. Never
 * fails the sync: the new list matters more than its record, so a list before that is gone (the
 * first publication, a file removed by hand) or a record that fails is logged and left out.
 */
export async function recordChanges(deps: { log: Pick<PriceChangeLog, 'record'>; logger: Pick<Logger, 'warn'> }, store: string, runId: number,
  previousCsv: string | null, newCsv: string): Promise<number | null> {
  if (!previousCsv) return null;
  try {
    const changes = await comparePriceFiles(previousCsv, newCsv);
    await deps.log.record(store, runId, path.basename(previousCsv), changes);
    return changes.length;
  } catch (err) {
    deps.logger.warn({ err, store, runId }, 'could not record the price changes of this publication; the list is published all the same');
    return null;
  }
}
