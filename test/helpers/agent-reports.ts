import { randomUUID } from 'node:crypto';
import type { AgentRun, Heartbeat, Report, ReportBatch } from '../../src/pipeline/agents/protocol.ts';

/** A finished run as an agent reports it. */
export function sampleRun(over: Partial<AgentRun> = {}): AgentRun {
  const at = new Date().toISOString();
  return {
    id: randomUUID(), job: 'ipos', jobType: 'postgres', trigger: 'schedule', status: 'success', stage: null,
    stages: [{ name: 'dump', startedAt: at, endedAt: at }], startedAt: at, finishedAt: at, fileName: 'ipos_2026-11-30_0200.i5bu',
    bytes: 1234, sha256: 'a'.repeat(64), destinations: [{ destination: 'folder /srv/copies', location: '/srv/copies/ipos_2026-11-30_0200.i5bu' }],
    verification: { ok: true, detail: 'read whole', tables: 3, rows: 10 }, error: null, failure: null, ...over,
  };
}

export function sampleBeat(over: Partial<Heartbeat> = {}): Heartbeat {
  const at = new Date().toISOString();
  return { at, startedAt: at, timeZone: 'Asia/Jakarta', disk: [], jobs: [], outboxPending: 0, diskMinFreeBytes: 0, ...over };
}

export function sampleBatch(reports: Report[], over: Partial<ReportBatch> = {}): ReportBatch {
  return {
    store: 'cabang_1', agent: { instance: '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11', host: 'kasir-1', version: '0.1.0' },
    sentAt: new Date().toISOString(), reports, ...over,
  };
}
