import type { WorkerBeat, WorkerRecord, Workers } from '../../src/store/workers.ts';

/** Worker heartbeats for unit tests, in a map, timed by `now` (tests move it). */
export class MemoryWorkers implements Workers {
  readonly records = new Map<string, WorkerRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  async beat(w: WorkerBeat): Promise<void> {
    const at = new Date(this.now());
    const known = this.records.get(w.id);
    this.records.set(w.id, known ? { ...known, beatAt: at } : { ...w, startedAt: at, beatAt: at });
  }

  async silent(silentMs: number): Promise<WorkerRecord[]> {
    return [...this.records.values()].filter((r) => r.beatAt.getTime() < this.now() - silentMs).sort((a, b) => a.beatAt.getTime() - b.beatAt.getTime());
  }

  async forget(ids: string[]): Promise<void> {
    for (const id of ids) this.records.delete(id);
  }

  async list(): Promise<WorkerRecord[]> {
    return [...this.records.values()].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
  }
}
