/** The languages tokobot speaks: Indonesian (the default) and English. */
export type Lang = 'id' | 'en';

/**
 * Who reads a text: their language, and the time zone its times are shown in (the store's, or
 * STORE_TZ for what belongs to no store).
 */
export interface Locale {
  lang: Lang;
  zone: string;
}
