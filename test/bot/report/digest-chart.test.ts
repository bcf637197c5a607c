import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartPng } from '../../../src/bot/report/chart-png.ts';
import { digestChartSvg, FAILURE_COLOUR, SUBJECT_COLOURS } from '../../../src/bot/report/digest-chart.ts';
import type { Digest, DigestSubject } from '../../../src/pipeline/reports/digest.ts';
import { weekDigest } from './digest-fixture.ts';
import { pixels } from './pixels.ts';

/** ECharts' colour for titles and axis labels: text drawn only when resvg found a font for it. */
const TEXT_COLOUR = '#3c3c41';

const withoutFailures = (d: Digest): Digest => ({
  ...d, subjects: d.subjects.map((s) => ({ ...s, failures: 0, points: s.points.map((p) => ({ ...p, ok: true, bytes: p.bytes ?? 1_048_576 })) })),
});

test('the chart PNG: 720×n drawn at twice the size, each subject\'s colour and the failures\' red in it, its titles drawn in Roboto', async () => {
  const png = await chartPng(await digestChartSvg(weekDigest(), 'id'));
  const p = await pixels(png);
  assert.equal(p.width, 1440);
  assert.ok(p.height >= 2 * 412 && p.height < 2 * 500, `height ${p.height}`);
  for (const [i, colour] of SUBJECT_COLOURS.slice(0, 4).entries()) assert.ok(p.count(colour) > 200, `subject ${i}'s ${colour}: ${p.count(colour)} pixels`);
  assert.ok(p.count(FAILURE_COLOUR, undefined, 40) > 100, `failure red: ${p.count(FAILURE_COLOUR, undefined, 40)} pixels`);
  // The size panel's title, top left: without a font resvg would leave it out.
  assert.ok(p.count(TEXT_COLOUR, { left: 0, top: 0, width: 600, height: 60 }, 40) > 150, 'no title text drawn');
  assert.ok(p.inked() > 0.03 && p.inked() < 0.6, `inked share ${p.inked()}`);
});

test('no failure, no red; no runs at all, an empty chart that says so', async () => {
  const calm = await pixels(await chartPng(await digestChartSvg(withoutFailures(weekDigest()), 'id')));
  assert.equal(calm.count(FAILURE_COLOUR, undefined, 40), 0);
  const empty = { ...weekDigest(), subjects: weekDigest().subjects.map((s) => ({ ...s, runs: 0, failures: 0, points: [] })) };
  const svg = await digestChartSvg(empty, 'en');
  assert.match(svg, />No runs in this period</);
  const p = await pixels(await chartPng(svg));
  assert.equal(p.count(SUBJECT_COLOURS[0], { left: 100, top: 60, width: 1300, height: 700 }), 0);
});

test('names are text in the SVG: escaped, never markup', async () => {
  const svg = await digestChartSvg(weekDigest(), 'id');
  assert.ok(svg.includes('Cabang &lt;script&gt;alert(1)&lt;/sc…'), 'the legend shows the name, escaped and cut');
  assert.doesNotMatch(svg, /<script/i);
  assert.doesNotMatch(svg, /&(?!amp;|lt;|gt;|quot;|#\d+;|apos;)/);
});

test('ten subjects: one colour each, the legend on more rows below the panels', async () => {
  const base = weekDigest().subjects[0]!;
  const subjects: DigestSubject[] = Array.from({ length: 10 }, (_, i) => ({
    ...base, id: `toko-${i}`, name: `Toko Cabang Nomor ${i + 1}`,
    points: base.points.map((p) => ({ ...p, bytes: (i + 1) * 5 * 1_048_576, durationMs: (i + 1) * 30_000 })),
  }));
  const one = await pixels(await chartPng(await digestChartSvg({ ...weekDigest(), subjects: subjects.slice(0, 1) }, 'id')));
  const ten = await pixels(await chartPng(await digestChartSvg({ ...weekDigest(), subjects }, 'id')));
  assert.ok(ten.height > one.height, `${ten.height} ≤ ${one.height}`);
  for (const colour of SUBJECT_COLOURS) assert.ok(ten.count(colour) > 100, `${colour}: ${ten.count(colour)} pixels`);
});

test('a daily digest: one column per hour of the store\'s day', async () => {
  const w = weekDigest();
  const from = new Date('2026-11-28T17:00:00Z');
  const svg = await digestChartSvg({ ...w, period: 'day', from, to: new Date('2026-11-29T17:00:00Z') }, 'id');
  for (const hour of ['00:00', '09:00', '21:00']) assert.ok(svg.includes(`>${hour}<`), `no ${hour} column`);
  assert.ok(!svg.includes('>01:00<'), 'every hour labelled');
  assert.ok(!svg.includes('Nov<'), 'days on a daily chart');
});
