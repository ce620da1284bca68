#!/usr/bin/env node
// Checks a generated gazette site in a real browser; the Rust tests call it.
//
//   node tests/clients/browser.mjs <axe|layout|lighthouse|scripts> --dir DIR --port PORT
//        --pages PATH[,PATH...] [--artifacts DIR]
//
// DIR is served on http://127.0.0.1:PORT/ (the base URL the site was built
// with). PATHs are site paths: "" is the home page, "2026/11/25/" a day.
// Prints one JSON object on stdout and nothing else. Findings never change
// the exit code (the Rust side judges them); a non-zero exit with a message
// on stderr means the tool itself failed (bad arguments, port taken, browser
// would not start). A page that cannot be checked (load timeout, Lighthouse
// runtime error, a 404) gets an "error" field in its result. Besides the
// fields asked for, results may carry "pageErrors" (uncaught exceptions) and
// "overflowing" and, at 1280 px, "unprinted" (layout), "blockedRequests" (axe, lighthouse), "warnings"
// (lighthouse); each failing Lighthouse audit lists its "categories".
// "scripts" reports what ran that the site did not ship: "dialogs",
// "console" messages, "pageErrors", and the elements a script could hide
// in ("unsafeUrls", "handlers").

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { CHROMIUM, CHROME_FLAGS, launchPlaywright, measureLayout, serve, unprintedLinks } from './chromium.mjs';

const require = createRequire(import.meta.url);

// Lighthouse and friends write progress with console.log; stdout is ours.
console.log = console.info = console.warn = (...a) => console.error(...a);

const LOAD_TIMEOUT = 30_000;
const LIGHTHOUSE_TIMEOUT = 120_000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

function fail(message, code = 1) {
  process.stderr.write(`browser.mjs: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i];
    if (!['--dir', '--port', '--pages', '--artifacts'].includes(key) || rest[i + 1] === undefined) {
      fail(`bad argument ${JSON.stringify(key)}`, 2);
    }
    opts[key.slice(2)] = rest[i + 1];
  }
  if (!['axe', 'layout', 'lighthouse', 'scripts', 'redirects'].includes(command)) fail('command must be axe, layout, lighthouse, scripts or redirects', 2);
  if (!opts.dir || !opts.port || opts.pages === undefined) fail('--dir, --port and --pages are required', 2);
  if (!fs.statSync(opts.dir, { throwIfNoEntry: false })?.isDirectory()) fail(`no such folder ${opts.dir}`, 2);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`bad port ${opts.port}`, 2);
  // "" (or "/") is the home page; leading slashes are tolerated.
  const pages = opts.pages.split(',').map((p) => p.trim().replace(/^\/+/, ''));
  return { command, dir: fs.realpathSync(opts.dir), port, pages, artifacts: opts.artifacts };
}

// ------------------------------------------------------- playwright runs --


// Opens one page at the given size and scheme, blocking and recording every
// request that leaves the site, and collecting what went wrong while loading.
async function openPage(browser, origin, pagePath, width, scheme) {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 812 : 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const log = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
    log.failedRequests.push(`blocked external request ${url}`);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => {
    // "Failed to load resource" names its URL only in the location.
    const where = m.location()?.url;
    if (m.type() === 'error') log.consoleErrors.push(where ? `${m.text()} [${where}]` : m.text());
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e.message ?? e)));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? 'failed';
    if (!why.includes('ERR_BLOCKED_BY_CLIENT')) log.failedRequests.push(`${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) log.failedRequests.push(`${r.url()} HTTP ${r.status()}`);
  });
  await page.emulateMedia({ colorScheme: scheme });
  let error;
  try {
    const response = await page.goto(`${origin}/${pagePath}`, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    // Checking the 404 page in place of the one asked for would pass silently.
    if (response && response.status() >= 400) error = `page answered HTTP ${response.status()}`;
  } catch (e) {
    error = `load failed: ${e.message.split('\n')[0]}`;
  }
  return { context, page, log, error };
}

