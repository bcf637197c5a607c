import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../src/bot/telegram/render-html.ts';

test('a long reply is cut before escaping: under Telegram\'s limit, no entity split, ends with …', () => {
  for (let pad = 0; pad < 8; pad++) {
    // Each line is mostly entities, so a cut after escaping would land inside one for some padding.
    const lines = Array.from({ length: 600 }, (_, i) => `${'x'.repeat(pad)}<${i}> & <b>`);
    const { text } = renderHtml({ severity: 'info', title: 'Toko & Co', lines });
    assert.ok(text.length <= 4000, `pad ${pad}: ${text.length} characters`);
    assert.ok(text.endsWith('…'), `pad ${pad}: not marked as cut`);
    assert.doesNotMatch(text, /&(?!amp;|lt;|gt;)/, `pad ${pad}: an entity was cut or left unescaped`);
    assert.doesNotMatch(text.replace(/^<b>[^<]*<\/b>\n/, ''), /[<>]/, `pad ${pad}: markup in the body`);
  }
});

test('a short reply is whole', () => {
  assert.equal(renderHtml({ severity: 'warning', lines: ['a & b', '<c>'] }).text, '⚠️ a &amp; b\n&lt;c&gt;');
});
