#!/usr/bin/env node
// Live reload of `gazette serve` in a real Chromium; tests/clients/live.rs
// starts the server on a copy of the site and calls this script.
//
//   node tests/clients/live.mjs --url URL --site DIR [--artifacts DIR] [--move-to PATH]
//
// URL is the issue page as `gazette serve` serves it; DIR the copy of the
// site it serves, which this script edits (each save is atomic, as editors
// do it: a sibling `.tmp` file renamed over the original). Steps:
//   reload    an entry on the page changes: the page reloads by itself,
//             shows the new headline and keeps its scroll position;
//   css       the theme's stylesheet changes: the new style applies without
//             a navigation;
//   problem   an entry breaks: the error overlay shows over the last good
//             page (also on a page opened while the site is broken), and
//             goes once the entry is fixed (the contrast of its text is
//             measured, for the Rust side to judge);
//   unrelated an entry the page does not show changes: the page stays;
//   moved     (with --move-to /PATH/) site.yaml's base_url gets that path:
//             the page goes to itself under it, loads and listens again.
// Prints one JSON object on stdout ({ steps, events, navigations,
// pageErrors, seconds }; times in ms since the script started) and
// nothing else; a step that fails has "ok": false and an "error". A non-zero
// exit with a message on stderr means the tool itself failed.

import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM, launchPlaywright } from './chromium.mjs';

console.log = console.info = console.warn = (...a) => console.error(...a);

// Generous: a loaded two-core machine, a debug build, a cold Chromium.
const LOAD_TIMEOUT = 30_000;
const CHANGE_TIMEOUT = 10_000;
const SCROLL_TIMEOUT = 5_000;
const QUIET = 1_500; // how long a page that must not reload is watched
const SCRIPT_TIMEOUT = 240_000;
const SCROLL_TO = 400;
const SCROLL_SLACK = 60;

const ENTRY = 'content/2026-11-25/tnw-colossus.md';
const STYLE = 'themes/default/static/style.css';
const PAGE = 'content/pages/about.md';
const SITE = 'content/site.yaml';

