import type { Child } from 'hono/jsx';
import { formatTime } from '../i18n/format-time.ts';
import { megabytes, number } from '../i18n/format-number.ts';
import { t, type Lang, type TextKey, type TextParams } from '../i18n/text.ts';
import type { Card } from './overview.ts';
import type { Role } from '../config/sections.ts';
import { atLeast } from './web-env.ts';
import { ActionBanner, CardActions, CardLive, LIVE_STYLE } from './live-view.tsx';

/**
 * The dashboard's pages, rendered on the server. Hono's JSX escapes every value put into the
 * markup, so store names, file names and error texts can never become markup: nothing here uses
 * raw HTML. A small stylesheet, no script, readable on a phone.
 */
/** A role as the page names it, in the reader's language. */
export const ROLE_TEXT = { owner: 'webRole_owner', admin: 'webRole_admin', staff: 'webRole_staff' } as const;

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.7rem 1rem;display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem}
header h1{font-size:1.1rem;margin:0}header small{opacity:.8}header a{color:#fff;margin-right:.8rem}
header button{background:none;border:1px solid #fff8;color:#fff;border-radius:.3rem;padding:.1rem .5rem}
main{padding:1rem}main.cards{display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
.card h2 a{color:inherit}form.inline{display:inline}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e6e8ec}
.scroll{overflow-x:auto}
.card{background:#fff;border-radius:.5rem;padding:.8rem 1rem;border-left:.4rem solid #8a94a6;box-shadow:0 1px 2px #0002;overflow-wrap:anywhere}
.card h2{font-size:1rem;margin:0 0 .3rem}.kind{font-size:.75rem;color:#5b6475;text-transform:uppercase}
.state{display:inline-block;font-weight:700;font-size:.8rem;padding:.1rem .5rem;border-radius:1rem;background:#e6e8ec}
dl{margin:.5rem 0 0;font-size:.9rem}dt{color:#5b6475;font-size:.8rem;margin-top:.4rem}dd{margin:0}
.FAILED{border-color:#c62828}.FAILED .state{background:#fdecea;color:#a31515}
.CHECK{border-color:#e65100}.CHECK .state{background:#fff0e0;color:#a84300}
.NONE{border-color:#8a94a6}
.ATTENTION{border-color:#f9a825}.ATTENTION .state{background:#fff8e1;color:#7a5a00}
.RUNNING{border-color:#1565c0}.RUNNING .state{background:#e3f0fd;color:#0d47a1}
.OK{border-color:#2e7d32}.OK .state{background:#e8f5e9;color:#1b5e20}
.notice{max-width:32rem;margin:2rem auto;background:#fff;padding:1rem 1.2rem;border-radius:.5rem;box-shadow:0 1px 2px #0002}
.notice p{line-height:1.5}
${LIVE_STYLE}`;

/** A link of the menu: shown only to roles that may open it (the route refuses the others anyway). */
const NAV: { href: string; text: TextKey; min: Role }[] = [
  { href: '/', text: 'webNavOverview', min: 'staff' },
  { href: '/peringatan', text: 'webNavAlerts', min: 'admin' },
  { href: '/agen', text: 'webNavAgents', min: 'admin' },
  { href: '/akses', text: 'webNavAccess', min: 'owner' },
  { href: '/audit', text: 'webNavAudit', min: 'owner' },
];

/** The person a page is for: their language and, once signed in, who they are. */
export interface PageViewer {
  lang: Lang;
  who?: { id: number; role: Role; csrf: string };
}

/** Every page: a header with the menu the viewer's role may use and a sign-out button, then `children`. */
export function Layout(props: { viewer: PageViewer; title: string; children: Child; script?: string; refreshSeconds?: number; style?: string }) {
  const { lang, who } = props.viewer;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.refreshSeconds && <meta http-equiv="refresh" content={String(props.refreshSeconds)} />}
        <style>{STYLE}</style>
        {props.style && <style>{props.style}</style>}
        {props.script && <script src={props.script} defer></script>}
      </head>
      <body>
        {who && (
          <header>
            <h1>{props.title}</h1>
            <nav>{NAV.filter((n) => atLeast(who.role, n.min)).map((n) => <a href={n.href}>{t(lang, n.text)}</a>)}</nav>
            <small>{t(lang, 'webSignedInAs', { id: who.id, role: t(lang, ROLE_TEXT[who.role]) })}</small>
            <form method="post" action="/keluar" class="inline"><input type="hidden" name="_csrf" value={who.csrf} /><button>{t(lang, 'webSignOut')}</button></form>
          </header>
        )}
        {props.children}
      </body>
    </html>
  );
}

/** A hidden field with the session's CSRF token: every form that changes something carries one. */
export const Csrf = (props: { viewer: PageViewer }) => <input type="hidden" name="_csrf" value={props.viewer.who?.csrf ?? ''} />;

/** A refusal or a notice; for someone not signed in (language unknown) Indonesian first, then English. */
export function NoticePage(props: { title: TextKey; text: TextKey; lang?: Lang | undefined; params?: TextParams }) {
  const lang = props.lang ?? 'id';
  return (
    <Layout viewer={{ lang }} title={t(lang, props.title)}>
      <div class="notice">
        <h1>{t(lang, props.title)}</h1>
        <p>{t(lang, props.text, props.params)}</p>
        {!props.lang && <p lang="en"><i>{t('en', props.text, props.params)}</i></p>}
        {props.lang && <p><a href="/">{t(lang, 'webNavOverview')}</a></p>}
      </div>
    </Layout>
  );
}

/** A count as the reader's language writes it: 1.265 (id), 1,265 (en). */
const age = (hours: number, lang: Lang) => t(lang, 'webAge', { hours: hours < 1 ? '<1' : number(Math.round(hours), lang) });

/** One card, with its actions where `actions` (runs can be started here) and the viewer's role allow; `plain` (the kiosk) links nowhere. */
export function CardView({ card, viewer, actions = false, plain }: { card: Card; viewer: PageViewer; actions?: boolean; plain?: boolean }) {
  const { lang } = viewer;
  const time = (d: Date) => formatTime(d, card.zone, lang);
  const good = card.lastGood;
  return (
    <section class={`card ${card.state}`} id={`${card.kind}-${card.id}`} data-card={card.id} data-kind={card.kind}>
      <div class="kind">{t(lang, card.kind === 'store' ? 'webStore' : 'webJob')}</div>
      <h2>{plain ? card.name : <a href={card.kind === 'store' ? `/toko/${encodeURIComponent(card.id)}` : `/backup/${encodeURIComponent(card.id)}`}>{card.name}</a>}</h2>
      <span class="state">{t(lang, `webState${card.state}`)}</span>
      <CardLive card={card} lang={lang} />
      <dl>
        <dt>{t(lang, 'webNewest')}</dt>
        <dd>{card.newest ? `${card.newest.file} · ${time(card.newest.at)} (${age(card.newest.ageHours, lang)})` : t(lang, 'webNever')}</dd>
        <dt>{t(lang, card.kind === 'store' ? 'webLastGood' : 'webLastGoodBackup')}</dt>
        <dd>{good ? [time(good.at), good.rows !== undefined ? t(lang, 'webRows', { rows: number(good.rows, lang) }) : '',
          good.bytes !== undefined ? megabytes(good.bytes, lang) : ''].filter(Boolean).join(' · ') : t(lang, 'webNever')}</dd>
        {card.lastFailure && <><dt>{t(lang, 'webLastFailure')}</dt><dd>{time(card.lastFailure.at)} · {card.lastFailure.why}</dd></>}
      </dl>
      <CardActions card={card} viewer={viewer} actions={actions} />
    </section>
  );
}

/** `actions`: whether runs can be started here (tokobot start); `notice`: what the last action did. */
export function OverviewPage(props: { viewer: PageViewer; cards: Card[]; actions?: boolean; notice?: string | undefined }) {
  const { lang } = props.viewer;
  return (
    <Layout viewer={props.viewer} title={t(lang, 'webTitle')} script="/static/live.js">
      <main class="cards">
        {props.notice && <ActionBanner text={props.notice} />}
        {props.cards.length ? props.cards.map((card) => <CardView card={card} viewer={props.viewer} actions={props.actions ?? false} />) : <p>{t(lang, 'webNoCards')}</p>}
      </main>
    </Layout>
  );
}
