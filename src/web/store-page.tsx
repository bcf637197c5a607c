import type { StoreConfig } from '../config/load-config.ts';
import { formatTime } from '../i18n/format-time.ts';
import { t, type Lang } from '../i18n/text.ts';
import { entryLabel, marginPercent, rupiah, tierLabels } from '../bot/format-price.ts';
import type { OfficeStock } from '../pipeline/item-stock.ts';
import type { ListChanges } from '../pipeline/list-changes.ts';
import type { PriceEntry, PriceItem, PriceSearch, SearchResult } from '../pipeline/search/price-search.ts';
import type { PublishedList } from '../store/price-lists.ts';
import type { SyncRun } from '../store/sync-runs.ts';
import { CHART_DAYS, CHART_KINDS } from './charts.ts';
import { duration, stageMs } from './durations.ts';
import { stageText } from './live-progress.ts';
import { number } from '../i18n/format-number.ts';
import { Layout, type PageViewer } from './pages.tsx';
import { atLeast } from './web-env.ts';
import type { ItemPicture } from '../pipeline/item-picture.ts';

/** What a store page reads (wired in src/main/web-server.ts): data only, no SQL here. */
export interface StorePageData {
  /** The store's newest `limit` sync runs, newest first. */
  runs: (store: string, limit: number) => Promise<SyncRun[]>;
  /** The store's successful runs since a time, oldest first (the charts). */
  successesSince: (store: string, since: Date) => Promise<SyncRun[]>;
  published: (store: string) => Promise<PublishedList | null>;
  /** The bot's own search: the same answers as in the chat. */
  search: Pick<PriceSearch, 'search' | 'suggest' | 'item'>;
  officeStock: (store: string, kodeitem: string) => Promise<OfficeStock[]>;
  /** What the newest publication changed against the one before; null before the first. */
  changes: (store: string) => Promise<ListChanges | null>;
  /** The item's picture in iPOS (tbl_item.gambar) as the chat shows it, or null; unset: cards without pictures. */
  picture?: (store: string, kodeitem: string) => Promise<ItemPicture | null>;
}

/** The store page's extra style: charts scale to the screen, long names wrap. */
const STYLE = `
section.block{background:#fff;border-radius:.5rem;padding:.8rem 1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0002;overflow-wrap:anywhere}
section.block h2{font-size:1rem;margin:0 0 .5rem}
img.picture{display:block;max-width:100%;max-height:16rem;margin:0 0 .6rem;border-radius:.4rem}
form.search{display:flex;gap:.4rem;flex-wrap:wrap}form.search input{flex:1 1 12rem;font-size:1rem;padding:.4rem;min-width:0}
form.search button{font-size:1rem;padding:.4rem .8rem}
.charts{display:grid;gap:.6rem;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr))}
.charts img{width:100%;height:auto;background:#fff;border:1px solid #e6e8ec;border-radius:.3rem}
.muted{color:#5b6475;font-size:.85rem}.stages{font-size:.8rem;color:#5b6475}
td.why{color:#a31515;font-size:.85rem}table.runs tr.run td{border-bottom:0;padding-bottom:0}table.runs th{overflow-wrap:normal}.state{white-space:nowrap}
section.block dl{margin-bottom:.8rem}ul.items{padding-left:1.2rem;margin:.3rem 0}
.pages a{margin-right:1rem}
`;

const storeHref = (store: StoreConfig) => `/toko/${encodeURIComponent(store.id)}`;
const itemHref = (store: StoreConfig, kodeitem: string) => `${storeHref(store)}/barang?kode=${encodeURIComponent(kodeitem)}`;

function trigger(value: string, lang: Lang): string {
  const by = /^(chat|web):(-?\d+)$/.exec(value);
  if (by) return t(lang, by[1] === 'chat' ? 'webTrigger_chat' : 'webTrigger_web', { id: by[2]! });
  return value === 'cli' || value === 'schedule' || value === 'watch' ? t(lang, `webTrigger_${value}`) : value;
}

