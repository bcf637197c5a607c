/** A person's last search that showed items: what "lanjut" (next) continues. */
interface LastSearch {
  store: string;
  query: string;
  page: number;
  total: number;
}

/** People whose last search is kept; the one not heard from longest is forgotten first. */
const KEPT = 1000;

/** The last search of each person, in this process (after a restart "lanjut" asks for a new search). */
export class RecentSearches {
  private readonly last = new Map<number, LastSearch>();

  get(userId: number): LastSearch | undefined {
    return this.last.get(userId);
  }

  set(userId: number, search: LastSearch): void {
    this.last.delete(userId);
    this.last.set(userId, search);
    if (this.last.size > KEPT) this.last.delete(this.last.keys().next().value as number);
  }
}
