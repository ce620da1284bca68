// Debian's Firefox ESR over WebDriver: geckodriver starts it with a fresh
// profile (classic WebDriver makes the session), then every command and
// event goes over the session's WebDriver BiDi socket: navigation, viewport,
// scripts, key and pointer input, screenshots, console messages and
// network errors. Used by engines.mjs and signup.mjs.

import { spawn } from 'node:child_process';
import net from 'node:net';

import WebSocket from 'ws';

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const GECKODRIVER = process.env.GECKODRIVER_PATH || 'geckodriver';

const START_TIMEOUT = 60_000;
const COMMAND_TIMEOUT = 60_000;

// Prefs that keep Firefox off the network it would call on its own
// (geckodriver's automation profile already turns most of it off).
const QUIET = {
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'extensions.getAddons.cache.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.ping-centre.telemetry': false,
  'network.http.speculative-parallel-limit': 0,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A Firefox session. `proxy` (a port on 127.0.0.1) sends every request that
// does not go to 127.0.0.1 through it, https included; its certificate is
// then accepted as the stand-in it is. `prefs` are set in its profile.
export async function launchFirefox({ proxy, prefs: extra = {} } = {}) {
  const port = await freePort();
  const driver = spawn(GECKODRIVER, ['--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let driverLog = '';
  const keep = (chunk) => { driverLog = (driverLog + chunk).slice(-20_000); };
  driver.stdout.on('data', keep);
  driver.stderr.on('data', keep);
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  driver.once('error', (e) => { driverLog += `\ncannot run ${GECKODRIVER}: ${e.message}`; });

  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      const status = await (await fetch(`${base}/status`)).json();
      if (status.value?.ready) break;
    } catch { /* not listening yet */ }
    if (driver.exitCode !== null || Date.now() - started > START_TIMEOUT) {
      driver.kill();
      throw new Error(`geckodriver did not start:\n${driverLog}`);
    }
    await sleep(100);
  }

  const prefs = { ...QUIET, ...extra };
  if (proxy) {
    Object.assign(prefs, {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy,
      'network.proxy.no_proxies_on': '',
    });
  }
  const response = await fetch(`${base}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      capabilities: {
        alwaysMatch: {
          browserName: 'firefox',
          acceptInsecureCerts: Boolean(proxy),
          webSocketUrl: true,
          'moz:firefoxOptions': { binary: FIREFOX, args: ['-headless'], prefs },
        },
      },
    }),
  });
  const created = await response.json();
  const socketUrl = created.value?.capabilities?.webSocketUrl;
  if (!socketUrl) {
    driver.kill();
    throw new Error(`Firefox did not start: ${JSON.stringify(created.value)}\n${driverLog}`);
  }
  const session = new Session(new WebSocket(socketUrl), {
    version: created.value.capabilities.browserVersion,
    close: async () => {
      await fetch(`${base}/session/${created.value.sessionId}`, { method: 'DELETE' }).catch(() => {});
      driver.kill();
      await exited;
    },
  });
  await session.opened;
  return session;
}

// One BiDi connection: commands by id, events to listeners.
class Session {
  constructor(socket, { version, close }) {
    this.socket = socket;
    this.version = version;
    this.closeDriver = close;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.id !== undefined && this.pending.has(message.id)) {
        const { resolve, reject, timer } = this.pending.get(message.id);
        this.pending.delete(message.id);
        clearTimeout(timer);
        if (message.type === 'error') reject(new Error(`${message.error}: ${message.message}`));
        else resolve(message.result);
      } else if (message.type === 'event') {
        for (const listener of this.listeners) listener(message.method, message.params);
      }
    });
  }

  send(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, COMMAND_TIMEOUT);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  on(listener) {
    this.listeners.push(listener);
  }

  async close() {
    this.socket.close();
    await this.closeDriver();
  }

  // A new tab of `width` × `height`, with what goes wrong in it collected:
  // console errors, uncaught exceptions, requests that fail or get an
  // error status.
  async newTab(width, height) {
    const { context } = await this.send('browsingContext.create', { type: 'tab' });
    await this.send('browsingContext.setViewport', { context, viewport: { width, height } });
    const log = { consoleErrors: [], pageErrors: [], failedRequests: [] };
    await this.send('session.subscribe', {
      events: ['log.entryAdded', 'network.responseCompleted', 'network.fetchError'],
      contexts: [context],
    });
    this.on((method, params) => {
      if (params.context !== undefined && params.context !== context) return;
      if (params.source?.context !== undefined && params.source.context !== context) return;
      if (method === 'log.entryAdded' && params.level === 'error') {
        (params.type === 'javascript' ? log.pageErrors : log.consoleErrors).push(params.text);
      } else if (method === 'network.fetchError') {
        log.failedRequests.push(`${params.request.url}: ${params.errorText}`);
      } else if (method === 'network.responseCompleted' && params.response.status >= 400) {
        log.failedRequests.push(`${params.request.url}: HTTP ${params.response.status}`);
      }
    });
    return new Tab(this, context, log);
  }
}

class Tab {
  constructor(session, context, log) {
    this.session = session;
    this.context = context;
    this.log = log;
  }

  navigate(url) {
    return this.session.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  // The value of `expression` (a function body's `return`ed JSON value).
  async evaluate(body) {
    const { result, exceptionDetails } = await this.session.send('script.callFunction', {
      functionDeclaration: `() => JSON.stringify((() => { ${body} })())`,
      target: { context: this.context },
      awaitPromise: false,
    });
    if (exceptionDetails) throw new Error(`script failed: ${exceptionDetails.text}`);
    return result.value === undefined ? undefined : JSON.parse(result.value);
  }

  // The JSON value `fn` (a function of no arguments, as its source) returns
  // in the page.
  async call(fn) {
    return this.evaluate(`return (${fn.toString()})();`);
  }

  // The shared id of the first element matching `selector`.
  async element(selector) {
    const { nodes } = await this.session.send('browsingContext.locateNodes', {
      context: this.context,
      locator: { type: 'css', value: selector },
      maxNodeCount: 1,
    });
    if (!nodes.length) throw new Error(`no element matches ${selector}`);
    return nodes[0].sharedId;
  }

  // A click in the middle of the element, with the mouse, scrolled into
  // view first as a reader would.
  async click(selector) {
    const element = await this.element(selector);
    await this.session.send('script.callFunction', {
      functionDeclaration: '(el) => el.scrollIntoView({ block: "center", behavior: "instant" })',
      arguments: [{ sharedId: element }],
      target: { context: this.context },
      awaitPromise: false,
    });
    await this.session.send('input.performActions', {
      context: this.context,
      actions: [{
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element: { sharedId: element } } },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      }],
    });
  }

  // Types `text` one key at a time into whatever has the focus, `delay` ms apart.
  async type(text, delay = 0) {
    const actions = [];
    for (const key of text) {
      actions.push({ type: 'keyDown', value: key }, { type: 'keyUp', value: key });
      if (delay) actions.push({ type: 'pause', duration: delay });
    }
    await this.session.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'key', id: 'keyboard', actions }],
    });
  }

  async screenshot() {
    const { data } = await this.session.send('browsingContext.captureScreenshot', {
      context: this.context,
      origin: 'document',
    });
    return Buffer.from(data, 'base64');
  }

  close() {
    return this.session.send('browsingContext.close', { context: this.context });
  }
}
