import { formatTime } from '../i18n/format-time.ts';
import { t, type Lang } from '../i18n/text.ts';
import type { Card } from './overview.ts';
import { CardView, Layout } from './pages.tsx';

/** A screen read from across the shop: large type on big screens, the phone layout kept on small ones. */
const STYLE = `
@media (min-width:1000px){html{font-size:26px}.card h2{font-size:1.3rem}.state{font-size:1rem}dl{font-size:1rem}}
.kiosk-bar{display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem;padding:.6rem 1rem;background:#1d2330;color:#fff}
.kiosk-bar b{font-size:1.2rem}.kiosk-bar span{opacity:.85}
`;
/** Often enough that a failure shows within a minute; rarely enough for a slow shop connection. */
export const KIOSK_REFRESH_SECONDS = 60;

/**
 * The kiosk: the overview's cards and nothing else — no menu, no forms, no links (it is a screen,
 * not a signed-in person). It reloads itself with a meta refresh, since the CSP allows no inline script.
 */
export function KioskPage(props: { lang: Lang; zone: string; now: Date; cards: Card[] }) {
  const { lang } = props;
  return (
    <Layout viewer={{ lang }} title={t(lang, 'webKioskTitle')} refreshSeconds={KIOSK_REFRESH_SECONDS} style={STYLE}>
      <div class="kiosk-bar"><b>{t(lang, 'webKioskTitle')}</b><span>{t(lang, 'webKioskUpdated', { time: formatTime(props.now, props.zone, lang) })}</span></div>
      <main class="cards">{props.cards.length ? props.cards.map((card) => <CardView card={card} viewer={{ lang }} plain />) : <p>{t(lang, 'webNoCards')}</p>}</main>
    </Layout>
  );
}
