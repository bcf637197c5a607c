import type { Child } from 'hono/jsx';
import type { Role } from '../config/sections.ts';
import { formatTime } from '../i18n/format-time.ts';
import { LOCAL_OPERATOR } from '../bot/access.ts';
import { isTextKey, t, type Lang } from '../i18n/text.ts';
import type { AuditEntry } from '../store/web-audit.ts';
import type { SessionInfo } from '../store/web-auth.ts';
import type { TokenKind, WebToken } from '../store/web-tokens.ts';
import { Csrf, Layout, ROLE_TEXT, type PageViewer } from './pages.tsx';
import { atLeast } from './web-env.ts';

/**
 * The owner's pages: who is signed in, the API tokens and kiosk links (each revocable), and the
 * audit trail. Every value (user agents, token names, audit details) goes through JSX escaping.
 */
/** No quotes in here: JSX escapes the text of a style element, and CSS would read &quot;. */
const STYLE = `
main.access section{background:#fff;border-radius:.5rem;padding:.8rem 1rem;margin-bottom:1rem;box-shadow:0 1px 2px #0002}
main.access h2{font-size:1.05rem;margin:0 0 .5rem}.hint{color:#5b6475;font-size:.85rem}
td.agent{max-width:22rem;overflow-wrap:anywhere;font-size:.8rem}.mine{font-weight:700;color:#1b5e20}
.secret{background:#fff8e1;border:1px solid #f9a825;border-radius:.4rem;padding:.6rem .8rem;margin-bottom:1rem}
.secret code{display:block;font-size:1rem;word-break:break-all;background:#fff;padding:.4rem;margin-top:.4rem;user-select:all}
form.new{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-top:.6rem}form.new label{display:flex;flex-direction:column;font-size:.85rem}
@media (max-width:640px){table.stack,table.stack tbody,table.stack tr,table.stack td{display:block}table.stack tr:first-child{display:none}
table.stack tr{border-bottom:1px solid #e6e8ec;padding:.3rem 0}table.stack td{border:0;padding:.1rem .3rem;max-width:none}
table.stack td[data-label]::before{content:attr(data-label);color:#5b6475;font-size:.8rem;margin-right:.4rem}}
.refused{color:#a31515}.failed{color:#a84300}nav.pages{margin-top:.8rem;display:flex;gap:1rem}
`;

/** A person as the chat they came from names them: WhatsApp users carry a negative id (the number), Telegram users their id. */
export const personOf = (id: number | null) => (id === null ? '—' : id === LOCAL_OPERATOR ? 'terminal' : id < 0 ? `WhatsApp +${-id}` : `Telegram ${id}`);

const when = (d: Date | null, zone: string, lang: Lang) => (d ? formatTime(d, zone, lang) : '—');

/** A secret just made: shown here once, never again. */
export interface Fresh {
  kind: TokenKind;
  name: string;
  /** The API token, or the kiosk's whole URL. */
  value: string;
}

/** A cell of a list: a phone shows its column name before it (the rows stack there instead of scrolling sideways). */
interface Cell { label: string; value: Child; class?: string }

/** A list as a table on a PC, as stacked rows on a phone. */
export function StackTable(props: { list: string; heads: string[]; rows: { key: Record<string, string | number>; cells: Cell[] }[] }) {
  return (
    <div class="scroll"><table class="stack" data-list={props.list}>
      <tr>{props.heads.map((h) => <th>{h}</th>)}</tr>
      {props.rows.map((r) => <tr {...r.key}>{r.cells.map((c) => <td data-label={c.label || undefined} class={c.class}>{c.value}</td>)}</tr>)}
    </table></div>
  );
}

export const RevokeButton = (props: { viewer: PageViewer; action: string; label: string }) => (
  <form method="post" action={props.action} class="inline"><Csrf viewer={props.viewer} /><button aria-label={props.label}>{t(props.viewer.lang, 'webRevoke')}</button></form>
);

