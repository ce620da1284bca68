// Search box of the default theme: progressive, no dependencies.
// base.html holds an empty, hidden <div class="site-search" data-index="…/search.json">;
// this script shows it, adds a labelled search field, loads the index on first
// focus and lists up to 10 entries holding every word of the query (in title,
// summary, outlet or tags). Without JavaScript nothing of it shows.
(function () {
  'use strict';
  var box = document.querySelector('.site-search[data-index]');
  if (!box || !window.fetch) return;

  var MAX = 10;
  var lang = document.documentElement.lang || undefined;
  var items = null;     // the index, once loaded
  var loading = null;   // its promise
  var fold = function (s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[\u2018\u2019]/g, "'").toLowerCase();
  };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };

  var label = el('label', 'visually-hidden', 'Search');
  var input = el('input', 'site-search__input');
  var status = el('p', 'visually-hidden');
  var panel = el('div', 'site-search__panel');
  var list = el('ol', 'site-search__results');
  var empty = el('p', 'site-search__empty', 'No matches.');
  input.id = label.htmlFor = 'site-search-input';
  input.type = 'search';
  input.placeholder = 'Search stories and links';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('aria-controls', 'site-search-results');
  list.id = 'site-search-results';
  list.setAttribute('aria-label', 'Search results');
  status.setAttribute('aria-live', 'polite');
  panel.hidden = true;
  panel.append(list, empty);
  box.append(label, input, status, panel);
  box.hidden = false;

  function load() {
    loading = loading || fetch(box.dataset.index)
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        items = (Array.isArray(data) ? data : []).map(function (d) {
          d.key = fold([d.title, d.summary, d.outlet, (d.tags || []).join(' ')].join(' '));
          d.head = fold(d.title);
          return d;
        });
      })
      .catch(function () { items = []; status.textContent = 'Search is unavailable.'; });
    return loading;
  }

  function when(date) {
    var p = String(date || '').split('-');
    if (p.length !== 3) return date || '';
    try {
      return new Date(+p[0], p[1] - 1, +p[2]).toLocaleDateString(lang, { year: 'numeric', month: 'short', day: 'numeric' });
    } catch (e) { return date; }
  }

  function render() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length || !items) { panel.hidden = true; status.textContent = ''; return; }
    var has = function (s) { return words.every(function (w) { return s.indexOf(w) !== -1; }); };
    var found = items.filter(function (d) { return has(d.key); });
    // Title matches first; otherwise the index's order (newest first).
    var hits = found.filter(function (d) { return has(d.head); })
      .concat(found.filter(function (d) { return !has(d.head); })).slice(0, MAX);
    hits.forEach(function (d) {
      var li = el('li', 'site-search__result');
      var a = el('a', 'site-search__link', d.title);
      var meta = [d.kind === 'story' ? 'Explainer' : d.outlet, when(d.date)].filter(Boolean).join(' · ');
      a.href = d.url;
      a.append(el('span', 'site-search__meta', meta));
      li.append(a);
      list.append(li);
    });
    empty.hidden = found.length > 0;
    panel.hidden = false;
    status.textContent = found.length === 0 ? 'No results' :
      found.length === 1 ? '1 result' :
      found.length > MAX ? found.length + ' results, first ' + MAX + ' shown' : found.length + ' results';
  }

  input.addEventListener('focus', load);
  input.addEventListener('input', function () { if (items) render(); else load().then(render); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !panel.hidden) { panel.hidden = true; e.preventDefault(); }
    if (e.key === 'ArrowDown' && panel.hidden && items) render();
    else if (e.key === 'ArrowDown' && list.firstChild) { list.firstChild.firstChild.focus(); e.preventDefault(); }
  });
  list.addEventListener('keydown', function (e) {
    var li = e.target.parentNode;
    var to = e.key === 'ArrowDown' ? li.nextSibling : e.key === 'ArrowUp' ? li.previousSibling : null;
    if (e.key === 'Escape') { panel.hidden = true; input.focus(); }
    else if (to) to.firstChild.focus();
    else if (e.key === 'ArrowUp') input.focus();
    else return;
    e.preventDefault();
  });
  // A click on a result must not blur the field first (Safari does not focus links).
  panel.addEventListener('mousedown', function (e) { e.preventDefault(); });
  box.addEventListener('focusout', function (e) {
    if (!box.contains(e.relatedTarget)) panel.hidden = true;
  });
})();
