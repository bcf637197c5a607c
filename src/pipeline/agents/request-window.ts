/**
 * Counts requests per key in fixed windows (one minute for the ingest API), in memory, for at most
 * `maxKeys` keys: past that, keys whose window has ended go first, then the oldest. Forgetting a
 * key only lets it start a fresh window, so the bound costs a little accuracy, never a refusal of
 * someone within their limit.
 */
export class RequestWindow {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly maxKeys: number, private readonly now = () => Date.now()) {}

  /** Seconds until `key` may ask again when it has used its window, else 0; counts nothing. */
  retryAfter(key: string): number {
    const w = this.current(key);
    return w && w.count >= this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000)) : 0;
  }

  /** Counts one request of `key`. */
  take(key: string): void {
    const w = this.current(key);
    if (w) { w.count++; return; }
    this.windows.set(key, { start: this.now(), count: 1 });
    if (this.windows.size > this.maxKeys) this.shed();
  }

  get size(): number {
    return this.windows.size;
  }

  private current(key: string) {
    const w = this.windows.get(key);
    if (w && this.now() - w.start >= this.windowMs) { this.windows.delete(key); return undefined; }
    return w;
  }

  private shed(): void {
    const now = this.now();
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still full (a flood of new keys): the oldest windows go, insertion order being start order.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