function RunRows(props: { run: SyncRun; zone: string; lang: Lang; scrub: (s: string) => string }) {
  const { run, lang } = props;
  const took = run.finishedAt ? duration(run.finishedAt.getTime() - run.startedAt.getTime(), lang) : '…';
  const stages = run.stages.map((s) => { const ms = stageMs(s); return `${stageText(lang, s.name)} ${ms === null ? '…' : duration(ms, lang)}`; }).join(' · ');
  const state = run.status === 'failed' ? 'FAILED' : run.status === 'running' ? 'RUNNING' : 'OK';
  // The stages and the failure get rows of their own: three narrow columns fit a phone.
  return (
    <>
      <tr data-run={run.id} class="run">
        <td>{formatTime(run.startedAt, props.zone, lang)}</td>
        <td class={state}><span class="state">{t(lang, `webRun_${run.status}`)}</span> <span class="muted">{trigger(run.trigger, lang)}</span></td>
        <td>{took}</td>
      </tr>
      {stages && <tr><td colspan={3} class="stages">{stages}</td></tr>}
      {run.error && <tr><td colspan={3} class="why">{props.scrub(run.error)}</td></tr>}
    </>
  );
}

function History(props: { runs: SyncRun[]; zone: string; lang: Lang; scrub: (s: string) => string }) {
  const { lang } = props;
  return (
    <section class="block" id="riwayat">
      <h2>{t(lang, 'webStoreHistory')}</h2>
      {props.runs.length === 0 ? <p>{t(lang, 'webStoreNoRuns')}</p> : (
        <div class="scroll"><table class="runs">
          <thead><tr><th>{t(lang, 'webStoreStarted')}</th><th>{t(lang, 'webStoreStatus')}</th><th>{t(lang, 'webStoreDuration')}</th></tr></thead>
          <tbody>{props.runs.map((run) => <RunRows run={run} zone={props.zone} lang={lang} scrub={props.scrub} />)}</tbody>
        </table></div>
      )}
    </section>
  );
}

function Charts(props: { store: StoreConfig; lang: Lang }) {
  return (
    <section class="block" id="grafik">
      <h2>{t(props.lang, 'webStoreCharts', { days: CHART_DAYS })}</h2>
      <div class="charts">{CHART_KINDS.map((kind) => <img src={`${storeHref(props.store)}/grafik/${kind}.svg`} alt={t(props.lang, `webChart_${kind}`)} width="360" height="220" />)}</div>
    </section>
  );
}

function ItemList(props: { items: { kodeitem: string; namaitem: string }[]; store: StoreConfig; linked: boolean }) {
  return <ul class="items">{props.items.map((i) => <li>{props.linked ? <a href={itemHref(props.store, i.kodeitem)}>{i.namaitem}</a> : i.namaitem} <span class="muted">{i.kodeitem}</span></li>)}</ul>;
}

function Changes(props: { changes: ListChanges | null; rows: { before: number | null; after: number | null }; store: StoreConfig; lang: Lang }) {
  const { changes: c, lang } = props;
  const shown = (count: number, list: unknown[]) => count > list.length && <p class="muted">{t(lang, 'webStoreShownOf', { shown: list.length })}</p>;
  const tier = (p: ListChanges['prices'][number]) => [p.satuan, p.level && `L${p.level}`, p.jmlsampai && `s/d ${p.jmlsampai}`].filter(Boolean).join(' ');
  return (
    <section class="block" id="perubahan">
      <h2>{t(lang, 'webStoreChanges')}</h2>
      {props.rows.after !== null && <p>{t(lang, 'webStoreRowsChange', { before: props.rows.before === null ? '—' : number(props.rows.before, lang), after: number(props.rows.after, lang) })}</p>}
      {c && !c.previousFile && <p class="muted">{t(lang, props.rows.before === null ? 'webStoreFirstList' : 'webStoreNoPrevious')}</p>}
      {c?.previousFile && c.counts.added + c.counts.removed + c.counts.prices === 0 && <p>{t(lang, 'webStoreNoChanges')}</p>}
      {c && c.counts.added > 0 && <><h3>{t(lang, 'webStoreAdded', { count: number(c.counts.added, lang) })}</h3><ItemList items={c.added} store={props.store} linked />{shown(c.counts.added, c.added)}</>}
      {c && c.counts.removed > 0 && <><h3>{t(lang, 'webStoreRemoved', { count: number(c.counts.removed, lang) })}</h3><ItemList items={c.removed} store={props.store} linked={false} />{shown(c.counts.removed, c.removed)}</>}
      {c && c.counts.prices > 0 && <>
        <h3>{t(lang, 'webStorePriceChanges', { count: number(c.counts.prices, lang) })}</h3>
        <ul class="items">{c.prices.map((p) => <li><a href={itemHref(props.store, p.kodeitem)}>{p.namaitem}</a> <span class="muted">{tier(p)}</span>: {rupiah(p.before)} → {rupiah(p.after)}</li>)}</ul>
        {shown(c.counts.prices, c.prices)}
      </>}
    </section>
  );
}

