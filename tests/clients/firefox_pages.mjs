#!/usr/bin/env node
// The reader's checks of browser.mjs and search.mjs, in Firefox ESR (over
// WebDriver BiDi, firefox.mjs); tests/clients/firefox.rs calls it.
//
//   node tests/clients/firefox_pages.mjs layout --dir DIR --port PORT
//        --pages PATH[,PATH...] [--artifacts DIR]
//   node tests/clients/firefox_pages.mjs search --dir DIR --port PORT
//        --pages PATH --query TEXT [--artifacts DIR]
//
// DIR is served on http://127.0.0.1:PORT/. Every request for another host
// goes to a proxy that refuses it (so it shows as a failed request), and
// nothing leaves the machine.
// layout: each page at 375 px light, 375 px dark and 1280 px light: the
//   document's scrollWidth and clientWidth, the elements sticking out, a
//   full-page screenshot.
// search: types TEXT into the search box, a key at a time, and reports the
//   results it lists (title, href) and the live region's text.
// Every result carries consoleErrors, pageErrors and failedRequests.
// Prints one JSON object ({ version, results }) on stdout and nothing else.

import fs from 'node:fs';
import path from 'node:path';

import { launchFirefox } from './firefox.mjs';
import { measureLayout, serve } from './chromium.mjs';
import { startStandIn } from './standin.mjs';

console.log = console.info = console.warn = (...a) => console.error(...a);

const RESULTS_TIMEOUT = 15_000;
const SETTLE = 600;

function fail(message, code = 1) {
  process.stderr.write(`firefox_pages.mjs: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (!['layout', 'search'].includes(command)) fail('command must be layout or search', 2);
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    if (!['--dir', '--port', '--pages', '--query', '--artifacts'].includes(rest[i]) || rest[i + 1] === undefined) {
      fail(`bad argument ${JSON.stringify(rest[i])}`, 2);
    }
    opts[rest[i].slice(2)] = rest[i + 1];
  }
  if (!opts.dir || !opts.port || opts.pages === undefined) fail('--dir, --port and --pages are required', 2);
  if (command === 'search' && !opts.query) fail('search needs --query', 2);
  const pages = opts.pages.split(',').map((p) => p.trim().replace(/^\/+/, ''));
  return { command, ...opts, port: Number(opts.port), pages };
}

const shotName = (page, width, scheme) =>
  `firefox-${(page || 'home').replace(/\/+$/, '').replace(/[^a-z0-9]+/gi, '_')}-${width}-${scheme}.png`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


async function layout(opts, origin, proxy) {
  const results = [];
  let version;
  for (const scheme of ['light', 'dark']) {
    // The scheme is a pref of the profile, so each has its own session.
    const prefs = { 'layout.css.prefers-color-scheme.content-override': scheme === 'dark' ? 0 : 1 };
    const session = await launchFirefox({ proxy, prefs });
    version = session.version;
    try {
      const widths = scheme === 'dark' ? [375] : [375, 1280];
      for (const page of opts.pages) {
        for (const width of widths) {
          const tab = await session.newTab(width, width < 600 ? 812 : 900);
          const result = { page, width, scheme };
          try {
            await tab.navigate(`${origin}/${page}`);
            Object.assign(result, await tab.call(measureLayout));
            if (opts.artifacts) {
              result.screenshot = path.resolve(opts.artifacts, shotName(page, width, scheme));
              fs.writeFileSync(result.screenshot, await tab.screenshot());
            }
          } catch (e) {
            result.error = String(e.message || e);
          }
          results.push({ ...result, ...structuredClone(tab.log) });
          await tab.close();
        }
      }
    } finally {
      await session.close();
    }
  }
  return { version, results };
}

async function search(opts, origin, proxy) {
  const session = await launchFirefox({ proxy });
  try {
    const page = opts.pages[0];
    const tab = await session.newTab(1280, 900);
    const result = { page, query: opts.query };
    await tab.navigate(`${origin}/${page}`);
    // search.js shows the box once it runs.
    for (let i = 0; i < 100; i++) {
      if (await tab.evaluate('return !!document.querySelector(".site-search__input") && !document.querySelector(".site-search").hidden;')) break;
      await sleep(100);
    }
    await tab.click('.site-search__input');
    await tab.type(opts.query, 60);
    const read = `return {
      status: document.querySelector('.site-search [role="status"]')?.textContent ?? null,
      results: [...document.querySelectorAll('.site-search__result')].map((li) => ({
        title: li.querySelector('a')?.textContent ?? null,
        href: li.querySelector('a')?.getAttribute('href') ?? null,
      })),
    };`;
    const started = Date.now();
    let last = '';
    let stableSince = Date.now();
    let seen;
    for (;;) {
      seen = await tab.evaluate(read);
      const now = JSON.stringify(seen);
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (seen.results.length && Date.now() - stableSince >= SETTLE) break;
      if (Date.now() - started > RESULTS_TIMEOUT) {
        result.timedOut = true;
        break;
      }
      await sleep(100);
    }
    Object.assign(result, seen);
    if (opts.artifacts) {
      result.screenshot = path.resolve(opts.artifacts, shotName(`search-${opts.query}`, 1280, 'light'));
      fs.writeFileSync(result.screenshot, await tab.screenshot());
    }
    return { version: session.version, results: [{ ...result, ...structuredClone(tab.log) }] };
  } finally {
    await session.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.artifacts) fs.mkdirSync(opts.artifacts, { recursive: true });
  const server = await serve(fs.realpathSync(opts.dir), opts.port);
  const standIn = await startStandIn([]);
  try {
    const run = opts.command === 'layout' ? layout : search;
    const out = await run(opts, `http://127.0.0.1:${opts.port}`, standIn.port);
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await standIn.close();
    server.close();
  }
}

main().then(() => process.exit(0), (e) => fail(e.stack || String(e)));
