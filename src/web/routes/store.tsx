import { Hono } from 'hono';
import { html } from 'hono/html';
import type { StoreConfig } from '../../config/load-config.ts';
import { t } from '../../i18n/text.ts';
import { PAGE } from '../../bot/price-replies.ts';
import { formatDay } from '../../i18n/format-time.ts';
import { CHART_DAYS, CHART_KINDS, chartSvg, type ChartKind } from '../charts.ts';
import { priceFile } from '../price-file.ts';
import { number } from '../../i18n/format-number.ts';
import { ItemPage, StorePage } from '../store-page.tsx';
import { allowed, refuse, type WebDeps } from '../web-app.tsx';
import { atLeast, viewerOf, type WebContext, type WebEnv } from '../web-env.ts';
import { pageViewer } from './overview.tsx';

/** The run history shows this many runs: a month of daily syncs. */
const HISTORY_RUNS = 30;
/** A search longer than this is no item name (the bot's questions are short too). */
const MAX_QUERY = 100;
/** Pages of results one can turn to: the bot's search ranks at most offset + limit. */
const MAX_PAGE = 100;
/** Store ids as the config allows them (src/config/file-schema.ts): anything else is no store, and nothing is looked up. */
const STORE_ID = /^[a-z0-9_]{1,32}$/;
const DAY_MS = 86_400_000;

/** /toko/:id and what hangs off it: the price list with the bot's search, item cards, downloads (owners), charts and runs (admins). */
export function storeRoutes(deps: Pick<WebDeps, 'stores' | 'storePage' | 'scrub' | 'zone' | 'now'>): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const data = deps.storePage;
  const now = deps.now ?? (() => new Date());
  const storeOf = (c: WebContext): StoreConfig | undefined => {
    const id = c.req.param('id') ?? '';
    return STORE_ID.test(id) ? deps.stores.find((s) => s.id === id) : undefined;
  };
  const zoneOf = (store: StoreConfig) => store.timeZone ?? deps.zone;
  const unknown = (c: WebContext) => refuse(c, 404, 'webStoreUnknown');

  app.get('/toko/:id', allowed('staff'), async (c) => {
    const store = storeOf(c);
    if (!store) return unknown(c);
    const viewer = viewerOf(c);
    const query = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY);
    const page = Math.min(MAX_PAGE, Math.max(0, Math.trunc(Number(c.req.query('p'))) || 0));
    const admin = atLeast(viewer.role, 'admin');
    const [published, runs, changes, found] = await Promise.all([
      data.published(store.id),
      data.runs(store.id, HISTORY_RUNS),
      data.changes(store.id),
      query ? data.search.search(store.id, query, { limit: PAGE, offset: page * PAGE }) : null,
    ]);
    const suggestions = found && found.total === 0 ? await data.search.suggest(store.id, query) : [];
    // The row counts of the two newest publications: what is known even when the previous list is not kept.
    const good = runs.filter((r) => r.status === 'success');
    const rows = { after: published?.rowCount ?? null, before: good[1]?.rowCount ?? null };
    return c.html(html`<!doctype html>${<StorePage viewer={pageViewer(c)} store={store} zone={zoneOf(store)} published={published} query={query} page={page} pageSize={PAGE}
      found={found && { result: found, suggestions }} changes={changes} rows={rows} runs={admin ? runs : null} scrub={deps.scrub} />}`);
  });

  app.get('/toko/:id/barang', allowed('staff'), async (c) => {
    const store = storeOf(c);
    if (!store) return unknown(c);
    const kode = c.req.query('kode') ?? '';
    const item = kode && kode.length <= MAX_QUERY ? await data.search.item(store.id, kode) : null;
    if (!item) return refuse(c, 404, 'webStoreNoItem');
    const [stock, picture] = await Promise.all([data.officeStock(store.id, item.kodeitem), data.picture?.(store.id, item.kodeitem).catch(() => null) ?? null]);
    return c.html(html`<!doctype html>${<ItemPage viewer={pageViewer(c)} store={store} item={item} stock={stock} pictureHash={picture?.hash} />}`);
  });

  // The card's picture, as the chat sends it (a JPEG at most 1280 px a side); cached by the browser, its address changing with the picture.
  app.get('/toko/:id/gambar', allowed('staff'), async (c) => {
    const store = storeOf(c);
    if (!store) return unknown(c);
    const kode = c.req.query('kode') ?? '';
    const picture = kode && kode.length <= MAX_QUERY ? await data.picture?.(store.id, kode).catch(() => null) : null;
    const jpeg = picture ? await picture.jpeg() : null;
    if (!jpeg) return refuse(c, 404, 'webNotFound');
    return c.body(new Uint8Array(jpeg), 200, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=86400', ETag: `"${picture!.hash}"` });
  });

  app.get('/toko/:id/grafik/:file', allowed('admin'), async (c) => {
    const store = storeOf(c);
    const kind = /^([a-z]+)\.svg$/.exec(c.req.param('file'))?.[1] as ChartKind | undefined;
    if (!store) return unknown(c);
    if (!kind || !CHART_KINDS.includes(kind)) return refuse(c, 404, 'webNotFound');
    const lang = c.get('lang');
    const runs = await data.successesSince(store.id, new Date(now().getTime() - CHART_DAYS * DAY_MS));
    const svg = await chartSvg(kind, runs, { title: t(lang, `webChart_${kind}`), empty: t(lang, 'webChartEmpty'),
      number: (n) => number(n, lang), label: (at) => formatDay(at, zoneOf(store), lang) });
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'private, max-age=60' });
  });

  for (const kind of ['csv', 'xlsx'] as const) {
    app.get(`/toko/:id/daftar-harga.${kind}`, allowed('owner', 'webStoreOwnersOnly'), async (c) => {
      const store = storeOf(c);
      if (!store) return unknown(c);
      return (await priceFile(await data.published(store.id), kind, c.get('lang'))) ?? refuse(c, 404, 'webStoreNoFile');
    });
  }
  return app;
}
