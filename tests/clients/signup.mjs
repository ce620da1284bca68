#!/usr/bin/env node
// The email sign-up form as a reader uses it, in Chromium or Firefox;
// tests/clients/signup.rs calls it.
//
//   node tests/clients/signup.mjs --engine chromium|firefox --dir DIR --port PORT
//        --page PATH --email ADDRESS --hosts HOST[,HOST...]
//
// DIR is served on http://127.0.0.1:PORT/. The browser sends every request
// for another host through standin.mjs, which answers for HOSTs (the email
// services) and refuses the rest. The script opens PATH, clicks the email
// field, types ADDRESS, presses the form's button and waits for the
// service's stand-in to receive the submission. Prints one JSON object:
//   engine, version   the browser
//   received          each request that reached a service: host, method,
//                     path, query, contentType, fields ([name, value] pairs)
//   refused           requests to any other host
//   landed            the text of the page the browser shows after it
//   consoleErrors, pageErrors, failedRequests  while on the site's page
// A non-zero exit with a message on stderr means the tool itself failed.

import { launchFirefox } from './firefox.mjs';
import { CHROMIUM, CHROME_FLAGS, serve } from './chromium.mjs';
import { startStandIn } from './standin.mjs';

console.log = console.info = console.warn = (...a) => console.error(...a);

const WAIT = 15_000;

function fail(message, code = 1) {
  process.stderr.write(`signup.mjs: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {};
  const keys = ['--engine', '--dir', '--port', '--page', '--email', '--hosts'];
  for (let i = 0; i < argv.length; i += 2) {
    if (!keys.includes(argv[i]) || argv[i + 1] === undefined) fail(`bad argument ${JSON.stringify(argv[i])}`, 2);
    opts[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of keys) if (opts[k.slice(2)] === undefined) fail(`${k} is required`, 2);
  if (!['chromium', 'firefox'].includes(opts.engine)) fail('--engine must be chromium or firefox', 2);
  return { ...opts, port: Number(opts.port), hosts: opts.hosts.split(',') };
}

async function chromium(opts, standIn, url) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium's own flag, not Playwright's `proxy` option, which would
    // send 127.0.0.1 through the proxy too: the site stays direct.
    args: [...CHROME_FLAGS, `--proxy-server=http://127.0.0.1:${standIn.port}`],
  });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    const log = { consoleErrors: [], pageErrors: [], failedRequests: [] };
    const onSite = () => page.url().startsWith(`http://127.0.0.1:${opts.port}/`);
    page.on('console', (m) => m.type() === 'error' && onSite() && log.consoleErrors.push(m.text()));
    page.on('pageerror', (e) => log.pageErrors.push(String(e)));
    page.on('response', (r) => r.status() >= 400 && log.failedRequests.push(`${r.url()}: HTTP ${r.status()}`));
    await page.goto(url, { waitUntil: 'load' });
    await page.click('.sign-up__input');
    await page.keyboard.type(opts.email, { delay: 20 });
    await page.click('.sign-up__button');
    await standIn.next(WAIT);
    await page.waitForLoadState('load').catch(() => {});
    const landed = await page.locator('body').innerText({ timeout: WAIT }).catch(() => '');
    return { engine: 'chromium', version: browser.version(), landed, ...log };
  } finally {
    await browser.close();
  }
}

async function firefox(opts, standIn, url) {
  const session = await launchFirefox({ proxy: standIn.port });
  try {
    const tab = await session.newTab(375, 812);
    await tab.navigate(url);
    await tab.click('.sign-up__input');
    await tab.type(opts.email, 20);
    const log = structuredClone(tab.log);
    await tab.click('.sign-up__button');
    await standIn.next(WAIT);
    // The service's answer replaces the page once it has loaded.
    let landed = '';
    for (let i = 0; i < 50 && !landed.includes('Thanks'); i++) {
      landed = (await tab.evaluate('return document.body ? document.body.innerText : "";').catch(() => '')) ?? '';
      await new Promise((r) => setTimeout(r, 100));
    }
    return { engine: 'firefox', version: session.version, landed, ...log };
  } finally {
    await session.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const server = await serve(opts.dir, opts.port);
  const standIn = await startStandIn(opts.hosts);
  const url = `http://127.0.0.1:${opts.port}/${opts.page.replace(/^\/+/, '')}`;
  try {
    const run = opts.engine === 'chromium' ? chromium : firefox;
    const result = await run(opts, standIn, url);
    process.stdout.write(JSON.stringify({ ...result, received: standIn.received, refused: standIn.refused }) + '\n');
  } finally {
    await standIn.close();
    server.close();
  }
}

main().then(() => process.exit(0), (e) => fail(e.stack || String(e)));