function Results(props: { result: SearchResult; suggestions: string[]; page: number; store: StoreConfig; lang: Lang; pageSize: number }) {
  const { result, lang, page } = props;
  if (result.items.length === 0) {
    return <>
      <p>{t(lang, 'webStoreNoMatch', { q: result.query })}</p>
      {props.suggestions.length > 0 && <p>{t(lang, 'webStoreDidYouMean', { s: props.suggestions.join(' · ') })}</p>}
    </>;
  }
  const from = page * props.pageSize;
  const pageHref = (p: number) => `${storeHref(props.store)}?q=${encodeURIComponent(result.query)}&p=${p}`;
  return <>
    <p class="muted">{t(lang, 'webStoreFound', { from: from + 1, to: from + result.items.length, total: number(result.total, lang) })}</p>
    <ol class="items" start={from + 1}>{result.items.map((item) => (
      <li data-item={item.kodeitem}><a href={itemHref(props.store, item.kodeitem)}>{item.namaitem}</a> <span class="muted">{item.entries.map((e) => `${e.satuan} ${rupiah(e.hargajual)}`).filter((x, i, all) => all.indexOf(x) === i).slice(0, 3).join(' · ')}</span></li>
    ))}</ol>
    <p class="pages">
      {page > 0 && <a href={pageHref(page - 1)}>{t(lang, 'webStorePrev')}</a>}
      {from + result.items.length < result.total && <a href={pageHref(page + 1)}>{t(lang, 'webStoreNext')}</a>}
    </p>
  </>;
}

export interface StorePageProps {
  viewer: PageViewer;
  store: StoreConfig;
  /** The zone the store's times are shown in. */
  zone: string;
  published: PublishedList | null;
  query: string;
  page: number;
  pageSize: number;
  found: { result: SearchResult; suggestions: string[] } | null;
  changes: ListChanges | null;
  rows: { before: number | null; after: number | null };
  /** Admins and owners only: staff are not given the runs (null), as in the bot. */
  runs: SyncRun[] | null;
  scrub: (s: string) => string;
}

/** /toko/:id: the price list with the bot's search, what the last sync changed and, for admins, the charts and the run history. */
export function StorePage(p: StorePageProps) {
  const { lang, who } = p.viewer;
  const owner = Boolean(who && atLeast(who.role, 'owner'));
  const base = storeHref(p.store);
  return (
    <Layout viewer={p.viewer} title={p.store.name}>
      <style>{STYLE}</style>
      <main>
        <section class="block" id="harga">
          <h2>{t(lang, 'webStorePrices')}</h2>
          <p class="muted">{p.published
            ? t(lang, 'webStorePublished', { at: formatTime(p.published.publishedAt, p.zone, lang), rows: number(p.published.rowCount, lang), file: p.published.sourceFile })
            : t(lang, 'webStoreNotPublished')}</p>
          <form class="search" method="get" action={base} role="search">
            <input type="search" name="q" value={p.query} maxlength={100} placeholder={t(lang, 'webStoreSearch')} aria-label={t(lang, 'webStoreSearch')} />
            <button>{t(lang, 'webStoreSearchButton')}</button>
          </form>
          {p.found?.result.listed && <Results result={p.found.result} suggestions={p.found.suggestions} page={p.page} store={p.store} lang={lang} pageSize={p.pageSize} />}
          {owner && p.published && <p>{t(lang, 'webStoreDownload')} <a href={`${base}/daftar-harga.csv`} download>CSV</a> · <a href={`${base}/daftar-harga.xlsx`} download>XLSX</a></p>}
        </section>
        <Changes changes={p.changes} rows={p.rows} store={p.store} lang={lang} />
        {p.runs && <Charts store={p.store} lang={lang} />}
        {p.runs && <History runs={p.runs} zone={p.zone} lang={lang} scrub={p.scrub} />}
      </main>
    </Layout>
  );
}

