// tokobot overview: follows RUNNING cards without reloading the page (progressive enhancement:
// without this script a reload shows the same state).
//
// Polling /api/live every 2 s while a card is RUNNING, not server-sent events: runs last minutes,
// so 2 s is soon enough; nothing is polled when nothing runs; the server holds no connection per
// open page (the web server stays small beside the bot: npm run bench:web), and a plain request
// passes every reverse proxy, where an event stream needs buffering turned off.
// When a run ends, its card is replaced by the server's own rendering of its final state (fetched
// from the overview), so the page's look is written once, in src/web.
(function () {
  'use strict';
  var PERIOD_MS = 2000;
  /** Cards stay followed through this many failed polls in a row (server restarting), then the page stops asking. */
  var MAX_FAILURES = 30;
  var failures = 0;

  function runningCards() { return Array.prototype.slice.call(document.querySelectorAll('.card.RUNNING')); }
  function keyOf(card) { return card.getAttribute('data-kind') + ':' + card.getAttribute('data-card'); }

  function show(card, run) {
    var text = card.querySelector('.live-text');
    if (text) text.textContent = run.text;
    var bar = card.querySelector('progress');
    if (bar) {
      if (run.percent === null) bar.removeAttribute('value'); else bar.value = run.percent;
    }
  }

  // The overview as the server renders it now: each finished card takes its new state from there.
  function replaceFinished(cards) {
    return fetch(window.location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        cards.forEach(function (card) {
          var now = fresh.getElementById(card.id);
          if (now) card.replaceWith(document.importNode(now, true));
        });
      });
  }

  function poll() {
    var cards = runningCards();
    if (!cards.length) return; // nothing runs: stop asking
    if (document.hidden) return later();
    fetch('/api/live', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
      .then(function (data) {
        failures = 0;
        var live = {};
        data.runs.forEach(function (run) { live[run.card + ':' + run.id] = run; });
        var finished = cards.filter(function (card) {
          var run = live[keyOf(card)];
          if (run) show(card, run);
          return !run;
        });
        return finished.length ? replaceFinished(finished) : undefined;
      })
      .then(later, function () { if (++failures < MAX_FAILURES) later(); });
  }

  function later() { window.setTimeout(poll, PERIOD_MS); }

  later();
})();
