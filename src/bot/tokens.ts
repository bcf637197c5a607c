/**
 * Button data is limited to 64 bytes, too little for a question or an item code; buttons carry a
 * short token that stands for them instead. The newest few thousand are kept in memory.
 */
export class Tokens<T> {
  private readonly map = new Map<string, T>();
  private next = 0;

  constructor(private readonly keep = 5000) {}

  put(value: T): string {
    const token = (this.next++).toString(36);
    this.map.set(token, value);
    if (this.map.size > this.keep) this.map.delete(this.map.keys().next().value as string);
    return token;
  }

  get(token: string): T | undefined {
    return this.map.get(token);
  }
}
