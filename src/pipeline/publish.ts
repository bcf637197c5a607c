import { access, rename } from 'node:fs/promises';
import { killPoint } from '../kill-point.ts';
import type { PriceLists, Publication } from '../store/price-lists.ts';
import type { SyncRunLog } from '../store/sync-runs.ts';

/**
 * Publishes a run in one transaction of the ops database, which lives on the restore server:
 * the price list, the run's success and the database swap (staging → live) commit together or
 * not at all, so readers and a crash see either the old state or the new one. The CSV gets its
 * final name after the commit; a crash in between is finished by `finishPublication`.
 */
export async function publishRun(priceLists: Pick<PriceLists, 'publish'>, p: Publication): Promise<{ fileInPlace: boolean }> {
  await priceLists.publish(p, { beforeCommit: () => killPoint('publish:before-commit') });
  killPoint('publish:committed');
  // Published already: a rename that fails now is finished by the next run, not a failed sync.
  const fileInPlace = await rename(p.tmpCsvPath, p.csvPath).then(() => true, () => false);
  killPoint('publish:file-in-place');
  return { fileInPlace };
}

const present = (file: string) => access(file).then(() => true, () => false);

/**
 * After a crash between a publication's commit and the rename of its CSV, puts the file in place
 * and notes it on that run. Returns the note, or null when there was nothing to finish.
 */
export async function finishPublication(deps: { priceLists: Pick<PriceLists, 'published'>; runs: Pick<SyncRunLog, 'update'> }, store: string): Promise<string | null> {
  const published = await deps.priceLists.published(store);
  if (!published?.csvPath || await present(published.csvPath) || !(await present(`${published.csvPath}.tmp`))) return null;
  await rename(`${published.csvPath}.tmp`, published.csvPath);
  const note = 'tokobot stopped after publishing this run and before its price list file was in place; the next run put it there';
  await deps.runs.update(published.runId, { note });
  return note;
}
