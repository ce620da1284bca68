// What the client checks share: Debian's Chromium with the flags this
// closed network needs, and a static host for a built site. Used by
// browser.mjs, email.mjs and live.mjs.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

// The closed network refuses a Chromium that phones home; these flags keep it
// quiet. The host resolver rule makes every host but 127.0.0.1 unresolvable,
// a second fence behind the request blocking below (and the only one for
// Lighthouse, which drives its own Chromium).
export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
export const CHROME_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

// A plain static host, like the ones the site is deployed to: folder paths
// serve index.html, a folder without its slash is redirected (so relative
// links resolve as in production), missing files get 404 (with the site's
// 404.html as body when there is one), and nothing outside DIR is served.
export function serve(root, port) {
  const resolveFile = (urlPath) => {
    let rel;
    try { rel = decodeURIComponent(urlPath); } catch { return null; }
    if (rel.includes('\0')) return null;
    let file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    try {
      if (fs.statSync(file).isDirectory()) {
        if (!urlPath.endsWith('/')) return { redirect: urlPath + '/' };
        file = path.join(file, 'index.html');
      } else if (urlPath.endsWith('/')) return null; // "style.css/" is not a file
      file = fs.realpathSync(file); // a symlink must not lead out of root either
    } catch { return null; }
    return file.startsWith(root + path.sep) && fs.statSync(file).isFile() ? { file } : null;
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = new URL(req.url, 'http://x').pathname;
    const found = resolveFile(urlPath);
    if (found?.redirect) {
      res.writeHead(301, { Location: found.redirect }).end();
      return;
    }
    const file = found?.file ?? resolveFile('/404.html')?.file;
    const body = file ? fs.readFileSync(file) : Buffer.from('not found\n');
    res.writeHead(found ? 200 : 404, {
      'Content-Type': file ? TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' : 'text/plain',
      'Content-Length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot serve on 127.0.0.1:${port}: ${e.message}`)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// Run in the page, in either engine: the document's widths and, for a page
// that scrolls sideways, the first few elements sticking out, to say where
// to look; and whether the dark scheme is on.
export function measureLayout() {
  const de = document.documentElement;
  const overflowing = [];
  if (de.scrollWidth > de.clientWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > de.clientWidth + 1 && overflowing.length < 5) {
        overflowing.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''} right=${Math.round(r.right)}`);
      }
    }
  }
  return {
    scrollWidth: de.scrollWidth,
    clientWidth: de.clientWidth,
    overflowing,
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
  };
}

// Run in the page with print media on: the outbound links of <main> whose
// address a printed page would not show, neither as text (scheme, "www."
// and a final slash aside) nor after the link (`::after { content:
// attr(href) }`). On paper a link is only as good as its printed address.
export function unprintedLinks() {
  const main = document.querySelector('main');
  if (!main) return [];
  const text = main.innerText;
  return [...main.querySelectorAll('a[rel~="external"]')].filter((a) => {
    const href = a.getAttribute('href');
    if (text.includes(href.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, ''))) return false;
    const after = getComputedStyle(a, '::after').content;
    return !(after.includes('attr(href)') || after.includes(href));
  }).map((a) => a.getAttribute('href'));
}

// A Chromium driven by playwright-core.
export async function launchPlaywright() {
  const { chromium } = await import('playwright-core');
  // Playwright gives every launch a fresh temporary profile of its own (it
  // refuses a --user-data-dir argument), so there is nothing to mkdtemp here.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_FLAGS });
}