function PriceRow(props: { item: PriceItem; e: PriceEntry; tiers: Map<PriceEntry, string>; owner: boolean }) {
  const { e } = props;
  return (
    <tr>
      <td>{entryLabel(props.item, e, props.tiers)}</td>
      <td>{rupiah(e.hargajual)}</td>
      {props.owner && <td>{e.hargapokok === null ? '—' : rupiah(e.hargapokok)}</td>}
      {props.owner && <td>{marginPercent(e) || '—'}</td>}
      <td>{e.barcode}</td>
    </tr>
  );
}

/** An item's card, with the bot's facts: code, brand, type, each unit, level or tier with its price, stock per office; cost and margin for owners only. */
/** The address of an item's picture; its hash in it, so a browser's cached copy is never taken for a replaced picture. */
const pictureHref = (store: StoreConfig, kodeitem: string, hash: string) => `${storeHref(store)}/gambar?kode=${encodeURIComponent(kodeitem)}&v=${hash.slice(0, 16)}`;

export function ItemPage(props: { viewer: PageViewer; store: StoreConfig; item: PriceItem; stock: OfficeStock[]; pictureHash?: string }) {
  const { lang, who } = props.viewer;
  const { item } = props;
  const owner = Boolean(who && atLeast(who.role, 'owner'));
  const tiers = item.sistemhargajual === 'J' ? tierLabels(item.entries) : new Map<PriceEntry, string>();
  const qty = (s: string) => s.replace('.', ',');
  return (
    <Layout viewer={props.viewer} title={props.store.name}>
      <style>{STYLE}</style>
      <main>
        <p><a href={storeHref(props.store)}>{t(lang, 'webStoreBack', { store: props.store.name })}</a></p>
        <section class="block" data-card-item={item.kodeitem}>
          <h2>{item.namaitem}</h2>
          {props.pictureHash && <img class="picture" src={pictureHref(props.store, item.kodeitem, props.pictureHash)} alt={item.namaitem} />}
          <dl>
            <dt>{t(lang, 'webStoreCode')}</dt><dd>{item.kodeitem}</dd>
            {item.merek && <><dt>{t(lang, 'webStoreBrand')}</dt><dd>{item.merek}</dd></>}
            {item.jenis && <><dt>{t(lang, 'webStoreKind')}</dt><dd>{item.jenis}</dd></>}
            <dt>{t(lang, 'webStoreStock')}</dt>
            <dd>{qty(item.stok)}{props.stock.length > 0 && ` (${props.stock.map((s) => `${s.name} ${qty(s.stok)}`).join(', ')})`}</dd>
          </dl>
          <div class="scroll"><table>
            <thead><tr><th>{t(lang, 'webStoreUnit')}</th><th>{t(lang, 'webStorePrice')}</th>
              {owner && <th>{t(lang, 'webStoreCost')}</th>}{owner && <th>{t(lang, 'webStoreMargin')}</th>}<th>{t(lang, 'webStoreBarcode')}</th></tr></thead>
            <tbody>{item.entries.map((e) => <PriceRow item={item} e={e} tiers={tiers} owner={owner} />)}</tbody>
          </table></div>
        </section>
      </main>
    </Layout>
  );
}
