import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The fonts the chart and the PDF are drawn with: the Roboto that pdfmake ships, found through
 * the package (no path of this machine), so that both render the same everywhere, with no system
 * font looked up.
 */
export function robotoFiles(): { normal: string; bold: string; italics: string; bolditalics: string } {
  const file = (name: string) => require.resolve(`pdfmake/fonts/Roboto/${name}.ttf`);
  return { normal: file('Roboto-Regular'), bold: file('Roboto-Medium'), italics: file('Roboto-Italic'), bolditalics: file('Roboto-MediumItalic') };
}
