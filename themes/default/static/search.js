// Search box of the default theme: progressive, no dependencies.
// base.html holds an empty, hidden <div class="site-search" data-index="…/search.json">;
// this script shows it and adds a labelled search field. A search downloads
// only the pieces of the index its words need (gazette's
// src/render/search/mod.rs writes them):
//   search.json           the manifest, on first focus: each shard's first word
//   search/w/<name>.json  the shard holding each word of the query; for the
//                         last word, still being typed, those holding the
//                         words it starts (unless that is too many bytes)
//   search/d/<n>.json     the records of the results shown, 16 to a file
// Words are folded as gazette folds them (src/render/search/words.rs): NFKD,
// marks dropped, lower case. A result holds every word; results with more
// of the words in their title come first, then the newest.
// Keys: ArrowDown into the results, arrows and Tab through them, Enter in
// the field opens the first result, Escape empties the field.
// Without JavaScript nothing of it shows.
(function () {
  'use strict';
  var box = document.querySelector('.site-search[data-index]');
  if (!box || !window.fetch || !window.Map || !String.prototype.normalize) return;

  var MAX = 10;               // results shown
  var MAX_TERMS = 6;          // words of a query looked up
  var MAX_CHARS = 48;         // of a word, as the index cuts it
  var PREFIX_BYTES = 64000;   // a last word whose prefix spans more is looked up whole
  var WAIT = 120;             // ms after the last keystroke
  var MARKS, SPLIT, IDEOGRAPH, WORD_END;
  try {
    MARKS = new RegExp('\\p{M}', 'gu');
    SPLIT = new RegExp('[^\\p{Alphabetic}\\p{N}]+', 'u');
    IDEOGRAPH = new RegExp('(\\p{Script=Han}|\\p{Script=Hiragana}|\\p{Script=Katakana})', 'u');
    WORD_END = new RegExp('[\\p{Alphabetic}\\p{N}]$', 'u');
  } catch (e) {
    return; // a browser without Unicode classes stays without the box
  }

  var lang = document.documentElement.lang || undefined;
  var base = new URL(box.dataset.index, document.baseURI);
  var files = new Map(); // URL -> promise of its JSON
  var asked = 0;         // the latest query; older answers are dropped
  var timer = 0;
  var shown = null;      // the text the listed results answer
  var opening = false;   // Enter was pressed before they did: open the first

  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };

  // The page's words, when its language is not English (`data-words`).
  var said = {};
  try { said = JSON.parse(box.dataset.words || '{}'); } catch (e) { said = {}; }
  var say = function (key, english, values) {
    var text = typeof said[key] === 'string' ? said[key] : english;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? values[name] : all;
    });
  };

  var label = el('label', 'visually-hidden', say('search', 'Search'));
  var input = el('input', 'site-search__input');
  var status = el('p', 'visually-hidden');
  var panel = el('div', 'site-search__panel');
  var list = el('ol', 'site-search__results');
  var empty = el('p', 'site-search__empty', say('search_no_matches', 'No matches.'));
  input.id = label.htmlFor = '_site-search-input';
  input.type = 'search';
  input.placeholder = say('search_placeholder', 'Search stories and links');
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('aria-controls', '_site-search-results');
  list.id = '_site-search-results';
  list.setAttribute('aria-label', say('search_results', 'Search results'));
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  panel.hidden = true;
  panel.append(list, empty);
  box.append(label, input, status, panel);
  box.hidden = false;

  // ------------------------------------------------------------ words --

  function words(text) {
    var out = [];
    String(text).normalize('NFKD').replace(MARKS, '').toLowerCase().replace(/ς/g, 'σ')
      .split(SPLIT).forEach(function (run) {
        run.split(IDEOGRAPH).forEach(function (w) {
          if (w) out.push(Array.from(w).slice(0, MAX_CHARS).join(''));
        });
      });
    return out;
  }

  // The words of a query, each once; the last one is a prefix while the
  // reader is still typing it (no space or punctuation after it).
  function terms(text) {
    var found = words(text).slice(0, MAX_TERMS);
    var open = WORD_END.test(String(text).normalize('NFKD').replace(MARKS, ''));
    var seen = new Set();
    return found.map(function (word, i) {
      return { word: word, prefix: open && i === found.length - 1 };
    }).filter(function (t) {
      var key = (t.prefix ? '*' : '=') + t.word;
      return !seen.has(key) && seen.add(key);
    });
  }

  // ------------------------------------------------------------ files --

  function get(path) {
    var url = new URL(path, base).href;
    if (!files.has(url)) {
      files.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
        return r.json();
      }).catch(function (e) {
        files.delete(url); // a later search tries again
        throw e;
      }));
    }
    return files.get(url);
  }

  function load() {
    return get(box.dataset.index).then(function (m) {
      if (!m || m.version !== 1 || !Array.isArray(m.shards)) throw new Error('unknown index');
      return m;
    });
  }

  // The last shard whose first word is not after `word` (JavaScript's
  // string order is the index's).
  function locate(shards, word) {
    var lo = 0, hi = shards.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (shards[mid][0] <= word) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  // The shards a term needs; a prefix that spans too many bytes of them
  // becomes a whole word (the reader is still typing: the next letter
  // narrows it).
  function shardsOf(shards, term) {
    var at = locate(shards, term.word);
    if (at < 0) return [];
    var found = [at], bytes = shards[at][2];
    for (var j = at + 1; term.prefix && j < shards.length && shards[j][0].startsWith(term.word); j++) {
      found.push(j);
      bytes += shards[j][2];
    }
    if (bytes > PREFIX_BYTES) {
      term.prefix = false;
      return [at];
    }
    return found;
  }

  function bytesOf(base64) {
    var s = atob(base64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  // Marks in `seen` the documents of a word's entry: 1 holds it, 2 in the
  // title (the format is in gazette's src/render/search/postings.rs).
  function mark(entry, seen) {
    var docs = bytesOf(entry[0].slice(1));
    var titles = entry[1] ? bytesOf(entry[1]) : null;
    var k = 0;
    var add = function (id) {
      if (id < seen.length) seen[id] |= titles && (titles[k >> 3] >> (k & 7)) & 1 ? 3 : 1;
      k++;
    };
    if (entry[0][0] === 'b') {
      for (var i = 0; i < docs.length; i++) {
        for (var bit = 0; docs[i] && bit < 8; bit++) if ((docs[i] >> bit) & 1) add(i * 8 + bit);
      }
    } else {
      var id = 0, n = 0, shift = 0;
      for (var j = 0; j < docs.length; j++) {
        n += (docs[j] & 127) * Math.pow(2, shift);
        shift += 7;
        if (docs[j] < 128) {
          id += n;
          add(id);
          n = shift = 0;
        }
      }
    }
  }

  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  // Documents holding every term: highest number of terms in the title
  // first, then newest (highest number) first.
  function rank(m, found, shardsByTerm) {
    var n = m.documents, count = new Uint8Array(n), score = new Uint8Array(n);
    found.forEach(function (term, t) {
      var seen = new Uint8Array(n);
      shardsByTerm[t].forEach(function (shard) {
        if (!term.prefix) {
          if (own(shard, term.word)) mark(shard[term.word], seen);
          return;
        }
        Object.keys(shard).forEach(function (w) {
          if (w.startsWith(term.word)) mark(shard[w], seen);
        });
      });
      for (var d = 0; d < n; d++) {
        if (seen[d]) {
          count[d]++;
          if (seen[d] & 2) score[d]++;
        }
      }
    });
    var buckets = found.map(function () { return []; }).concat([[]]);
    for (var d = n - 1; d >= 0; d--) {
      if (count[d] === found.length) buckets[found.length - score[d]].push(d);
    }
    return [].concat.apply([], buckets);
  }

  // What a query finds: how many documents, and the records of the first
  // MAX; null once `current()` says a newer query was typed, so that the
  // records of results nobody will see are not downloaded.
  function search(text, current) {
    var found = terms(text);
    if (!found.length) return Promise.resolve(null);
    return load().then(function (m) {
      return Promise.all(found.map(function (term) {
        return Promise.all(shardsOf(m.shards, term).map(function (i) {
          return get('search/w/' + m.shards[i][1] + '.json');
        }));
      })).then(function (shardsByTerm) {
        if (!current()) return null;
        var ids = rank(m, found, shardsByTerm);
        var per = m.per_fragment;
        return Promise.all(ids.slice(0, MAX).map(function (id) {
          return get('search/d/' + Math.floor(id / per) + '.json').then(function (records) {
            return records[id % per];
          });
        })).then(function (records) {
          return { total: ids.length, records: records.filter(Boolean) };
        });
      });
    });
  }

  // ------------------------------------------------------------- page --

  function when(date) {
    var p = String(date || '').split('-');
    if (p.length !== 3) return date || '';
    try {
      return new Date(+p[0], p[1] - 1, +p[2]).toLocaleDateString(lang, { year: 'numeric', month: 'short', day: 'numeric' });
    } catch (e) { return date; }
  }

  function clear() {
    asked++;
    clearTimeout(timer);
    shown = null;
    opening = false;
    list.replaceChildren();
    panel.hidden = true;
    status.textContent = '';
  }

  // Every text goes in with textContent: a headline written as markup
  // stays a headline, shown as written.
  function show(result, text) {
    shown = text;
    list.replaceChildren();
    result.records.forEach(function (r) {
      // Only the site's own pages, from its root: nothing else is a result.
      if (typeof r.url !== 'string' || r.url[0] !== '/' || r.url[1] === '/') return;
      var li = el('li', 'site-search__result');
      var a = el('a', 'site-search__link', r.title);
      a.href = r.url;
      var meta = el('p', 'site-search__meta', r.kind === 'story' ? say('explainer', 'Explainer') + ' · ' : say('search_link', 'Link') + ' · ' + (r.outlet ? r.outlet + ' · ' : ''));
      var time = el('time', null, when(r.date));
      time.dateTime = r.date;
      meta.append(time);
      li.append(a, meta);
      if (r.summary) li.append(el('p', 'site-search__summary', r.summary));
      list.append(li);
    });
    var n = result.total;
    empty.hidden = n > 0;
    panel.hidden = false;
    var count = n.toLocaleString(lang);
    status.textContent = n === 0 ? say('search_none', 'No results') :
      n === 1 ? say('search_count_one', '{count} result', { count: count }) :
      n > MAX ? say('search_count_capped', '{count} results, first {shown} shown', { count: count, shown: MAX }) :
      say('search_count_other', '{count} results', { count: count });
  }

  function run() {
    var text = input.value, mine = ++asked;
    if (!words(text).length) { clear(); return; }
    var current = function () { return mine === asked; };
    search(text, current).then(function (result) {
      if (!current()) return;
      if (!result) { clear(); return; }
      show(result, text);
      if (opening) openFirst();
    }).catch(function () {
      if (mine !== asked) return;
      opening = false;
      list.replaceChildren();
      panel.hidden = true;
      status.textContent = say('search_unavailable', 'Search is unavailable.');
    });
  }

  input.addEventListener('focus', function () {
    load().catch(function () {});
    if (input.value && list.firstChild) panel.hidden = false;
  });
  // Follows the first result's link, as a click would.
  function openFirst() {
    opening = false;
    var a = list.firstChild && list.firstChild.querySelector('a');
    if (a) a.click();
  }

  input.addEventListener('input', function () {
    opening = false;
    clearTimeout(timer);
    if (!input.value.trim()) clear(); else timer = setTimeout(run, WAIT);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && (input.value || !panel.hidden)) {
      input.value = '';
      clear();
      e.preventDefault();
    } else if (e.key === 'Enter' && !e.isComposing && words(input.value).length) {
      // Enter opens the first result; typed faster than the search, once
      // the results for what is in the field have come. (Enter on a result
      // follows that link, as links do.)
      e.preventDefault();
      if (shown === input.value) openFirst();
      else { opening = true; clearTimeout(timer); run(); }
    } else if (e.key === 'ArrowDown' && list.firstChild) {
      panel.hidden = false;
      list.firstChild.querySelector('a').focus();
      e.preventDefault();
    }
  });
  list.addEventListener('keydown', function (e) {
    var li = e.target.closest('li');
    if (!li) return;
    var to = e.key === 'ArrowDown' ? li.nextElementSibling : e.key === 'ArrowUp' ? li.previousElementSibling : null;
    if (e.key === 'Escape') { input.value = ''; clear(); input.focus(); }
    else if (to) to.querySelector('a').focus();
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
