import { t, type Lang } from '../i18n/text.ts';
import { percentOf, progressText } from './live-progress.ts';
import type { Card } from './overview.ts';
import type { PageViewer } from './pages.tsx';
import { atLeast } from './web-env.ts';

/** A RUNNING card's stage and progress; /static/live.js keeps the text and the bar current. */
export function CardLive({ card, lang }: { card: Card; lang: Lang }) {
  if (card.state !== 'RUNNING') return null;
  const pct = card.live ? percentOf(card.live) : null;
  return (
    <div class="live">
      <span class="live-text">{card.live ? progressText(lang, card.live) : t(lang, 'webStateRUNNING')}</span>
      {pct === null ? <progress max="100"></progress> : <progress max="100" value={String(pct)}></progress>}
    </div>
  );
}

/**
 * (Its CSRF field is written out here, not with pages.tsx's Csrf: pages.tsx imports this file.)
 * Sync now / Back up now, or Cancel while it runs: for admins and owners, and only where runs are
 * made (`actions`); for anyone else the buttons are not in the page at all.
 */
export function CardActions({ card, viewer, actions }: { card: Card; viewer: PageViewer; actions: boolean }) {
  const who = viewer.who;
  if (!actions || !who || !atLeast(who.role, 'admin')) return null;
  const base = card.kind === 'store' ? `/toko/${encodeURIComponent(card.id)}` : `/backup/${encodeURIComponent(card.id)}`;
  const running = card.state === 'RUNNING';
  const lang = viewer.lang;
  return (
    <form method="post" action={running ? `${base}/batal` : card.kind === 'store' ? `${base}/sync` : `${base}/jalankan`} class="actions">
      <input type="hidden" name="_csrf" value={who.csrf} />
      <button class={running ? 'cancel' : 'go'}>{t(lang, running ? 'webCancel' : card.kind === 'store' ? 'webSyncNow' : 'webBackupNow')}</button>
    </form>
  );
}

/** What the last action did, above the cards (the overview's `aksi` query names one of a fixed set). */
export const ActionBanner = ({ text }: { text: string }) => <p class="banner" role="status">{text}</p>;

export const LIVE_STYLE = `
.live{margin:.5rem 0 0;font-size:.9rem}.live progress{display:block;width:100%;height:.6rem}
form.actions{margin:.6rem 0 0}form.actions button{border-radius:.3rem;padding:.3rem .8rem;border:1px solid #1565c0;background:#1565c0;color:#fff;font-size:.9rem}
form.actions button.cancel{background:#fff;color:#a31515;border-color:#c62828}
.banner{grid-column:1/-1;margin:0;background:#fff;border-left:.4rem solid #1565c0;padding:.6rem 1rem;border-radius:.5rem}
`;
