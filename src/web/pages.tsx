import type { Child } from 'hono/jsx';
import { formatTime } from '../i18n/format-time.ts';
import { t, type Lang, type TextKey } from '../i18n/text.ts';
import type { Card } from './overview.ts';
import type { Role } from '../config/sections.ts';

/**
 * The dashboard's pages, rendered on the server. Hono's JSX escapes every value put into the
 * markup, so store names, file names and error texts can never become markup: nothing here uses
 * raw HTML. A small stylesheet, no script, readable on a phone.
 */
const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.7rem 1rem;display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem}
header h1{font-size:1.1rem;margin:0}header small{opacity:.8}
main{padding:1rem;display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
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
`;

function Layout(props: { lang: Lang; title: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** A page for someone not signed in (we do not know their language): Indonesian first, then English. */
export function NoticePage(props: { title: TextKey; text: TextKey }) {
  return (
    <Layout lang="id" title={t('id', props.title)}>
      <div class="notice">
        <h1>{t('id', props.title)}</h1>
        <p>{t('id', props.text)}</p>
        <p lang="en"><i>{t('en', props.text)}</i></p>
      </div>
    </Layout>
  );
}

const number = (n: number, lang: Lang) => n.toLocaleString(lang === 'id' ? 'id-ID' : 'en-US');
const age = (hours: number, lang: Lang) => t(lang, 'webAge', { hours: hours < 1 ? '<1' : number(Math.round(hours), lang) });

function CardView({ card, lang }: { card: Card; lang: Lang }) {
  const time = (d: Date) => formatTime(d, card.zone, lang);
  const good = card.lastGood;
  return (
    <section class={`card ${card.state}`} data-card={card.id}>
      <div class="kind">{t(lang, card.kind === 'store' ? 'webStore' : 'webJob')}</div>
      <h2>{card.name}</h2>
      <span class="state">{t(lang, `webState${card.state}`)}</span>
      <dl>
        <dt>{t(lang, 'webNewest')}</dt>
        <dd>{card.newest ? `${card.newest.file} · ${time(card.newest.at)} (${age(card.newest.ageHours, lang)})` : t(lang, 'webNever')}</dd>
        <dt>{t(lang, card.kind === 'store' ? 'webLastGood' : 'webLastGoodBackup')}</dt>
        <dd>{good ? [time(good.at), good.rows !== undefined ? t(lang, 'webRows', { rows: number(good.rows, lang) }) : '',
          good.bytes !== undefined ? `${(good.bytes / 1_048_576).toFixed(1)} MB` : ''].filter(Boolean).join(' · ') : t(lang, 'webNever')}</dd>
        {card.lastFailure && <><dt>{t(lang, 'webLastFailure')}</dt><dd>{time(card.lastFailure.at)} · {card.lastFailure.why}</dd></>}
      </dl>
    </section>
  );
}

/** A role as the page names it, in the reader's language. */
const ROLE_TEXT = { owner: 'webRole_owner', admin: 'webRole_admin', staff: 'webRole_staff' } as const;

export function OverviewPage(props: { lang: Lang; cards: Card[]; who: { id: number; role: Role } }) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={t(lang, 'webTitle')}>
      <header><h1>{t(lang, 'webTitle')}</h1><small>{t(lang, 'webSignedInAs', { id: props.who.id, role: t(lang, ROLE_TEXT[props.who.role]) })}</small></header>
      <main>{props.cards.length ? props.cards.map((card) => <CardView card={card} lang={lang} />) : <p>{t(lang, 'webNoCards')}</p>}</main>
    </Layout>
  );
}
