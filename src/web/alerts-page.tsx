import type { ChannelTest } from '../main/alerting.ts';
import { alertTime, alertTitle } from '../pipeline/alerts/alert-messages.ts';
import { MAX_MUTE_HOURS, type OpenAlert, type ResolvedAlert } from '../pipeline/alerts/alert-types.ts';
import type { Channel, MessengerState } from '../pipeline/alerts/ports.ts';
import { formatTime, localTimes } from '../i18n/format-time.ts';
import { t, type Lang } from '../i18n/text.ts';
import { Csrf, Layout, type PageViewer } from './pages.tsx';

/** The mute a form offers first: half a working day. */
const DEFAULT_MUTE_HOURS = 4;
const GRID = 'display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))';
/** Critical alerts look like a failed card, warnings like one that needs attention. */
const LOOK = { critical: 'FAILED', warning: 'ATTENTION' } as const;

interface Props {
  viewer: PageViewer;
  zone: string;
  now: Date;
  open: OpenAlert[];
  resolved: ResolvedAlert[];
  channels: (MessengerState & { channel: Channel })[];
  test?: { channel: Channel; results: ChannelTest[] } | undefined;
}

function OpenAlertCard({ alert, viewer, reader, now }: { alert: OpenAlert; viewer: PageViewer; reader: { lang: Lang; zone: string }; now: Date }) {
  const { lang } = reader;
  const time = (d: Date | null) => (d ? alertTime(alert, d, reader) : t(lang, 'webNever'));
  const muted = alert.mutedUntil && alert.mutedUntil > now ? alert.mutedUntil : null;
  return (
    <section class={`card ${LOOK[alert.severity]}`} data-alert={alert.key}>
      <div class="kind">{alert.key}</div>
      <h2>{alertTitle(alert, reader)}</h2>
      <span class="state">{t(lang, `webSeverity_${alert.severity}`)}</span>
      <dl>
        <dt>{t(lang, 'webAlertsOpened')}</dt><dd>{time(alert.openedAt)}</dd>
        <dt>{t(lang, 'webAlertsLastTold')}</dt><dd>{time(alert.lastSentAt)}</dd>
        <dt>{t(lang, 'webAlertsMutedUntil')}</dt><dd class="muted-until">{muted ? time(muted) : '—'}</dd>
      </dl>
      <form method="post" action="/peringatan/bisukan" class="mute">
        <Csrf viewer={viewer} /><input type="hidden" name="key" value={alert.key} />
        <input type="number" name="hours" min="1" max={String(MAX_MUTE_HOURS)} value={String(DEFAULT_MUTE_HOURS)} style="width:4.5rem" aria-label={t(lang, 'webAlertsHours')} />
        {' '}{t(lang, 'webAlertsHours')} <button>{t(lang, 'webAlertsMute')}</button>
      </form>
      {muted && (
        <form method="post" action="/peringatan/bunyikan" class="unmute">
          <Csrf viewer={viewer} /><input type="hidden" name="key" value={alert.key} /><button>{t(lang, 'webAlertsUnmute')}</button>
        </form>
      )}
    </section>
  );
}

function TestResult({ test, lang }: { test: NonNullable<Props['test']>; lang: Lang }) {
  const line = (r: ChannelTest) => t(lang, r.off ? 'webAlertsTestOff' : r.error ? 'webAlertsTestFailed' : 'webAlertsTestSent', { name: r.name, to: r.to, error: r.error ?? '' });
  return (
    <section class="card" id="test-result">
      <h2>{t(lang, 'webAlertsTestResult', { channel: test.channel })}</h2>
      {test.results.length ? <ul>{test.results.map((r) => <li class={r.error || r.off ? 'failed' : 'sent'}>{line(r)}</li>)}</ul>
        : <p>{t(lang, 'webAlertsTestNobody', { channel: test.channel })}</p>}
    </section>
  );
}

/** A channel's state in the reader's language; a state without a code (a test double) as its text, its instants in local time. */
function channelState(ch: MessengerState, zone: string, lang: Lang): string {
  if (!ch.code) return localTimes(ch.text, zone, lang);
  return t(lang, `webChannel_${ch.code}`, { since: ch.since ? formatTime(new Date(ch.since), zone, lang) : '', detail: ch.detail ?? '' });
}

/** /peringatan: what is wrong now (mute, unmute), what was wrong lately, and the channels with a test button each. */
export function AlertsPage(props: Props) {
  const { lang } = props.viewer;
  const reader = { lang, zone: props.zone };
  return (
    <Layout viewer={props.viewer} title={t(lang, 'webAlertsTitle')}>
      <main>
        {props.test && <TestResult test={props.test} lang={lang} />}
        <h2>{t(lang, 'webAlertsOpen')}</h2>
        <p><small>{t(lang, 'webAlertsMuteNote')}</small></p>
        {props.open.length
          ? <div style={GRID}>{props.open.map((alert) => <OpenAlertCard alert={alert} viewer={props.viewer} reader={reader} now={props.now} />)}</div>
          : <p>{t(lang, 'webAlertsNoneOpen')}</p>}
        <h2>{t(lang, 'webAlertsChannels')}</h2>
        {props.channels.length ? (
          <ul>{props.channels.map((ch) => (
            <li data-channel={ch.channel}>
              <b>{ch.channel}</b>: <span data-state={ch.code ?? ''}>{channelState(ch, props.zone, lang)}</span>{' '}
              <form method="post" action="/peringatan/tes" class="inline"><Csrf viewer={props.viewer} /><input type="hidden" name="channel" value={ch.channel} /><button>{t(lang, 'webAlertsTest')}</button></form>
            </li>
          ))}</ul>
        ) : <p>{t(lang, 'webAlertsNoChannels')}</p>}
        <h2>{t(lang, 'webAlertsHistory')}</h2>
        {props.resolved.length ? (
          <div class="scroll"><table>
            <tr><th>{t(lang, 'webAlertsSeverity')}</th><th>{t(lang, 'webAlertsWhat')}</th><th>{t(lang, 'webAlertsOpened')}</th><th>{t(lang, 'webAlertsResolvedAt')}</th></tr>
            {props.resolved.map((a) => (
              <tr data-resolved={a.key}><td>{t(lang, `webSeverity_${a.severity}`)}</td><td>{alertTitle(a, reader)}</td><td>{alertTime(a, a.openedAt, reader)}</td><td>{alertTime(a, a.resolvedAt, reader)}</td></tr>
            ))}
          </table></div>
        ) : <p>{t(lang, 'webAlertsNoHistory')}</p>}
      </main>
    </Layout>
  );
}
