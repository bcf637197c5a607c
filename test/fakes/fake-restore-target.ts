import { writeFile } from 'node:fs/promises';
import type pg from 'pg';
import { AppError } from '../../src/errors.ts';
import type { RestoreOptions, RestoreTarget, RestoredCounts } from '../../src/pipeline/ports.ts';

/** What the fake's restored databases hold: every restore() loads the same. */
export interface FakeContents {
  /** What exportCsv writes, whatever the query. */
  csv: string;
  /** What readRestored answers, whatever the query. */
  rows: Record<string, unknown>[];
  counts: RestoredCounts;
}

export interface FakeCall {
  method: keyof RestoreTarget;
  args: unknown[];
}

type Method = Exclude<keyof RestoreTarget, 'kind'>;

/**
 * A restore server in memory, for unit tests of the pipeline: it keeps a set of database names,
 * records every call (in `calls`), and can be told to fail at a method (failAt). It keeps the
 * RestoreTarget contract where no real server is needed (restore-target-contract.ts runs on it):
 * a restored database must exist, createDatabase refuses an existing one, dropDatabase is
 * idempotent, exportCsv creates or replaces its file.
 */
export class FakeRestoreTarget implements RestoreTarget {
  readonly kind = 'external' as const;
  readonly calls: FakeCall[] = [];
  /** Databases that exist, and whether restore() has filled them. */
  readonly databases = new Map<string, { restored: boolean }>();
  private readonly failures = new Map<Method, Error>();

  constructor(private readonly contents: FakeContents = { csv: '', rows: [], counts: {} }, private readonly major = 15) {}

  /** The next calls of `method` reject with `err` (an unreachable PostgreSQL by default) until succeed() is called. */
  failAt(method: Method, err: Error = new AppError('unreachable', 'postgres', `the fake restore server fails at ${method}`)): void {
    this.failures.set(method, err);
  }

  succeed(method?: Method): void {
    if (method) this.failures.delete(method); else this.failures.clear();
  }

  /** The names of the methods called, in order. */
  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  private call(method: Method, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const err = this.failures.get(method);
    if (err) throw err;
  }

  /** A restored database must exist, as on a real server (3D000 invalid_catalog_name). */
  private existing(database: string): { restored: boolean } {
    const db = this.databases.get(database);
    if (!db) throw Object.assign(new Error(`database "${database}" does not exist`), { code: '3D000' });
    return db;
  }

  async ensure(): Promise<void> {
    this.call('ensure');
  }

  opsConnection(database: string): pg.ClientConfig {
    this.call('opsConnection', database);
    throw new Error('the fake restore server holds no ops database: give the code under test an in-memory store');
  }

  async databaseExists(name: string): Promise<boolean> {
    this.call('databaseExists', name);
    return this.databases.has(name);
  }

  async createDatabase(name: string): Promise<void> {
    this.call('createDatabase', name);
    if (this.databases.has(name)) throw Object.assign(new Error(`database "${name}" already exists`), { code: '42P04' });
    this.databases.set(name, { restored: false });
  }

  async dropDatabase(...names: string[]): Promise<void> {
    for (const name of names) {
      this.call('dropDatabase', name);
      this.databases.delete(name);
    }
  }

  async restore(archivePath: string, database: string, options: RestoreOptions = {}): Promise<void> {
    this.call('restore', archivePath, database, options);
    if (options.signal?.aborted) throw new AppError('interrupted', 'postgres', 'The restore was stopped before it finished.');
    this.existing(database).restored = true;
  }

  async pgRestoreMajor(): Promise<number> {
    this.call('pgRestoreMajor');
    return this.major;
  }

  async analyze(database: string): Promise<void> {
    this.call('analyze', database);
    this.existing(database);
  }

  async readRestored<Row = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    this.call('readRestored', database, sql, params);
    return this.existing(database).restored ? this.contents.rows.map((r) => ({ ...r }) as Row) : [];
  }

  async exportCsv(database: string, sql: string, destPath: string): Promise<{ bytes: number }> {
    this.call('exportCsv', database, sql, destPath);
    this.existing(database);
    await writeFile(destPath, this.contents.csv, { mode: 0o640 });
    return { bytes: Buffer.byteLength(this.contents.csv) };
  }

  async countRows(database: string): Promise<RestoredCounts> {
    this.call('countRows', database);
    return this.existing(database).restored ? { ...this.contents.counts } : {};
  }

  async diagnose(): Promise<string> {
    this.call('diagnose');
    return `the fake restore server holds ${this.databases.size} databases`;
  }
}
