// redis-ext dashboard: live refresh of the #live region and confirmation of destructive forms.
// The server renders (and escapes) every fragment; this script only swaps it in.
(function () {
  'use strict';
  var status = function (text, cls) {
    var s = document.getElementById('status');
    if (s) { s.textContent = text; s.className = 'status ' + (cls || ''); }
  };
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (f && f.dataset && f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
      e.preventDefault();
    }
  }, true);
  var live = document.getElementById('live');
  if (!live) { return; }
  var src = live.dataset.src;
  var every = parseInt(live.dataset.every, 10) || 2000;
  var busy = false;
  var last = null;
  function tick() {
    if (busy || document.hidden) { setTimeout(tick, every); return; }
    busy = true;
    fetch(src, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      })
      .then(function (html) {
        // swap only what changed, and not while a button of the region has the focus
        var focused = live.contains(document.activeElement) && document.activeElement !== live;
        if (html !== last && !focused) {
          live.innerHTML = html;
          last = html;
        }
        status('live · ' + new Date().toLocaleTimeString(), 'ok');
      })
      .catch(function (err) { status('offline: ' + err.message, 'bad'); })
      .finally(function () { busy = false; setTimeout(tick, every); });
  }
  status('live', 'ok');
  setTimeout(tick, every);
})();
