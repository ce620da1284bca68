#!/usr/bin/env node
// Checks the email editions of a gazette site as email clients see them; the
// Rust tests (tests/clients/publish.rs) call it.
//
//   node tests/clients/email.mjs doiuse --clients GLOB[,GLOB...] FILE...
//   node tests/clients/email.mjs render --dir DIR --port PORT --pages PATH[,PATH...]
//        --css-from TEMPLATE [--artifacts DIR]
//
// doiuse: runs @jsx-email/doiuse-email (the caniemail.com data) on each
// FILE for the email clients the globs match ("gmail.*", "apple-mail.*").
//
// render: serves DIR on http://127.0.0.1:PORT/ and opens each PATH (e.g.
// "2026/11/25/email.html") in Chromium at 600, 375 and 1280 px. For each
// width: the page's scroll and client widths, the width of the text on it
// (leftmost to rightmost text box), console errors, failed requests to the
// site, blocked requests to other hosts, and a screenshot (of every page at
// 600 px, of the first at every width) in DIR of --artifacts. Once per page (at
// 600 px): "notInlined", every element a rule of the CSS in the <style>
// blocks of TEMPLATE (the theme's email template; Tera and HTML comments
// left out) applies to, with the properties of that rule its style=""
// attribute lacks: CSS that a client without <style> support would lose.
//
// Prints one JSON object on stdout and nothing else. Findings never change
// the exit code (the Rust side judges them); a non-zero exit with a message
// on stderr means the tool itself failed.

import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM, launchPlaywright, measureLayout, serve } from './chromium.mjs';

console.log = console.info = console.warn = (...a) => console.error(...a);

const WIDTHS = [600, 375, 1280];
const LOAD_TIMEOUT = 30_000;

function fail(message, code = 1) {
  process.stderr.write(`email.mjs: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { files: [] };
  const known = { doiuse: ['--clients'], render: ['--dir', '--port', '--pages', '--css-from', '--artifacts'] };
  if (!known[command]) fail('command must be doiuse or render', 2);
  for (let i = 0; i < rest.length; i++) {
    if (rest[i].startsWith('--')) {
      if (!known[command].includes(rest[i]) || rest[i + 1] === undefined) fail(`bad argument ${JSON.stringify(rest[i])}`, 2);
      opts[rest[i].slice(2)] = rest[++i];
    } else {
      opts.files.push(rest[i]);
    }
  }
  if (command === 'doiuse' && (!opts.clients || !opts.files.length)) fail('doiuse needs --clients and FILEs', 2);
  if (command === 'render') {
    if (!opts.dir || !opts.port || !opts.pages || !opts['css-from']) fail('render needs --dir, --port, --pages and --css-from', 2);
    opts.dir = fs.realpathSync(opts.dir);
    opts.port = Number(opts.port);
    opts.pages = opts.pages.split(',').map((p) => p.trim().replace(/^\/+/, ''));
  }
  return { command, opts };
}

// ---------------------------------------------------------------- doiuse --

async function runDoiuse(globs, files) {
  const { DoIUseEmail } = await import('@jsx-email/doiuse-email');
  const options = { emailClients: globs };
  // The clients the globs matched, so that a glob matching nothing shows.
  const clients = new DoIUseEmail(options).emailClients;
  const results = files.map((file) => {
    const r = new DoIUseEmail(options).check(fs.readFileSync(file, 'utf8'));
    return { file, success: r.success, errors: r.errors ?? [], warnings: r.warnings.length, notes: r.notes.length };
  });
  return { clients, results };
}

// ---------------------------------------------------------------- render --

function templateCss(file) {
  const text = fs.readFileSync(file, 'utf8')
    .replace(/\{#[\s\S]*?#\}/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  return [...text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]).join('\n');
}

// Runs in the page: the text's horizontal extent.
function measure() {
  let left = Infinity;
  let right = -Infinity;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  // The box text can show in: the viewport, narrowed by every ancestor that
  // clips its overflow (the preheader is such a box, 0 px wide).
  const clipOf = (node) => {
    let box = { left: -Infinity, right: Infinity, top: -Infinity, bottom: Infinity };
    for (let el = node.parentElement; el; el = el.parentElement) {
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden') return null;
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const r = el.getBoundingClientRect();
        box = {
          left: Math.max(box.left, r.left), right: Math.min(box.right, r.right),
          top: Math.max(box.top, r.top), bottom: Math.min(box.bottom, r.bottom),
        };
      }
    }
    return box;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const clip = clipOf(node);
    if (!clip) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      const l = Math.max(r.left, clip.left);
      const rt = Math.min(r.right, clip.right);
      if (rt - l < 1 || Math.min(r.bottom, clip.bottom) - Math.max(r.top, clip.top) < 1) continue;
      left = Math.min(left, l);
      right = Math.max(right, rt);
    }
  }
  return { textWidth: right > left ? Math.round((right - left) * 10) / 10 : 0 };
}

// Runs in the page: each element a rule of `css` applies to must carry the
// rule's properties in its own style="" (compared as the longhands Chromium
// expands both into, so "padding" inline covers "padding-top" in a rule).
function notInlined(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  const missing = [];
  const skipped = [];
  const describe = (el) => {
    const cls = el.getAttribute('class');
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls.trim().replace(/\s+/g, '.') : ''}`;
  };
  for (const rule of sheet.cssRules) {
    if (!(rule instanceof CSSStyleRule)) { skipped.push(rule.cssText.split('{')[0].trim()); continue; }
    let elements;
    try { elements = document.querySelectorAll(rule.selectorText); } catch { skipped.push(rule.selectorText); continue; }
    const props = [...rule.style];
    for (const el of elements) {
      const lacking = props.filter((p) => el.style.getPropertyValue(p) === '');
      if (lacking.length && missing.length < 50) missing.push(`${describe(el)} (rule \`${rule.selectorText}\`): no ${lacking.join(', ')}`);
    }
  }
  return { rules: sheet.cssRules.length, missing, skipped };
}

