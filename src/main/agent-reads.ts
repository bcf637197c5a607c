import type { App } from './app.ts';
import { agentStatuses, type AgentStatus, type AgentStatusReads } from '../pipeline/agents/agent-status.ts';

type AgentApp = Pick<App, 'opsStores' | 'backupAlertStores' | 'config'>;

/** What the shop agents' status is read from: the agents' state, the run log their runs are in, the stores configured here. */
export const agentReads = (app: AgentApp): AgentStatusReads => ({
  agents: app.opsStores.agents, backupLog: app.backupAlertStores.backupLog, stores: app.config.stores, silentMs: app.config.agents.silentMs,
});

/** Every shop agent's status now (/status, `tokobot status`, /metrics, the dashboard). */
export const readAgentStatuses = (app: AgentApp, now = new Date()): Promise<AgentStatus[]> => agentStatuses(agentReads(app), now);
