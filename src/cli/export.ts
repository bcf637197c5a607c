import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { findStore, loadConfig } from '../config/load-config.ts';
import { t } from '../i18n/text.ts';
import { openPriceLists } from '../main/price-reader.ts';
import { priceFileName, priceWorkbook } from '../pipeline/price-workbook.ts';
import { cliLogger } from './cli-log.ts';
import { cliIo, print, tell } from './print.ts';

/** As `tokobot ask`: the store has no published list yet (no successful sync). */
const NO_LIST_EXIT = 3;

/**
 * `tokobot export`: the store's published price list into a file, as the chat's /export sends it:
 * its Excel workbook (price-workbook.ts, in TOKOBOT_LANG's language) or, with --csv, the very CSV
 * that was published. Only the ops database is opened, as for `tokobot ask`.
 */
export async function exportList(store: string | undefined, csv: boolean, out: string | undefined): Promise<number> {
  const config = loadConfig(cliIo().env, { reader: true });
  const s = findStore(config.stores, store);
  const lang = config.locale.lang;
  const lists = await openPriceLists(config, cliLogger(config));
  try {
    const published = await lists.priceLists.published(s.id);
    if (!published?.csvPath) {
      tell(`${t(lang, 'noList')}\n`);
      return NO_LIST_EXIT;
    }
    const format = csv ? 'csv' : 'xlsx';
    const made = csv ? { path: published.csvPath, rows: published.rowCount } : await priceWorkbook(published.csvPath, lang);
    const target = path.resolve(out ?? priceFileName(s.id, published.publishedAt, format));
    await copyFile(made.path, target);
    print(t(lang, 'exportWritten', { store: s.id, rows: made.rows, file: target }));
    return 0;
  } finally {
    await lists.close();
  }
}