function TokenTable(props: { viewer: PageViewer; zone: string; tokens: WebToken[]; kind: TokenKind }) {
  const { lang } = props.viewer;
  if (!props.tokens.length) return <p class="hint">{t(lang, 'webNoTokens')}</p>;
  const api = props.kind === 'api';
  const heads = [t(lang, 'webName'), ...(api ? [t(lang, 'webRole')] : []), t(lang, 'webColCreatedBy'), t(lang, 'webColCreated'), t(lang, 'webColLastUsed'), ''];
  return (
    <StackTable list={props.kind} heads={heads} rows={props.tokens.map((k) => ({
      key: { 'data-token': k.id },
      cells: [{ label: '', value: <b>{k.name}</b> }, ...(api ? [{ label: heads[1]!, value: t(lang, ROLE_TEXT[k.role]) }] : []),
        { label: t(lang, 'webColCreatedBy'), value: personOf(k.createdBy) }, { label: t(lang, 'webColCreated'), value: when(k.createdAt, props.zone, lang) },
        { label: t(lang, 'webColLastUsed'), value: when(k.lastUsedAt, props.zone, lang) },
        { label: '', value: <RevokeButton viewer={props.viewer} action={`/akses/${api ? 'token' : 'kios'}/${k.id}/cabut`} label={`${t(lang, 'webRevoke')} ${k.name}`} /> }],
    }))} />
  );
}

/** A token name is something to recognise it by in the list, not an essay. */
export const TOKEN_NAME_MAX = 60;

const TOKEN_TEXT = {
  api: { title: 'webApiTokens', hint: 'webApiHint', create: 'webCreateToken', action: '/akses/token' },
  kiosk: { title: 'webKiosks', hint: 'webKioskHint', create: 'webCreateKiosk', action: '/akses/kios' },
} as const;

/** API tokens or kiosk links: the list and the form that makes one (an API token with the role it acts with). */
function TokenSection(props: { viewer: PageViewer; zone: string; tokens: WebToken[]; kind: TokenKind; roles: Role[] }) {
  const { viewer, kind } = props;
  const { lang } = viewer;
  const text = TOKEN_TEXT[kind];
  return (
    <section>
      <h2>{t(lang, text.title)}</h2>
      <p class="hint">{t(lang, text.hint)}</p>
      <TokenTable viewer={viewer} zone={props.zone} tokens={props.tokens} kind={kind} />
      <form method="post" action={text.action} class="new">
        <Csrf viewer={viewer} />
        <label>{t(lang, 'webName')}<input name="name" required maxlength={TOKEN_NAME_MAX} /></label>
        {kind === 'api' && <label>{t(lang, 'webRole')}<select name="role">{props.roles.map((r) => <option value={r}>{t(lang, ROLE_TEXT[r])}</option>)}</select></label>}
        <button>{t(lang, text.create)}</button>
      </form>
    </section>
  );
}

export interface AccessData {
  zone: string;
  sessions: SessionInfo[];
  /** The public id of the session looking at the page. */
  thisSession: string;
  apiTokens: WebToken[];
  kiosks: WebToken[];
}

