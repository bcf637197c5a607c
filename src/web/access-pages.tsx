import type { Role } from '../config/sections.ts';
import { formatTime } from '../i18n/format-time.ts';
import { t, type Lang } from '../i18n/text.ts';
import type { AuditEntry } from '../store/web-audit.ts';
import type { SessionInfo } from '../store/web-auth.ts';
import type { TokenKind, WebToken } from '../store/web-tokens.ts';
import { Csrf, Layout, ROLE_TEXT, type PageViewer } from './pages.tsx';
import { atLeast } from './web-env.ts';

/**
 * The owner's pages: who is signed in, the API tokens and kiosk links (each revocable), and the
 * audit trail. Every value (user agents, token names, audit details) goes through JSX escaping.
 */
const STYLE = `
main.access section{background:#fff;border-radius:.5rem;padding:.8rem 1rem;margin-bottom:1rem;box-shadow:0 1px 2px #0002}
main.access h2{font-size:1.05rem;margin:0 0 .5rem}.hint{color:#5b6475;font-size:.85rem}
td.agent{max-width:22rem;overflow-wrap:anywhere;font-size:.8rem}.mine{font-weight:700;color:#1b5e20}
.secret{background:#fff8e1;border:1px solid #f9a825;border-radius:.4rem;padding:.6rem .8rem;margin-bottom:1rem}
.secret code{display:block;font-size:1rem;word-break:break-all;background:#fff;padding:.4rem;margin-top:.4rem;user-select:all}
form.new{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-top:.6rem}form.new label{display:flex;flex-direction:column;font-size:.85rem}
.refused{color:#a31515}.failed{color:#a84300}nav.pages{margin-top:.8rem;display:flex;gap:1rem}
`;

/** A person as the chat they came from names them: WhatsApp users carry a negative id (the number), Telegram users their id. */
export const personOf = (id: number | null) => (id === null ? '—' : id < 0 ? `WhatsApp +${-id}` : `Telegram ${id}`);

const when = (d: Date | null, zone: string, lang: Lang) => (d ? formatTime(d, zone, lang) : '—');

/** A secret just made: shown here once, never again. */
export interface Fresh {
  kind: TokenKind;
  name: string;
  /** The API token, or the kiosk's whole URL. */
  value: string;
}

const RevokeButton = (props: { viewer: PageViewer; action: string; label: string }) => (
  <form method="post" action={props.action} class="inline"><Csrf viewer={props.viewer} /><button aria-label={props.label}>{t(props.viewer.lang, 'webRevoke')}</button></form>
);