async function runRender({ dir, port, pages, artifacts, 'css-from': cssFrom }) {
  const css = templateCss(cssFrom);
  if (!css.trim()) throw new Error(`no <style> CSS in ${cssFrom}`);
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch { fail(`no Chromium at ${CHROMIUM}`); }
  if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
  const origin = `http://127.0.0.1:${port}`;
  const server = await serve(dir, port);
  const browser = await launchPlaywright();
  const results = [];
  try {
    for (const pagePath of pages) {
      for (const width of WIDTHS) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        const log = { consoleErrors: [], failedRequests: [], blockedRequests: [] };
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
          log.blockedRequests.push(url);
          return route.abort('blockedbyclient');
        });
        page.on('console', (m) => { if (m.type() === 'error') log.consoleErrors.push(m.text()); });
        page.on('pageerror', (e) => log.consoleErrors.push(String(e.message ?? e)));
        page.on('requestfailed', (r) => {
          const why = r.failure()?.errorText ?? 'failed';
          if (!why.includes('ERR_BLOCKED_BY_CLIENT')) log.failedRequests.push(`${r.url()} ${why}`);
        });
        page.on('response', (r) => { if (r.status() >= 400) log.failedRequests.push(`${r.url()} HTTP ${r.status()}`); });
        const result = { page: pagePath, width };
        try {
          const response = await page.goto(`${origin}/${pagePath}`, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
          if (response && response.status() >= 400) result.error = `page answered HTTP ${response.status()}`;
        } catch (e) {
          result.error = `load failed: ${e.message.split('\n')[0]}`;
        }
        if (!result.error) {
          // The widths and what sticks out, as every layout check measures
          // them; then how wide the text runs.
          Object.assign(result, await page.evaluate(measureLayout), await page.evaluate(measure));
          if (width === WIDTHS[0]) result.notInlined = await page.evaluate(notInlined, css);
          // Every edition at 600 px, the first (the newest) at every width.
          if (artifacts && (width === WIDTHS[0] || pagePath === pages[0])) {
            const name = `${pagePath.replace(/\.html$/, '').replace(/[^A-Za-z0-9]+/g, '_')}-${width}.png`;
            result.screenshot = path.resolve(artifacts, name);
            await page.screenshot({ path: result.screenshot, fullPage: true });
          }
        }
        results.push({ ...result, ...log });
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return { results };
}

// ------------------------------------------------------------------ main --

async function main() {
  const { command, opts } = parseArgs(process.argv.slice(2));
  const out = command === 'doiuse'
    ? await runDoiuse(opts.clients.split(','), opts.files)
    : await runRender(opts);
  process.stdout.write(JSON.stringify(out, null, 1) + '\n', () => process.exit(0));
}

main().catch((e) => fail(e?.message ?? String(e)));
