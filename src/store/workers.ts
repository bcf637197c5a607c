/** A worker process as its heartbeats tell it: one per tokobot start (with job slots) or tokobot worker. */
export interface WorkerBeat {
  /** The job queue's id for the process's worker pool (what its locked jobs carry). */
  id: string;
  /** The machine's name (WORKER_NAME or the host name), for logs and alerts. */
  machine: string;
  pid: number;
  /** Its job slots. */
  concurrency: number;
}

export interface WorkerRecord extends WorkerBeat {
  startedAt: Date;
  /** The last heartbeat, by the ops database's clock (the machines' clocks may differ). */
  beatAt: Date;
}

/**
 * The heartbeats of every worker on the ops database, so that the others can tell a dead one
 * (killed, powered off, cut off) from a busy one and take up its jobs.
 */
export interface Workers {
  /** Records that the worker is alive now (the first beat registers it). */
  beat(worker: WorkerBeat): Promise<void>;
  /** The workers whose last beat is older than `silentMs`, by the database's clock. */
  silent(silentMs: number): Promise<WorkerRecord[]>;
  /** Forgets workers: a clean stop, or dead ones once their jobs were taken up. */
  forget(ids: string[]): Promise<void>;
  /** Every worker known, the longest running first. */
  list(): Promise<WorkerRecord[]>;
}