function TokenTable(props: { viewer: PageViewer; zone: string; tokens: WebToken[]; kind: TokenKind }) {
  const { lang } = props.viewer;
  if (!props.tokens.length) return <p class="hint">{t(lang, 'webNoTokens')}</p>;
  return (
    <div class="scroll"><table data-list={props.kind}>
      <tr><th>{t(lang, 'webName')}</th>{props.kind === 'api' && <th>{t(lang, 'webRole')}</th>}<th>{t(lang, 'webColCreatedBy')}</th>
        <th>{t(lang, 'webColCreated')}</th><th>{t(lang, 'webColLastUsed')}</th><th></th></tr>
      {props.tokens.map((k) => (
        <tr data-token={k.id}>
          <td>{k.name}</td>{props.kind === 'api' && <td>{t(lang, ROLE_TEXT[k.role])}</td>}<td>{personOf(k.createdBy)}</td>
          <td>{when(k.createdAt, props.zone, lang)}</td><td>{when(k.lastUsedAt, props.zone, lang)}</td>
          <td><RevokeButton viewer={props.viewer} action={`/akses/${props.kind === 'api' ? 'token' : 'kios'}/${k.id}/cabut`} label={`${t(lang, 'webRevoke')} ${k.name}`} /></td>
        </tr>
      ))}
    </table></div>
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
  const roles = (['staff', 'admin', 'owner'] as const).filter((r: Role) => viewer.who && atLeast(viewer.who.role, r));
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
            <div class="scroll"><table data-list="sessions">
              <tr><th>{t(lang, 'webColWho')}</th><th>{t(lang, 'webColStarted')}</th><th>{t(lang, 'webColLastSeen')}</th><th>{t(lang, 'webColFrom')}</th>
                <th>{t(lang, 'webColDevice')}</th><th></th></tr>
              {data.sessions.map((s) => (
                <tr data-session={s.id}>
                  <td>{personOf(s.userId)} · {t(lang, ROLE_TEXT[s.role])}{s.id === data.thisSession && <> · <span class="mine">{t(lang, 'webThisSession')}</span></>}</td>
                  <td>{when(s.createdAt, data.zone, lang)}</td><td>{when(s.lastSeenAt, data.zone, lang)}</td><td>{s.from ?? '—'}</td>
                  <td class="agent">{s.agent ?? '—'}</td>
                  <td><RevokeButton viewer={viewer} action={`/akses/sesi/${s.id}/cabut`} label={`${t(lang, 'webRevoke')} ${s.id}`} /></td>
                </tr>
              ))}
            </table></div>
          ) : <p class="hint">{t(lang, 'webNoSessions')}</p>}
        </section>
        <section>
          <h2>{t(lang, 'webApiTokens')}</h2>
          <p class="hint">{t(lang, 'webApiHint')}</p>
          <TokenTable viewer={viewer} zone={data.zone} tokens={data.apiTokens} kind="api" />
          <form method="post" action="/akses/token" class="new">
            <Csrf viewer={viewer} />
            <label>{t(lang, 'webName')}<input name="name" required maxlength={60} /></label>
            <label>{t(lang, 'webRole')}<select name="role">{roles.map((r) => <option value={r}>{t(lang, ROLE_TEXT[r])}</option>)}</select></label>
            <button>{t(lang, 'webCreateToken')}</button>
          </form>
        </section>
        <section>
          <h2>{t(lang, 'webKiosks')}</h2>
          <p class="hint">{t(lang, 'webKioskHint')}</p>
          <TokenTable viewer={viewer} zone={data.zone} tokens={data.kiosks} kind="kiosk" />
          <form method="post" action="/akses/kios" class="new">
            <Csrf viewer={viewer} />
            <label>{t(lang, 'webName')}<input name="name" required maxlength={60} /></label>
            <button>{t(lang, 'webCreateKiosk')}</button>
          </form>
        </section>
      </main>
    </Layout>
  );
}

export function AuditPage(props: { viewer: PageViewer; zone: string; entries: (AuditEntry & { id: number })[]; older: number | null; paged: boolean }) {
  const { viewer, zone, entries } = props;
  const { lang } = viewer;
  return (
    <Layout viewer={viewer} title={t(lang, 'webAuditTitle')} style={STYLE}>
      <main class="access">
        <section>
          {entries.length ? (
            <div class="scroll"><table data-list="audit">
              <tr><th>{t(lang, 'webColWhen')}</th><th>{t(lang, 'webColWho')}</th><th>{t(lang, 'webColAction')}</th><th>{t(lang, 'webColTarget')}</th>
                <th>{t(lang, 'webColFrom')}</th><th>{t(lang, 'webColOutcome')}</th><th>{t(lang, 'webColDetail')}</th></tr>
              {entries.map((e) => (
                <tr data-audit={e.id}>
                  <td>{when(e.at, zone, lang)}</td>
                  <td>{personOf(e.userId)} · {e.role in ROLE_TEXT ? t(lang, ROLE_TEXT[e.role as Role]) : e.role}{e.via === 'token' && ` · ${t(lang, 'webViaToken')}`}</td>
                  <td>{e.action}</td><td>{e.target || '—'}</td><td>{e.from}</td>
                  <td class={e.outcome}>{t(lang, `webOutcome_${e.outcome}`)}</td><td class="agent">{e.detail}</td>
                </tr>
              ))}
            </table></div>
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
