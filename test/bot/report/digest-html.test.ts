import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestHtml } from '../../../src/bot/report/digest-html.ts';
import { weekDigest } from './digest-fixture.ts';

const ESCAPED_NAME = 'Cabang &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co';

test('the e-mail body: title, counts, each subject\'s row with Indonesian numbers, the alert, the low disk', () => {
  const html = digestHtml(weekDigest(), 'id');
  assert.match(html, /<h2[^>]*>Laporan mingguan 23–29 Nov 2026<\/h2>/);
  assert.match(html, />3 gagal dari 35, 1 peringatan terbuka</);
  assert.match(html, /<td[^>]*>harian<\/td><td[^>]*>backup<\/td><td[^>]*>14<\/td><td[^>]*>2<\/td><td[^>]*>29 Nov 2026 07:00 WIB<\/td><td[^>]*>1\.200,0 MB<\/td><td[^>]*>10 m 03 s<\/td><td[^>]*>12× \/ 0 beda<\/td>/);
  assert.match(html, /Kritis:<\/b> Backup harian GAGAL \(sejak 28 Nov 2026 19:00 WIB\)/);
  assert.match(html, /D:\\Backup<\/td><td[^>]*>800,0 MB<\/td><td[^>]*>2,0 GB<\/td><td[^>]*>DI BAWAH MINIMUM<\/td>/);
  assert.match(digestHtml(weekDigest(), 'en'), /<td[^>]*>1,200\.0 MB<\/td>/);
});

test('names, errors and the chart\'s address are escaped: only the body\'s own tags are markup', () => {
  const html = digestHtml(weekDigest(), 'id', { chartSrc: 'cid:chart" onerror="alert(1)' });
  assert.ok(html.includes(`<td style="padding:4px 8px;border-bottom:1px solid #e2e6ee;text-align:left;vertical-align:top">${ESCAPED_NAME}</td>`));
  assert.ok(html.includes(`toko ${ESCAPED_NAME}`), 'the store\'s disk by its escaped name');
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /<img src="cid:chart&quot; onerror=&quot;alert\(1\)" /);
  assert.doesNotMatch(html, /<(?!\/?(?:div|h2|h3|p|table|tr|th|td|b|img)[\s>])/, 'a tag the body does not write');
  assert.doesNotMatch(html, /&(?!amp;|lt;|gt;|quot;|#39;)/, 'a bare ampersand');
  assert.doesNotMatch(digestHtml(weekDigest(), 'id'), /<img/, 'no chart without its address');
});
