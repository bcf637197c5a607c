/** Per store (sync runs) or per job (backup runs). */
export interface RunCount {
  key: string;
  status: string;
  runs: number;
}

export interface RunDuration {
  key: string;
  status: string;
  seconds: number;
}

/** What /metrics shows of a run log; read at each scrape, so the figures count every process's runs and survive restarts. */
export interface RunFigures {
  /** How many runs each key has, by status. */
  countsByStatus(): Promise<RunCount[]>;
  /** Each key's newest finished run (by start time): its status and how long it took. */
  lastDurations(): Promise<RunDuration[]>;
}