async function runAxe(browser, origin, pages) {
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const results = [];
  for (const pagePath of pages) {
    for (const scheme of ['light', 'dark']) {
      for (const width of [1280, 375]) {
        const { context, page, log, error } = await openPage(browser, origin, pagePath, width, scheme);
        const result = { page: pagePath, scheme, width, violations: [] };
        if (error) {
          result.error = error;
        } else {
          // Evaluated rather than added as a <script>, so a page's CSP
          // cannot keep axe out (this is what @axe-core/playwright does).
          await page.evaluate(axeSource);
          const res = await page.evaluate(
            (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
            AXE_TAGS);
          result.violations = res.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
            targets: v.nodes.slice(0, 5).map((n) => n.target.flat().join(' ')),
          }));
        }
        const blocked = log.failedRequests.filter((r) => r.startsWith('blocked'));
        if (blocked.length) result.blockedRequests = blocked;
        results.push(result);
        await context.close();
      }
    }
  }
  return results;
}

const shotName = (pagePath, width, scheme) =>
  `${pagePath.replace(/^\/+|\/+$/g, '').replace(/\//g, '_') || 'home'}-${width}-${scheme}.png`;

async function runLayout(browser, origin, pages, artifacts) {
  if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
  const results = [];
  for (const pagePath of pages) {
    for (const [width, scheme] of [[375, 'light'], [375, 'dark'], [1280, 'light']]) {
      const { context, page, log, error } = await openPage(browser, origin, pagePath, width, scheme);
      const result = { page: pagePath, width, scheme };
      if (error) result.error = error;
      else {
        Object.assign(result, await page.evaluate(measureLayout));
        // Printed (once a page, at desktop width): every outbound link's
        // address shows on paper.
        if (width === 1280) {
          await page.emulateMedia({ media: 'print' });
          result.unprinted = await page.evaluate(unprintedLinks);
          await page.emulateMedia({ media: null });
        }
        if (artifacts) {
          result.screenshot = path.resolve(artifacts, shotName(pagePath, width, scheme));
          await page.screenshot({ path: result.screenshot, fullPage: true });
        }
      }
      results.push({ ...result, ...log });
      await context.close();
    }
  }
  return results;
}

// Opens each page, then hovers, focuses and clicks every element of it, and
// reports every alert, confirm or prompt, every console message and every
// uncaught error: a page of ours runs no script but the theme's search box,
// which says nothing. Clicks on links to http(s) and mailto, and forms, are
// kept from navigating; a `javascript:` link is let run, as a reader's
// click would.
// The page's links, sources and attributes are also read back from the DOM,
// as the browser parsed them: any URL whose scheme is not http, https or
// mailto, and any `on…` attribute, is reported even if it did not fire.
async function runScripts(browser, origin, pages) {
  const results = [];
  for (const pagePath of pages) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const result = { page: pagePath, dialogs: [], console: [], pageErrors: [] };
    page.on('dialog', (d) => {
      result.dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('console', (m) => result.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => result.pageErrors.push(String(e.message ?? e)));
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith(origin + '/') || url.startsWith('data:') ? route.continue() : route.abort('blockedbyclient');
    });
    try {
      const response = await page.goto(`${origin}/${pagePath}`, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
      if (response && response.status() >= 400) result.error = `page answered HTTP ${response.status()}`;
      Object.assign(result, await page.evaluate(async () => {
        const safe = new Set(['http:', 'https:', 'mailto:']);
        addEventListener('click', (e) => {
          const a = e.target.closest?.('a[href]');
          if (a && safe.has(a.protocol)) e.preventDefault();
        }, true);
        addEventListener('submit', (e) => e.preventDefault(), true);
        const unsafeUrls = [];
        const handlers = [];
        for (const el of document.querySelectorAll('*')) {
          for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            if (name.startsWith('on')) handlers.push(`<${el.localName} ${name}="${attr.value}">`);
            if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(name)) {
              let scheme;
              try { scheme = new URL(attr.value, document.baseURI).protocol; } catch { continue; }
              if (!safe.has(scheme)) unsafeUrls.push(`<${el.localName} ${name}="${attr.value}">`);
            }
          }
        }
        for (const el of document.querySelectorAll('body *')) {
          for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin']) {
            el.dispatchEvent(new FocusEvent(type, { bubbles: type !== 'mouseenter' && type !== 'focus' }));
          }
          if (typeof el.click === 'function') el.click();
        }
        // Let what the clicks queued (navigations to javascript: URLs) run.
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { unsafeUrls, handlers };
      }));
    } catch (e) {
      result.error = `load failed: ${e.message.split('\n')[0]}`;
    }
    results.push(result);
    await context.close();
  }
  return results;
}

// ------------------------------------------------------------ lighthouse --

