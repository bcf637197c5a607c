import type { FoundBarcode } from '../adapters/barcode/barcode-reader.ts';
import type { StoreConfig } from '../config/load-config.ts';
import { t } from '../i18n/text.ts';
import type { CommandContext } from './commands/command.ts';
import type { CoreDeps } from './context.ts';
import { searchReply } from './price-replies.ts';
import type { Reply } from './reply.ts';

/**
 * What to search for a code read: the code as printed, unless the list has the code only in
 * another form (a UPC-A as its EAN-13 with a leading 0, a UPC-E as its UPC-A, as some scanners type them).
 */
async function queryOf(deps: Pick<CoreDeps, 'search'>, store: StoreConfig, code: FoundBarcode): Promise<string> {
  if (!code.alsoWritten?.length) return code.text;
  for (const form of [code.text, ...(code.alsoWritten ?? [])]) {
    if ((await deps.search.search(store.id, form, { limit: 1 })).exact) return form;
  }
  return code.text;
}

/**
 * The answer to a photo: each code read answered as the same code typed (its items, their
 * buttons), under a line naming the code, all in one reply; none read: how to take a photo that
 * reads. The last code becomes the person's last search ("lanjut").
 */
export async function barcodeReply(c: Pick<CommandContext, 'deps' | 'buttons' | 'who' | 'searches'>, codes: FoundBarcode[]): Promise<Reply> {
  const { deps, who } = c;
  if (!codes.length) return { severity: 'warning', lines: [t(who.lang, 'barcodeUnreadable')] };
  const parts: Reply[] = [];
  for (const code of codes) {
    const answer = await searchReply(deps, c.buttons, who, who.store, await queryOf(deps, who.store, code), 0, c.searches);
    parts.push({ ...answer, lines: [t(who.lang, 'barcodeRead', { code: code.text, format: code.format }), ...answer.lines] });
  }
  const buttons = parts.flatMap((p) => p.buttons ?? []);
  return {
    severity: parts.every((p) => p.severity === 'info') ? 'info' : 'warning',
    title: parts[0]?.title,
    lines: parts.flatMap((p) => p.lines),
    ...(buttons.length ? { buttons } : {}),
  };
}
