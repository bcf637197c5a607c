import { syncStore } from '../pipeline/sync/sync-store.ts';
import { storeStatus } from '../pipeline/status.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { syncAlert } from '../pipeline/alerts/run-alerts.ts';
import { searchReply } from '../bot/price-replies.ts';
import { ButtonCodec } from '../bot/button-codec.ts';
import { renderText } from '../bot/render-text.ts';
import { outcomeLine, progressLine, statusText } from './format-sync.ts';
import { print, withApp } from './with-app.ts';

/** `tokobot sync`: one store, or every store; exits 1 when any failed. */
export async function sync(store: string | undefined, json: boolean): Promise<number> {
  return withApp(async (app) => {
    const stores = store ? [app.store(store)] : app.config.stores;
    const outcomes = [];
    for (const s of stores) {
      const o = await syncStore(app.sync, s, 'cli', (p) => { if (!json) process.stderr.write(`${progressLine(s.id, p)}\n`); });
      outcomes.push(o);
      await syncAlert(app.alerts, s, o);
      if (!json) print(outcomeLine(o));
    }
    await app.alerts.flush(); // the running tokobot start delivers them
    if (json) print(JSON.stringify(outcomes.length === 1 ? outcomes[0] : outcomes, null, 2));
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  });
}

export async function status(json: boolean): Promise<number> {
  return withApp(async (app) => {
    const all = [];
    for (const s of app.config.stores) all.push(await storeStatus(app.opsStores, s));
    print(json ? JSON.stringify(all, null, 2) : all.map(statusText).join('\n\n'));
    return 0;
  });
}

export async function ask(text: string, store: string | undefined): Promise<number> {
  return withApp(async (app) => {
    const s = app.store(store);
    const who = { id: 0, name: 'cli', access: 'staff' as const, chat: { id: 0, kind: 'private' as const }, lang: 'id' as const, store: s };
    print(renderText(await searchReply({ search: new PriceSearch(app.opsStores.priceLists, { prices: 'per-question' }) }, new ButtonCodec(app.opsStores.buttons), who, s, text, 0)));
    return 0;
  });
}
