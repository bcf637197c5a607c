import { syncStore } from '../pipeline/sync/sync-store.ts';
import { storeStatus } from '../pipeline/status.ts';
import { syncAlert } from '../pipeline/alerts/run-alerts.ts';
import { agentsText, outcomeLine, progressLine, statusText } from './format-sync.ts';
import { readAgentStatuses } from '../main/agent-reads.ts';
import { agentTrouble } from '../pipeline/agents/agent-status.ts';
import { cliLang, print, tell } from './print.ts';
import { withApp } from './with-app.ts';

/** `tokobot sync`: one store, or every store; exits 1 when any failed. */
export async function sync(store: string | undefined, json: boolean): Promise<number> {
  const lang = cliLang();
  return withApp(async (app) => {
    const stores = store ? [app.store(store)] : app.config.stores;
    const outcomes = [];
    for (const s of stores) {
      const o = await syncStore(app.sync, s, 'cli', (p) => { if (!json) tell(`${progressLine(s.id, p, lang)}\n`); });
      outcomes.push(o);
      await syncAlert(app.alerts, s, o);
      if (!json) print(outcomeLine(o, lang));
    }
    await app.alerts.flush(); // the running tokobot start delivers them
    if (json) print(JSON.stringify(outcomes.length === 1 ? outcomes[0] : outcomes, null, 2));
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  });
}

/** `tokobot status`: each store's times in its own zone. */
export async function status(json: boolean): Promise<number> {
  const lang = cliLang();
  return withApp(async (app) => {
    const all = [];
    const texts = [];
    for (const store of app.config.stores) {
      const s = await storeStatus(app.opsStores, store);
      all.push(s);
      texts.push(statusText(s, { lang, zone: store.timeZone ?? app.config.locale.zone }));
    }
    const agents = await readAgentStatuses(app);
    const agentsPart = agentsText(agents, lang);
    // JSON: each store's agent (if it has one) with its status; an agent of a store not configured here has no store to go with.
    const withAgents = all.map((s) => { const agent = agents.find((a) => a.store === s.store); return agent ? { ...s, agent } : s; });
    print(json ? JSON.stringify(withAgents, null, 2) : [...texts, ...(agentsPart ? [agentsPart] : [])].join('\n\n'));
    // For monitoring scripts: a store whose last sync failed, or whose backups are old, or whose agent is silent or failing, is not fine.
    return all.some((s) => s.freshness === 'FAILED' || s.freshness === 'CHECK') || agents.some((a) => agentTrouble(a) === 'error') ? 1 : 0;
  });
}
