import type { PriceChange } from '../../src/pipeline/price-changes.ts';
import { KEEP_CHANGES_DAYS, type ChangeAnnouncement, type PriceChangeLog, type RecordedChange } from '../../src/store/price-changes.ts';
import type { SyncRun, SyncRunLog } from '../../src/store/sync-runs.ts';

interface Recorded { store: string; runId: number; recordedAt: Date; announced: boolean; changes: PriceChange[] }

/** The price change log in memory, over the memory run log (a change counts once its run is a success, as on PostgreSQL). */
export class MemoryPriceChangeLog implements PriceChangeLog {
  private readonly records = new Map<number, Recorded>();
  private readonly subs = new Map<number, boolean>();

  constructor(private readonly runs: Pick<SyncRunLog, 'recent'>, private readonly clock: () => Date = () => new Date()) {}

  private async runsById(): Promise<Map<number, SyncRun>> {
    return new Map((await this.runs.recent(null, Number.MAX_SAFE_INTEGER)).map((r) => [r.id, r]));
  }

  async record(store: string, runId: number, _previousFile: string | null, changes: readonly PriceChange[]): Promise<void> {
    const runs = await this.runsById();
    const oldest = this.clock().getTime() - KEEP_CHANGES_DAYS * 86_400_000;
    for (const [id, r] of this.records) {
      if (r.store === store && (runs.get(id)?.status === 'failed' || r.recordedAt.getTime() < oldest)) this.records.delete(id);
    }
    this.records.set(runId, { store, runId, recordedAt: this.clock(), announced: false, changes: structuredClone([...changes]) });
  }

  private published(r: Recorded, runs: Map<number, SyncRun>): RecordedChange[] | null {
    const run = runs.get(r.runId);
    if (run?.status !== 'success' || !run.finishedAt) return null;
    return r.changes.map((c) => ({ ...structuredClone(c), store: r.store, runId: r.runId, publishedAt: run.finishedAt! }));
  }

  async since(store: string | null, from: Date, to: Date): Promise<RecordedChange[]> {
    const runs = await this.runsById();
    const all = [...this.records.values()].filter((r) => store === null || r.store === store).flatMap((r) => this.published(r, runs) ?? []);
    return all.filter((c) => c.publishedAt >= from && c.publishedAt < to)
      .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.runId - b.runId);
  }

  async claimAnnouncements(notBefore: Date): Promise<ChangeAnnouncement[]> {
    const runs = await this.runsById();
    const out: ChangeAnnouncement[] = [];
    for (const r of this.records.values()) {
      const changes = r.announced ? null : this.published(r, runs);
      if (!changes) continue;
      r.announced = true;
      const publishedAt = runs.get(r.runId)!.finishedAt!;
      if (publishedAt >= notBefore) out.push({ store: r.store, runId: r.runId, publishedAt, changes });
    }
    return out.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  }

  async subscribed(userId: number): Promise<boolean | null> {
    return this.subs.get(userId) ?? null;
  }

  async subscriptions(): Promise<Map<number, boolean>> {
    return new Map(this.subs);
  }

  async subscribe(userId: number, on: boolean): Promise<void> {
    this.subs.set(userId, on);
  }
}
