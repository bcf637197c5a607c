/**
 * What the ops database's committed data is as of now, as a text: equal texts, the same rows in
 * every table. It changes whenever a transaction that wrote anything ends. Locks are not data: a
 * lock taken or let go leaves it as it was.
 */
export interface DataVersion {
  current(): Promise<string>;
}
