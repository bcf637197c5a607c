import { formatTime } from '../i18n/format-time.ts';
import { agentFactLines, agentJobLines, type AgentLine } from '../i18n/agent-words.ts';
import { t, type Lang } from '../i18n/text.ts';
import { agentTrouble, type AgentStatus } from '../pipeline/agents/agent-status.ts';
import type { AgentToken } from '../store/agents.ts';
import { RevokeButton, StackTable } from './access-pages.tsx';
import { Csrf, Layout, type PageViewer } from './pages.tsx';

/**
 * /agen: each store's shop agent with what its heartbeats and runs tell (the same facts as /status),
 * and, for owners, the store's agent tokens with "create" and "revoke". A new token is shown once,
 * with the exact enroll line to copy. Every value goes through JSX escaping.
 */
const STYLE = `
main.agents{display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(min(34rem,100%),1fr))}main.agents th{white-space:nowrap}
main.agents section{background:#fff;border-radius:.5rem;padding:.8rem 1rem;box-shadow:0 1px 2px #0002;border-left:.4rem solid #8a94a6;overflow-wrap:anywhere}
main.agents section.OK{border-left-color:#2e7d32}main.agents section.FAILED{border-left-color:#c62828}main.agents section.CHECK{border-left-color:#e65100}
main.agents h2{font-size:1rem;margin:0 0 .3rem}main.agents h3{font-size:.9rem;margin:.8rem 0 .3rem}
main.agents ul{margin:.3rem 0;padding-left:1.1rem;font-size:.9rem}li.warn{color:#a31515;font-weight:600}li.sub{list-style:none;color:#5b6475}
.hint{color:#5b6475;font-size:.85rem}.head{font-size:.85rem;color:#5b6475}
.secret{background:#fff8e1;border:1px solid #f9a825;border-radius:.4rem;padding:.6rem .8rem;margin:1rem}
.secret code{display:block;font-size:.95rem;word-break:break-all;background:#fff;padding:.4rem;margin-top:.4rem;user-select:all}
form.new{display:inline-block;margin:.4rem .4rem 0 0}
@media (max-width:640px){table.stack,table.stack tbody,table.stack tr,table.stack td{display:block}table.stack tr:first-child{display:none}
table.stack tr{border-bottom:1px solid #e6e8ec;padding:.3rem 0}table.stack td{border:0;padding:.1rem .3rem}
table.stack td[data-label]::before{content:attr(data-label);color:#5b6475;font-size:.8rem;margin-right:.4rem}}
`;

/** One store on the page: its agent when one reported, its tokens when the viewer is an owner. */
export interface AgentCard {
  store: string;
  name: string;
  agent: AgentStatus | null;
  /** Unset for viewers who may not see tokens (below owner). */
  tokens?: AgentToken[];
  /** Only stores configured here may get a token. */
  configured: boolean;
}

/** A token just made: shown here once, never again. */
export interface FreshAgentToken { store: string; name: string; enroll: string }

type State = 'ok' | 'silent' | 'trouble' | 'none';
const CARD_CLASS: Record<State, string> = { ok: 'OK', silent: 'FAILED', trouble: 'CHECK', none: 'NONE' };

function stateOf(a: AgentStatus | null): State {
  if (!a) return 'none';
  if (a.silent) return 'silent';
  return agentTrouble(a) ? 'trouble' : 'ok';
}

const Lines = (props: { lines: AgentLine[]; sub?: boolean[] }) => (
  <ul>{props.lines.map((l, i) => <li class={l.warn ? 'warn' : props.sub?.[i] ? 'sub' : undefined}>{l.text}</li>)}</ul>
);

function Tokens(props: { viewer: PageViewer; card: AgentCard; zone: string }) {
  const { viewer, card } = props;
  const { lang } = viewer;
  const tokens = card.tokens ?? [];
  const when = (d: Date | null) => (d ? formatTime(d, props.zone, lang) : '—');
  const heads = [t(lang, 'webColCreated'), t(lang, 'webColCreatedBy'), t(lang, 'webColLastUsed'), t(lang, 'webAgentColState')];
  const live = tokens.filter((k) => !k.revokedAt).length;
  return (
    <>
      <h3>{t(lang, 'webAgentTokens')}</h3>
      {tokens.length ? (
        <StackTable list={`tokens-${card.store}`} heads={heads} rows={tokens.map((k) => ({
          key: { 'data-token': k.id },
          cells: [{ label: heads[0]!, value: when(k.createdAt) }, { label: heads[1]!, value: k.createdBy }, { label: heads[2]!, value: when(k.lastUsedAt) },
            { label: heads[3]!, value: k.revokedAt ? t(lang, 'webAgentRevokedAt', { time: when(k.revokedAt) }) : t(lang, 'webAgentLive') }],
        }))} />
      ) : <p class="hint">{t(lang, 'webAgentNoTokens')}</p>}
      {card.configured && (
        <form method="post" action={`/agen/${encodeURIComponent(card.store)}/token`} class="new">
          <Csrf viewer={viewer} /><button>{t(lang, 'webAgentCreate')}</button>
        </form>
      )}
      {live > 0 && <RevokeButton viewer={viewer} action={`/agen/${encodeURIComponent(card.store)}/cabut`} label={`${t(lang, 'webAgentRevokeAll')} ${card.name}`} />}
    </>
  );
}

function Card(props: { viewer: PageViewer; card: AgentCard; zone: string }) {
  const { viewer, card } = props;
  const { lang } = viewer;
  const a = card.agent;
  const state = stateOf(a);
  return (
    <section class={CARD_CLASS[state]} data-store={card.store}>
      <h2>{card.name} <span class="state">{t(lang, `webAgentState_${state}`)}</span></h2>
      {a ? (
        <>
          <div class="head">{a.host} · {a.version}</div>
          <Lines lines={agentFactLines(a, lang)} />
          {a.jobs.map((j) => {
            const lines = agentJobLines(j, a.zone, lang);
            return <Lines lines={lines} sub={lines.map((_, i) => i > 0)} />;
          })}
        </>
      ) : <p class="hint">{t(lang, 'webAgentNoAgent')}</p>}
      {card.tokens && <Tokens viewer={viewer} card={card} zone={a?.zone ?? props.zone} />}
    </section>
  );
}

export function AgentsPage(props: { viewer: PageViewer; cards: AgentCard[]; zone: string; fresh?: FreshAgentToken | undefined }) {
  const { viewer, cards, fresh } = props;
  const lang: Lang = viewer.lang;
  return (
    <Layout viewer={viewer} title={t(lang, 'webAgentsTitle')} style={STYLE}>
      {fresh && (
        <div class="secret" data-fresh={fresh.store}>
          {t(lang, 'webAgentTokenOnce', { store: fresh.name })}
          <code data-enroll>{fresh.enroll}</code>
        </div>
      )}
      {cards.length ? <main class="agents">{cards.map((card) => <Card viewer={viewer} card={card} zone={props.zone} />)}</main>
        : <main><p class="hint">{t(lang, 'webAgentsNone')}</p></main>}
    </Layout>
  );
}
