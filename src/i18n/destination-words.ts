import type { DestinationPlace } from '../pipeline/backup/ports.ts';
import { t, type Lang } from './text.ts';

/** A backup destination as the reader's language names it; one without a place (a test double) by its English description. */
export const placeText = (lang: Lang, d: { description: string; place?: DestinationPlace | undefined }): string =>
  (d.place ? t(lang, `webBackupPlace_${d.place.kind}`, { location: d.place.location }) : d.description);
