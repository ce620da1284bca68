#!/usr/bin/env node
// The theme's search box in a real Chromium; tests/clients/search.rs calls it.
//
//   node tests/clients/search.mjs --url URL --query TEXT [--dir DIR --port PORT]
//        [--delay MS] [--artifacts FILE.png]
//
// URL is a page of a site (with --dir, DIR is served on 127.0.0.1:PORT
// first, as a static host would; without, something already serves URL,
// `gazette serve` for one). The script opens the page, types TEXT into the
// search field one key at a time, as a reader does (MS between keys, 60
// unless set; a slow typist sees, and downloads, every prefix's results),
// waits until the
// results settle, and reports:
//   results    what the panel lists: title (as text), href, meta, summary
//   status     the live region's text, and its role and aria-live
//   requests   every response of the search index (search.json and
//              search/...), with its body's bytes, and their sum in `bytes`
//   axe        axe-core's violations on the page with the results open
//   keyboard   ArrowDown from the field focuses the first result, ArrowDown
//              and ArrowUp move between results and back to the field,
//              Escape empties the field and closes the panel; then, the
//              query typed again and Enter pressed at once, the path the
//              page went to (`enter`: the first result's, null if none)
//   dialogs, pageErrors, consoleErrors, images (img elements in the
//              panel): what ran that should not
// Prints one JSON object on stdout and nothing else. A non-zero exit with a
// message on stderr means the tool itself failed.

import fs from 'node:fs';
import { createRequire } from 'node:module';

import { CHROMIUM, launchPlaywright, serve } from './chromium.mjs';

const require = createRequire(import.meta.url);
console.log = console.info = console.warn = (...a) => console.error(...a);

const LOAD_TIMEOUT = 30_000;
const RESULTS_TIMEOUT = 15_000;
const SETTLE = 600; // ms without a new index request: the search is done
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

function fail(message, code = 1) {
  process.stderr.write(`search.mjs: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!['--url', '--query', '--dir', '--port', '--delay', '--artifacts'].includes(key) || argv[i + 1] === undefined) {
      fail(`bad argument ${JSON.stringify(key)}`, 2);
    }
    opts[key.slice(2)] = argv[i + 1];
  }
  if (!opts.url || !opts.query) fail('--url and --query are required', 2);
  if (opts.dir && !opts.port) fail('--dir needs --port', 2);
  return opts;
}

const isIndex = (url) => {
  const path = new URL(url).pathname;
  return path.endsWith('/search.json') || path.includes('/search/');
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch { fail(`no Chromium at ${CHROMIUM}`); }
  const server = opts.dir ? await serve(fs.realpathSync(opts.dir), Number(opts.port)) : null;
  const browser = await launchPlaywright();
  const started = Date.now();
  const out = { query: opts.query, requests: [], dialogs: [], pageErrors: [], consoleErrors: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const origin = new URL(opts.url).origin;
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith(origin + '/') ? route.continue() : route.abort('blockedbyclient');
    });
    page.on('dialog', (d) => { out.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('pageerror', (e) => out.pageErrors.push(String(e.message ?? e)));
    page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
    let lastIndexRequest = Date.now();
    const pending = [];
    page.on('request', (r) => { if (isIndex(r.url())) lastIndexRequest = Date.now(); });
    page.on('response', (r) => {
      if (!isIndex(r.url())) return;
      lastIndexRequest = Date.now();
      pending.push(r.body().then(
        (body) => out.requests.push({ url: r.url(), status: r.status(), bytes: body.length }),
        (e) => out.requests.push({ url: r.url(), status: r.status(), error: String(e.message ?? e) }),
      ));
    });

    const response = await page.goto(opts.url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    if (!response || response.status() >= 400) throw new Error(`${opts.url} answered HTTP ${response?.status()}`);
    const input = page.locator('#_site-search-input');
    await input.waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    out.label = await page.evaluate(() => {
      const i = document.getElementById('_site-search-input');
      return i && i.labels && i.labels[0] ? i.labels[0].textContent : null;
    });
    await input.click();
    await input.pressSequentially(opts.query, { delay: Number(opts.delay ?? 60) });
    // Settled: no index request for SETTLE ms and the status says something.
    const deadline = Date.now() + RESULTS_TIMEOUT;
    for (;;) {
      await page.waitForTimeout(100);
      const said = await page.locator('.site-search [role="status"]').textContent();
      if (said && Date.now() - lastIndexRequest > SETTLE) break;
      if (Date.now() > deadline) { out.timedOut = true; break; }
    }
    await Promise.all(pending);
    out.bytes = out.requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
    Object.assign(out, await page.evaluate(() => {
      const status = document.querySelector('.site-search [role="status"]');
      const panel = document.querySelector('.site-search__panel');
      return {
        status: status && { text: status.textContent, role: status.getAttribute('role'), live: status.getAttribute('aria-live') },
        panelOpen: !!panel && !panel.hidden,
        images: panel ? panel.querySelectorAll('img').length : 0,
        results: [...document.querySelectorAll('.site-search__result')].map((li) => ({
          title: li.querySelector('a')?.textContent ?? null,
          href: li.querySelector('a')?.getAttribute('href') ?? null,
          meta: li.querySelector('.site-search__meta')?.textContent ?? null,
          summary: li.querySelector('.site-search__summary')?.textContent ?? null,
        })),
      };
    }));
    if (opts.artifacts) await page.screenshot({ path: opts.artifacts });

    // axe with the results open (focus stays in the field).
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    const res = await page.evaluate((tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
    }), AXE_TAGS);
    out.axe = res.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.flat().join(' ')),
    }));

    // The keyboard.
    const active = () => page.evaluate(() => {
      const a = document.activeElement;
      if (!a) return null;
      if (a.id === '_site-search-input') return 'input';
      const li = a.closest('.site-search__result');
      return li ? `result ${[...li.parentNode.children].indexOf(li)}` : a.tagName.toLowerCase();
    });
    const keyboard = {};
    if (out.results.length >= 2) {
      await page.keyboard.press('ArrowDown');
      keyboard.down = await active();
      await page.keyboard.press('ArrowDown');
      keyboard.downAgain = await active();
      await page.keyboard.press('ArrowUp');
      keyboard.up = await active();
      await page.keyboard.press('ArrowUp');
      keyboard.upToField = await active();
      await page.keyboard.press('Tab');
      keyboard.tab = await active();
      await page.keyboard.press('Shift+Tab');
    }
    await input.focus();
    await page.keyboard.press('Escape');
    keyboard.escape = await page.evaluate(() => {
      const panel = document.querySelector('.site-search__panel');
      return {
        value: document.getElementById('_site-search-input').value,
        panelOpen: !!panel && !panel.hidden,
        status: document.querySelector('.site-search [role="status"]').textContent,
      };
    });
    // Enter in the field, pressed as soon as the query is typed (before
    // its results come): the first result of that query opens.
    if (out.results.length) {
      const before = page.url();
      await input.pressSequentially(opts.query, { delay: 0 });
      await page.keyboard.press('Enter');
      try {
        await page.waitForURL((url) => url.href !== before, { timeout: RESULTS_TIMEOUT });
        const landed = new URL(page.url());
        keyboard.enter = landed.pathname + landed.search;
      } catch {
        keyboard.enter = null;
      }
    }
    out.keyboard = keyboard;
    await context.close();
  } finally {
    await browser.close();
    server?.close();
  }
  out.seconds = (Date.now() - started) / 1000;
  process.stdout.write(JSON.stringify(out, null, 2) + '\n', () => process.exit(0));
}

main().catch((e) => fail(e?.message ?? String(e)));