function fail(message, code = 1) {
  process.stderr.write(`live.mjs: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!['--url', '--site', '--artifacts', '--move-to'].includes(key) || argv[i + 1] === undefined) {
      fail(`bad argument ${JSON.stringify(key)}`, 2);
    }
    opts[key.slice(2)] = argv[i + 1];
  }
  if (!opts.url || !opts.site) fail('--url and --site are required', 2);
  opts.moveTo = opts['move-to'];
  for (const file of [ENTRY, STYLE, PAGE, SITE]) {
    if (!fs.existsSync(path.join(opts.site, file))) fail(`no ${file} in ${opts.site}`, 2);
  }
  return opts;
}

const started = Date.now();
const now = () => Date.now() - started;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// An editor's save: the whole file at once, never a half-written one.
function save(site, rel, text) {
  const file = path.join(site, rel);
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

// Polls `probe` (which may throw while a page navigates) until it returns a
// truthy value; the last value (or error) otherwise.
async function until(probe, timeout) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return { ok: true, value: last };
    } catch (e) {
      last = `error: ${e.message.split('\n')[0]}`;
    }
    if (Date.now() > deadline) return { ok: false, value: last };
    await sleep(100);
  }
}

// Everything the page's live-reload connection receives, recorded before
// reload.js acts on it: EventSource is wrapped (same behaviour, one more
// listener per event type) before any script of the page runs.
function recordEvents() {
  // Chromium restores the scroll position of a reloaded page by itself;
  // turned off, so that what keeps it is reload.js.
  history.scrollRestoration = 'manual';
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      if (!String(url).includes('/__gazette/events')) return;
      for (const type of ['open', 'error', 'reload', 'css', 'problem', 'ok', 'moved']) {
        this.addEventListener(type, (e) => window.__liveEvent(type, e.data ?? '', location.pathname));
      }
    }
  };
}

// The WCAG contrast ratio of the overlay's diagnostics against what is
// behind them: their own box when it is opaque, else the overlay's.
function contrastOfDiagnostics() {
  const parts = (c) => c.match(/[\d.]+/g).map(Number);
  const lum = (c) => {
    const [r, g, b] = parts(c).slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const overlay = document.querySelector('#gazette-errors');
  const text = overlay.querySelector('pre') ?? overlay;
  const own = getComputedStyle(text);
  const background = (parts(own.backgroundColor)[3] ?? 1) >= 0.5 ? own.backgroundColor : getComputedStyle(overlay).backgroundColor;
  const [hi, lo] = [lum(own.color), lum(background)].sort((x, y) => y - x);
  return { element: text.tagName.toLowerCase(), color: own.color, background, ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const site = fs.realpathSync(opts.site);
  const artifacts = opts.artifacts ? path.resolve(opts.artifacts) : null;
  if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch { fail(`no Chromium at ${CHROMIUM}`); }
  setTimeout(() => fail(`gave up after ${SCRIPT_TIMEOUT / 1000} s`), SCRIPT_TIMEOUT).unref();

  let browser;
  try {
    browser = await launchPlaywright();
  } catch (e) {
    throw new Error(`Chromium would not start: ${e.message.split('\n')[0]}`);
  }
  const events = [];
  const navigations = [];
  const pageErrors = [];
  const steps = {};
  try {
    // Small enough that the issue page scrolls well past SCROLL_TO.
    const context = await browser.newContext({ viewport: { width: 1000, height: 600 }, deviceScaleFactor: 1 });
    await context.exposeBinding('__liveEvent', ({ page: from }, type, data, where) => {
      events.push({ t: now(), tab: from === page ? 'main' : 'other', type, where, data });
    });
    await context.addInitScript(recordEvents);
    const page = await context.newPage();
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push({ t: now(), url: f.url() }); });
    page.on('pageerror', (e) => pageErrors.push(String(e.message ?? e)));

    // The live-reload connection is open since the last navigation.
    const connected = async () => {
      const since = navigations.at(-1)?.t ?? 0;
      return until(() => events.some((e) => e.tab === 'main' && e.type === 'open' && e.t >= since), CHANGE_TIMEOUT);
    };
    const eventAfter = (t, type, pred = () => true) =>
      until(() => events.find((e) => e.tab === 'main' && e.t >= t && e.type === type && pred(e)), CHANGE_TIMEOUT);
    const marker = (value) => page.evaluate((v) => { window.__marker = v; }, value);
    const markerIs = async (value) => (await page.evaluate(() => window.__marker)) === value;
    const headline = () => page.evaluate(() => [...document.querySelectorAll('.card__title')].map((h) => h.textContent.trim()).join(' | '));

    const response = await page.goto(opts.url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    if (!response || response.status() !== 200) throw new Error(`${opts.url} answered HTTP ${response?.status()}`);
    if (!(await connected()).ok) throw new Error('the live-reload connection never opened');

    const entry = fs.readFileSync(path.join(site, ENTRY), 'utf8');
    const word = `Zebra${Date.now().toString(36)}`;
    const edited = entry.replace(/^headline: .*$/m, `headline: "Colossus headline ${word}"`);
    if (edited === entry) throw new Error(`no headline line in ${ENTRY}`);

    // ---------------------------------------------------------------- a --
    {
      const step = (steps.reload = { ok: false });
      try {
        const room = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
        const target = Math.min(SCROLL_TO, Math.floor(room / 2));
        // Instant: the theme asks for smooth scrolling.
        await page.evaluate((y) => scrollTo({ top: y, behavior: 'instant' }), target);
        step.scrollBefore = await page.evaluate(() => scrollY);
        if (step.scrollBefore < 100) throw new Error(`the page does not scroll (scrollY ${step.scrollBefore}, room ${room})`);
        await marker('a');
        const navs = navigations.length;
        const t0 = now();
        save(site, ENTRY, edited);
        const event = await eventAfter(t0, 'reload', (e) => e.data.includes('2026/11/25/index.html'));
        step.eventMs = event.ok ? event.value.t - t0 : null;
        const shown = await until(async () => (await headline()).includes(word) && (await page.evaluate(() => document.readyState)) === 'complete', CHANGE_TIMEOUT);
        step.shownMs = shown.ok ? now() - t0 : null;
        step.navigations = navigations.length - navs;
        step.markerGone = await page.evaluate(() => window.__marker === undefined).catch(() => null);
        // reload.js scrolls back on `load` (smoothly, with this theme): wait
        // until the position is near the old one and has stopped moving.
        let lastY = null;
        const scroll = await until(async () => {
          const y = await page.evaluate(() => scrollY);
          const still = y === lastY;
          lastY = y;
          return still && Math.abs(y - step.scrollBefore) <= SCROLL_SLACK ? { y } : null;
        }, SCROLL_TIMEOUT);
        step.scrollAfter = await page.evaluate(() => scrollY).catch(() => null);
        if (!event.ok) throw new Error(`no reload event naming the page within ${CHANGE_TIMEOUT} ms`);
        if (!shown.ok) throw new Error(`the new headline did not show within ${CHANGE_TIMEOUT} ms; headlines: ${shown.value}`);
        if (step.navigations < 1 || !step.markerGone) throw new Error('the page changed without reloading');
        if (!scroll.ok) throw new Error(`scroll position not kept: ${step.scrollBefore} before, ${step.scrollAfter} after`);
        if (artifacts) await page.screenshot({ path: (step.screenshot = path.join(artifacts, 'reloaded.png')) });
        step.ok = true;
      } catch (e) {
        step.error = e.message.split('\n')[0];
      }
    }

    // ---------------------------------------------------------------- b --
    {
      const step = (steps.css = { ok: false });
      try {
        if (!(await connected()).ok) throw new Error('the live-reload connection did not open again');
        const outline = () => page.evaluate(() => {
          const s = getComputedStyle(document.body);
          return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
        });
        step.before = await outline();
        await marker('b');
        const navs = navigations.length;
        const t0 = now();
        const css = fs.readFileSync(path.join(site, STYLE), 'utf8');
        save(site, STYLE, `${css}\nbody { outline: 3px solid rgb(1, 2, 3); }\n`);
        const event = await eventAfter(t0, 'css');
        step.eventMs = event.ok ? event.value.t - t0 : null;
        const applied = await until(async () => (await outline()) === 'solid 3px rgb(1, 2, 3)', CHANGE_TIMEOUT);
        step.appliedMs = applied.ok ? now() - t0 : null;
        step.after = await outline();
        step.navigations = navigations.length - navs;
        step.markerKept = await markerIs('b');
        step.hrefs = await page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute('href')));
        if (!event.ok) throw new Error(`no css event within ${CHANGE_TIMEOUT} ms; events since: ${JSON.stringify(events.filter((e) => e.t >= t0))}`);
        if (!applied.ok) throw new Error(`the new style did not apply within ${CHANGE_TIMEOUT} ms: ${step.after}`);
        if (step.navigations !== 0 || !step.markerKept) throw new Error('the page navigated for a stylesheet change');
        step.ok = true;
      } catch (e) {
        step.error = e.message.split('\n')[0];
      }
    }

    // ---------------------------------------------------------------- c --
    {
      const step = (steps.problem = { ok: false });
      try {
        if (!(await connected()).ok) throw new Error('the live-reload connection is not open');
        await marker('c');
        const navs = navigations.length;
        const t0 = now();
        const good = fs.readFileSync(path.join(site, ENTRY), 'utf8');
        const broken = good.replace(/^outlet: .*$/m, 'outlet: nosuchoutlet');
        if (broken === good) throw new Error(`no outlet line in ${ENTRY}`);
        save(site, ENTRY, broken);
        const event = await eventAfter(t0, 'problem');
        step.eventMs = event.ok ? event.value.t - t0 : null;
        const overlay = page.locator('#gazette-errors');
        const shown = await until(async () => (await overlay.isVisible()) && (await overlay.innerText()).includes('nosuchoutlet'), CHANGE_TIMEOUT);
        step.overlayMs = shown.ok ? now() - t0 : null;
        step.overlayText = (await overlay.count()) ? (await overlay.innerText()).slice(0, 2000) : null;
        step.contrast = await page.evaluate(contrastOfDiagnostics).catch((e) => ({ error: e.message }));
        step.lastGood = (await headline()).includes(word);
        step.markerKept = await markerIs('c');
        if (artifacts) await page.screenshot({ path: (step.screenshot = path.join(artifacts, 'overlay.png')) });

        // A page opened while the site is broken shows the overlay at once.
        const other = await context.newPage();
        try {
          await other.goto(opts.url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
          const late = other.locator('#gazette-errors');
          const lateShown = await until(async () => (await late.isVisible()) && (await late.innerText()).includes('nosuchoutlet'), CHANGE_TIMEOUT);
          step.newTabOverlay = lateShown.ok;
          step.newTabLastGood = await other.evaluate((w) => document.body.innerText.includes(w), word);
        } finally {
          await other.close();
        }

        const t1 = now();
        save(site, ENTRY, good);
        const ok = await eventAfter(t1, 'ok');
        step.okEventMs = ok.ok ? ok.value.t - t1 : null;
        const gone = await until(async () => (await overlay.count()) === 0, CHANGE_TIMEOUT);
        step.goneMs = gone.ok ? now() - t1 : null;
        // The fixed entry is the last good one again: nothing to reload.
        await sleep(300);
        step.navigations = navigations.length - navs;
        step.markerKeptAfterFix = await markerIs('c');
        if (!event.ok) throw new Error(`no problem event within ${CHANGE_TIMEOUT} ms`);
        if (!shown.ok) throw new Error(`no overlay naming nosuchoutlet within ${CHANGE_TIMEOUT} ms: ${shown.value}`);
        if (!step.lastGood || !step.markerKept) throw new Error('the page did not stay the last good one under the overlay');
        if (!step.newTabOverlay) throw new Error('a page opened while the site was broken showed no overlay');
        if (!ok.ok) throw new Error(`no ok event within ${CHANGE_TIMEOUT} ms of the fix`);
        if (!gone.ok) throw new Error('the overlay stayed after the fix');
        step.ok = true;
      } catch (e) {
        step.error = e.message.split('\n')[0];
      }
    }

    // ---------------------------------------------------------------- d --
    {
      const step = (steps.unrelated = { ok: false });
      try {
        if (!(await connected()).ok) throw new Error('the live-reload connection is not open');
        await marker('d');
        const navs = navigations.length;
        const t0 = now();
        const about = fs.readFileSync(path.join(site, PAGE), 'utf8');
        save(site, PAGE, `${about}\nOne more line about ${word}.\n`);
        // The server's rebuild is seen as the reload event naming the page it changed.
        const event = await eventAfter(t0, 'reload', (e) => e.data.includes('about/index.html'));
        step.eventMs = event.ok ? event.value.t - t0 : null;
        step.eventData = event.ok ? event.value.data : null;
        await sleep(QUIET);
        step.navigations = navigations.length - navs;
        step.markerKept = await markerIs('d');
        if (!event.ok) throw new Error(`no reload event naming about/index.html within ${CHANGE_TIMEOUT} ms`);
        if (step.eventData.includes('2026/11/25/index.html')) throw new Error(`the rebuild names the issue page: ${step.eventData}`);
        if (step.navigations !== 0 || !step.markerKept) throw new Error('the issue page reloaded for an entry it does not show');
        step.ok = true;
      } catch (e) {
        step.error = e.message.split('\n')[0];
      }
    }
    // ---------------------------------------------------------------- e --
    if (opts.moveTo) {
      const step = (steps.moved = { ok: false });
      try {
        if (!(await connected()).ok) throw new Error('the live-reload connection is not open');
        await marker('e');
        const before = new URL(page.url());
        const navs = navigations.length;
        const t0 = now();
        const yaml = fs.readFileSync(path.join(site, SITE), 'utf8');
        const moved = yaml.replace(/^(base_url: https?:\/\/[^/\s]+)\/\S*$/m, `$1${opts.moveTo}`);
        if (moved === yaml) throw new Error(`no base_url line in ${SITE}`);
        save(site, SITE, moved);
        const event = await eventAfter(t0, 'moved');
        step.eventMs = event.ok ? event.value.t - t0 : null;
        step.eventData = event.ok ? event.value.data : null;
        const arrived = await until(async () => new URL(page.url()).pathname.startsWith(opts.moveTo) && (await page.evaluate(() => document.readyState)) === 'complete', CHANGE_TIMEOUT);
        step.shownMs = arrived.ok ? now() - t0 : null;
        step.urlBefore = before.href;
        step.urlAfter = page.url();
        step.navigations = navigations.length - navs;
        step.markerGone = await page.evaluate(() => window.__marker === undefined).catch(() => null);
        step.title = await page.title().catch(() => null);
        step.reconnected = (await connected()).ok;
        if (!event.ok) throw new Error(`no moved event within ${CHANGE_TIMEOUT} ms`);
        if (!arrived.ok) throw new Error(`the page stayed at ${page.url()}`);
        if (!step.markerGone) throw new Error('the page did not load again');
        if (/not found/i.test(step.title ?? '')) throw new Error(`the page under the new path is missing: ${step.title}`);
        if (!step.reconnected) throw new Error('the live-reload connection did not open again');
        step.ok = true;
      } catch (e) {
        step.error = e.message.split('\n')[0];
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  // Diagnostics are long: the overlay's text is in the problem step already.
  const short = events.map((e) => (e.data.length > 300 ? { ...e, data: `${e.data.slice(0, 300)}…` } : e));
  const result = { steps, events: short, navigations, pageErrors, seconds: now() / 1000 };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n', () => process.exit(0));
}

main().catch((e) => fail(e?.stack ?? String(e)));