async function runLighthouse(origin, pages) {
  const { default: lighthouse } = await import('lighthouse');
  // chrome-launcher is Lighthouse's own dependency (pinned by the lockfile);
  // resolve it from Lighthouse so hoisting cannot pick another copy.
  const lhRequire = createRequire(require.resolve('lighthouse/package.json'));
  const chromeLauncher = await import(lhRequire.resolve('chrome-launcher'));
  const results = [];
  for (const pagePath of pages) {
    // A fresh browser and profile per page: no cache carried from one page
    // to the next, and a stuck run can be killed without touching the rest.
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-lh-'));
    let chrome;
    try {
      chrome = await chromeLauncher.launch({
        chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, userDataDir, logLevel: 'silent',
      });
    } catch (e) {
      throw new Error(`Chromium would not start for Lighthouse: ${e.message}`);
    }
    const result = { page: pagePath, scores: {}, failing: [] };
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Lighthouse took over ${LIGHTHOUSE_TIMEOUT / 1000} s`)), LIGHTHOUSE_TIMEOUT);
      });
      // Default settings are Lighthouse's mobile profile (emulated Moto G
      // Power, simulated slow 4G), the same as the CLI's defaults.
      const run = await Promise.race([timeout, lighthouse(`${origin}/${pagePath}`, {
        port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES,
      })]);
      const lhr = run.lhr;
      if (lhr.runtimeError) result.error = `${lhr.runtimeError.code}: ${lhr.runtimeError.message}`;
      if (lhr.runWarnings?.length) result.warnings = lhr.runWarnings;
      const failing = new Map(); // one entry per audit, listing every category it lowers
      for (const category of Object.values(lhr.categories)) {
        result.scores[category.id] = category.score;
        // Only audits that weigh on the category score; informative and
        // zero-weight diagnostics (e.g. cache lifetimes) are left out.
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            if (!failing.has(ref.id)) {
              failing.set(ref.id, { id: ref.id, title: audit.title, score: audit.score, categories: [],
                ...(audit.displayValue ? { displayValue: audit.displayValue } : {}) });
            }
            failing.get(ref.id).categories.push(category.id);
          }
        }
      }
      result.failing = [...failing.values()];
      // Requests that left the site failed on the resolver rule above.
      const requests = lhr.audits['network-requests']?.details?.items ?? [];
      const external = requests.map((r) => r.url).filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:'));
      if (external.length) result.blockedRequests = external;
    } catch (e) {
      result.error = e.message;
    } finally {
      clearTimeout(timer);
      await Promise.resolve(chrome.kill()).catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
    results.push(result);
  }
  return results;
}

// Opens each page (an alias's old URL) and reports where Chromium landed
// once the redirect page sent it on.
async function runRedirects(browser, origin, pages) {
  const results = [];
  for (const pagePath of pages) {
    const result = { page: pagePath };
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const start = `${origin}/${pagePath}`;
      await page.goto(start, { waitUntil: 'load', timeout: 15000 });
      await page.waitForURL((url) => url.href !== start, { timeout: 10000 });
      await page.waitForLoadState('load');
      result.landed = new URL(page.url()).pathname;
      result.title = await page.title();
    } catch (e) {
      result.error = e.message.split('\n')[0];
    } finally {
      await context.close();
    }
    results.push(result);
  }
  return results;
}

// ------------------------------------------------------------------ main --

async function main() {
  const { command, dir, port, pages, artifacts } = parseArgs(process.argv.slice(2));
  const origin = `http://127.0.0.1:${port}`;
  // chrome-launcher dies on an unhandled event rather than rejecting when the
  // binary is missing, so look first.
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch { fail(`no Chromium at ${CHROMIUM}`); }
  const server = await serve(dir, port);
  let results;
  if (command === 'lighthouse') {
    results = await runLighthouse(origin, pages);
  } else {
    let browser;
    try {
      browser = await launchPlaywright();
    } catch (e) {
      throw new Error(`Chromium would not start: ${e.message.split('\n')[0]}`);
    }
    try {
      results = command === 'axe' ? await runAxe(browser, origin, pages)
        : command === 'scripts' ? await runScripts(browser, origin, pages)
        : command === 'redirects' ? await runRedirects(browser, origin, pages)
        : await runLayout(browser, origin, pages, artifacts);
    } finally {
      await browser.close();
    }
  }
  server.close();
  // Exit explicitly once stdout is flushed: Lighthouse can leave timers behind.
  process.stdout.write(JSON.stringify({ results }, null, 2) + '\n', () => process.exit(0));
}

main().catch((e) => fail(e?.message ?? String(e)));
