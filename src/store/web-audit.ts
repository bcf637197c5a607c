/** One state-changing request: who, what, when, from where, and how it ended. */
export interface AuditEntry {
  at: Date;
  /** The chat user id behind a session, the creator of an API token, or null. */
  userId: number | null;
  role: string;
  via: 'session' | 'token';
  /** What was asked, e.g. 'sync.start', 'backup.delete', 'session.revoke'. */
  action: string;
  /** What it was asked of: a store id, a job/file, a session id. */
  target: string;
  from: string;
  outcome: 'ok' | 'refused' | 'failed';
  /** Why it was refused or failed, or what it did; shown to owners. */
  detail: string;
}

/** The dashboard's audit trail: appended to by every state-changing request, read by owners. */
export interface WebAudit {
  record(entry: AuditEntry): Promise<void>;
  /** The newest entries first, at most `limit`, those before entry `beforeId` when given (paging). */
  list(limit: number, beforeId?: number): Promise<(AuditEntry & { id: number })[]>;
}
