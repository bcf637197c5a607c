import { robotoFiles } from './report-fonts.ts';

/** Drawn at twice the SVG's size: sharp on a phone's screen and in the PDF. */
const ZOOM = 2;

/**
 * An SVG chart as a PNG, by resvg (prebuilt, no canvas or native build). No system font is
 * loaded: every family the SVG names (ECharts writes sans-serif) is drawn in Roboto.
 */
export async function chartPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const fonts = robotoFiles();
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [fonts.normal, fonts.bold], defaultFontFamily: 'Roboto', sansSerifFamily: 'Roboto', serifFamily: 'Roboto', monospaceFamily: 'Roboto' },
    fitTo: { mode: 'zoom', value: ZOOM },
    background: '#ffffff',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