export function AccessPage(props: { viewer: PageViewer; data: AccessData; fresh?: Fresh | undefined }) {
  const { viewer, data, fresh } = props;
  const { lang } = viewer;
  const roles = (['staff', 'admin', 'owner'] as Role[]).filter((r) => viewer.who && atLeast(viewer.who.role, r));
  return (
    <Layout viewer={viewer} title={t(lang, 'webAccessTitle')} style={STYLE}>
      <main class="access">
        {fresh && (
          <div class="secret" data-fresh={fresh.kind}>
            {t(lang, fresh.kind === 'api' ? 'webTokenOnce' : 'webKioskOnce', { name: fresh.name })}
            <code>{fresh.value}</code>
          </div>
        )}
        <section>
          <h2>{t(lang, 'webSessions')}</h2>
          {data.sessions.length ? (
            <StackTable list="sessions" heads={[t(lang, 'webColWho'), t(lang, 'webColStarted'), t(lang, 'webColLastSeen'), t(lang, 'webColFrom'), t(lang, 'webColDevice'), '']}
              rows={data.sessions.map((x) => ({
                key: { 'data-session': x.id },
                cells: [
                  { label: '', value: <>{personOf(x.userId)} · {t(lang, ROLE_TEXT[x.role])}{x.id === data.thisSession && <> · <span class="mine">{t(lang, 'webThisSession')}</span></>}</> },
                  { label: t(lang, 'webColStarted'), value: when(x.createdAt, data.zone, lang) }, { label: t(lang, 'webColLastSeen'), value: when(x.lastSeenAt, data.zone, lang) },
                  { label: t(lang, 'webColFrom'), value: x.from ?? '—' }, { label: t(lang, 'webColDevice'), value: x.agent ?? '—', class: 'agent' },
                  { label: '', value: <RevokeButton viewer={viewer} action={`/akses/sesi/${x.id}/cabut`} label={`${t(lang, 'webRevoke')} ${x.id}`} /> },
                ],
              }))} />
          ) : <p class="hint">{t(lang, 'webNoSessions')}</p>}
        </section>
        <TokenSection viewer={viewer} zone={data.zone} tokens={data.apiTokens} kind="api" roles={roles} />
        <TokenSection viewer={viewer} zone={data.zone} tokens={data.kiosks} kind="kiosk" roles={[]} />
      </main>
    </Layout>
  );
}

/** An audit entry's action in the reader's words; one this version has no words for (or a refused request's "POST /path") as recorded. */
function actionText(lang: Lang, action: string): string {
  const key = `webAudit_${action}`;
  return isTextKey(key) ? `${t(lang, key)} (${action})` : action;
}

export function AuditPage(props: { viewer: PageViewer; zone: string; entries: (AuditEntry & { id: number })[]; older: number | null; paged: boolean }) {
  const { viewer, zone, entries } = props;
  const { lang } = viewer;
  return (
    <Layout viewer={viewer} title={t(lang, 'webAuditTitle')} style={STYLE}>
      <main class="access">
        <section>
          {entries.length ? (
            <StackTable list="audit" heads={[t(lang, 'webColWhen'), t(lang, 'webColWho'), t(lang, 'webColAction'), t(lang, 'webColTarget'), t(lang, 'webColFrom'),
              t(lang, 'webColOutcome'), t(lang, 'webColDetail')]}
              rows={entries.map((e) => ({
                key: { 'data-audit': e.id },
                cells: [
                  { label: '', value: when(e.at, zone, lang) },
                  { label: t(lang, 'webColWho'), value: `${personOf(e.userId)} · ${e.role in ROLE_TEXT ? t(lang, ROLE_TEXT[e.role as Role]) : e.role}${e.via === 'token' ? ` · ${t(lang, 'webViaToken')}` : ''}` },
                  { label: t(lang, 'webColAction'), value: actionText(lang, e.action) }, { label: t(lang, 'webColTarget'), value: e.target || '—' }, { label: t(lang, 'webColFrom'), value: e.from },
                  { label: t(lang, 'webColOutcome'), value: t(lang, `webOutcome_${e.outcome}`), class: e.outcome }, { label: t(lang, 'webColDetail'), value: e.detail, class: 'agent' },
                ],
              }))} />
          ) : <p class="hint">{t(lang, 'webNoAudit')}</p>}
          <nav class="pages">
            {props.paged && <a href="/audit">{t(lang, 'webAuditNewestLink')}</a>}
            {props.older !== null && <a href={`/audit?before=${props.older}`}>{t(lang, 'webAuditOlder')}</a>}
          </nav>
        </section>
      </main>
    </Layout>
  );
}
