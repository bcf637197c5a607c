import { canonicalWords, words } from './abbreviations.ts';

/** What a name is indexed by: its own words plus the spelled-out shorthand, once each. */
export function searchText(name: string): string {
  return [...new Set([...words(name), ...canonicalWords(name)])].join(' ');
}
