// renke respondent page. The form works without this script (a plain POST);
// with it, answers are kept in localStorage, progress is shown, and the
// answers are posted as JSON with retries. ES5, no dependencies.
(function () {
  'use strict';
  var f = document.getElementById('f');
  if (!f || !window.JSON) { return; }
  var code = f.getAttribute('data-code');
  var api = f.getAttribute('data-api');
  var thanks = f.getAttribute('data-thanks');
  var total = parseInt(f.getAttribute('data-total'), 10) || 0;
  var hasBand = f.getAttribute('data-band') === '1';
  var preview = f.getAttribute('data-preview') === '1'; // a coordinator's preview: keeps nothing, posts nothing
  var key = 'renke:' + code;
  var prog = document.getElementById('prog');
  var pbar = document.getElementById('pbar');
  var msg = document.getElementById('msg');
  var btn = document.getElementById('go');
  var started = f.elements.started_at;
  var served = started.value; // when the server sent this page
  var dontKnow = f.getAttribute('data-dk') || '不了解';
  var radios = f.querySelectorAll('input[type=radio]');
  var busy = false;
  var state = load();

  function load() {
    if (preview) { return { a: {} }; }
    try {
      var s = JSON.parse(window.localStorage.getItem(key));
      if (s && typeof s === 'object' && s.a && typeof s.a === 'object') { return s; }
    } catch (e) { /* no storage, or a damaged entry */ }
    return { a: {} };
  }
  function save() {
    if (preview) { return; }
    try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function forget() {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }
  function newKey() {
    var b = [], i, c = window.crypto || window.msCrypto;
    if (c && c.getRandomValues) {
      var u = new Uint8Array(16);
      c.getRandomValues(u);
      for (i = 0; i < u.length; i++) { b.push((u[i] + 256).toString(16).slice(1)); }
    } else {
      for (i = 0; i < 16; i++) { b.push((Math.floor(Math.random() * 256) + 256).toString(16).slice(1)); }
    }
    return b.join('');
  }

  // Read every checked answer from the page into state.
  function collect() {
    state.a = {};
    state.band = '';
    for (var i = 0; i < radios.length; i++) {
      var r = radios[i];
      if (!r.checked) { continue; }
      if (r.name === 'band') { state.band = r.value; } else if (r.name.indexOf('a_') === 0) { state.a[r.name.slice(2)] = r.value; }
    }
  }
  function answered() {
    var n = 0;
    for (var k in state.a) { if (Object.prototype.hasOwnProperty.call(state.a, k)) { n++; } }
    return n;
  }
  function progress() {
    var n = answered();
    prog.textContent = '已答 ' + n + '/' + total;
    if (pbar) { pbar.value = n; }
  }
  function unmark(fs) {
    if (!fs) { return; }
    fs.className = fs.className.replace(/\s*\bbad\b/g, '');
    var w = fs.querySelector('.why');
    if (w) { w.parentNode.removeChild(w); }
  }
  function show(text) {
    msg.textContent = text;
    if (text) { msg.removeAttribute('hidden'); } else { msg.setAttribute('hidden', ''); }
  }
  // Scroll so that fs lies fully below the sticky progress bar (as much of it
  // as the screen holds), rather than under it.
  function reveal(fs) {
    var bar = document.querySelector('.bar');
    var top = fs.getBoundingClientRect().top + (window.pageYOffset || document.documentElement.scrollTop);
    var y = top - (bar ? bar.offsetHeight : 0) - 8;
    if (window.scrollTo) { window.scrollTo(0, Math.max(0, y)); }
  }
  // Highlight fieldset fs with text, and bring it into view.
  function mark(fs, text) {
    var old = f.querySelectorAll('.q.bad');
    for (var i = 0; i < old.length; i++) { unmark(old[i]); }
    show(text);
    if (!fs) { return; }
    fs.className += ' bad';
    var w = document.createElement('p');
    w.className = 'why';
    w.setAttribute('role', 'alert');
    w.textContent = text;
    fs.appendChild(w);
    reveal(fs);
    var first = fs.querySelector('input');
    if (first && first.focus) { try { first.focus({ preventScroll: true }); } catch (e) { first.focus(); } }
  }
  function firstMissing() {
    var sets = f.querySelectorAll('fieldset.q'), missing = 0, first = null;
    for (var i = 0; i < sets.length; i++) {
      if (!sets[i].querySelector('input:checked')) {
        missing++;
        if (!first) { first = sets[i]; }
      }
    }
    return { fs: first, n: missing };
  }
  function busyState(on, label) {
    busy = on;
    btn.disabled = on;
    btn.textContent = label || '提交问卷';
  }

  // Restore: stored answers win over an empty page; answers the server put on
  // the page (after a refused post) are kept where nothing was stored.
  for (var i = 0; i < radios.length; i++) {
    var r = radios[i];
    if (r.name === 'band' ? state.band === r.value : state.a[r.name.slice(2)] === r.value) { r.checked = true; }
  }
  if (state.started_at) { started.value = state.started_at; } else { state.started_at = started.value; }
  if (!state.key) { state.key = newKey(); }
  collect();
  save();
  progress();

  f.addEventListener('change', function (e) {
    var t = e.target;
    if (!t || t.type !== 'radio') { return; }
    collect();
    save();
    progress();
    var fs = t.parentNode;
    while (fs && fs.tagName !== 'FIELDSET') { fs = fs.parentNode; }
    unmark(fs);
    if (!f.querySelector('.q.bad')) { show(''); }
  });

  if (!window.fetch) { return; } // old browser: the plain form post does the rest
  f.noValidate = true;

  f.addEventListener('submit', function (e) {
    e.preventDefault();
    if (busy || preview) { return; }
    collect();
    save();
    var m = firstMissing();
    if (m.fs) {
      var what = m.fs.id === 'q-band' ? '请先选择年级段。' : '还有 ' + m.n + ' 题没有作答，请选择后再提交。不清楚的可以选“' + dontKnow + '”。';
      mark(m.fs, what);
      return;
    }
    send(0);
  });

  var maxTries = 6;

  function send(attempt) {
    busyState(true, attempt ? '正在重试…' : '正在提交…');
    var body = { answers: state.a, started_at: state.started_at };
    if (hasBand) { body.band = state.band; }
    var done = false;
    var timer = setTimeout(function () {
      if (!done) { done = true; retry(attempt, 0); }
    }, 30000);
    window.fetch(api, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': state.key },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.text().then(function (text) {
        var j = {};
        try { j = JSON.parse(text) || {}; } catch (e) { /* not JSON: a proxy's page */ }
        if (!done) { done = true; clearTimeout(timer); handle(res.status, j, res.headers.get('Retry-After'), attempt); }
      });
    }).then(null, function () {
      if (!done) { done = true; clearTimeout(timer); retry(attempt, 0); }
    });
  }

  function handle(status, j, after, attempt) {
    if (status === 201 || (status === 409 && j.already_recorded)) {
      forget();
      window.location.replace(thanks);
      return;
    }
    if (status === 502 || status === 503 || status === 504) {
      retry(attempt, parseInt(after, 10) || 0);
      return;
    }
    if (status === 422 && j.item === 'started_at' && state.started_at !== served) {
      // A start time kept from long ago: start afresh from this page's.
      state.started_at = served;
      started.value = served;
      save();
      send(attempt + 1);
      return;
    }
    busyState(false);
    var text = j.error || '提交没有成功（错误 ' + status + '），请稍后再试。您的答案已保存在手机上。';
    if (status === 422 && j.item) {
      mark(document.getElementById('q-' + j.item), text);
      return;
    }
    show(text);
  }

  function retry(attempt, afterSeconds) {
    if (attempt + 1 >= maxTries) {
      busyState(false);
      show('网络不稳定，提交没有成功。您的答案已保存在手机上，请稍后再点“提交问卷”。');
      return;
    }
    var wait = afterSeconds > 0 ? Math.min(afterSeconds, 60) : Math.min(2 * Math.pow(2, attempt), 30);
    wait = Math.round(wait + Math.random() * wait / 4);
    show('网络不稳定，' + wait + ' 秒后自动重试。您的答案已保存在手机上，请不要关闭页面。');
    busyState(true, '等待重试…');
    setTimeout(function () { send(attempt + 1); }, wait * 1000);
  }
}());
