// A stand-in for the email services a sign-up form posts to: an HTTP proxy
// on 127.0.0.1 that a browser sends its requests for other hosts through.
// A CONNECT to one of `hosts` is answered, then the tunnel is spoken to as
// that host over TLS with a throwaway self-signed certificate (made by the
// openssl command), so the browser's own request arrives here as it would
// reach the service: method, path, query and form body. Any other host is
// refused and recorded. Used by signup.mjs.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

function certificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-standin-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=gazette email service stand-in', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

// Starts the stand-in on a free port. `received` lists each request to a
// service host: { host, method, path, query, contentType, fields };
// `refused` each other host a browser tried.
export async function startStandIn(hosts) {
  const { key, cert } = certificate();
  const received = [];
  const refused = [];
  const waiting = [];

  const service = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, `https://${req.headers.host}`);
      const body = Buffer.concat(chunks).toString();
      const type = req.headers['content-type'] ?? '';
      const form = type.startsWith('application/x-www-form-urlencoded') ? body : url.search.slice(1);
      const request = {
        host: url.hostname,
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: type,
        fields: [...new URLSearchParams(form)],
      };
      received.push(request);
      for (const w of waiting.splice(0)) w();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Subscribed</title><p>Thanks: check your inbox.</p>');
    });
  });

  const proxy = http.createServer((req, res) => {
    // A plain-http request through the proxy: never to a service.
    refused.push(req.url);
    res.writeHead(403).end();
  });
  proxy.on('connect', (req, socket, head) => {
    const [host] = req.url.split(':');
    const known = hosts.some((h) => host === h || host.endsWith(`.${h}`));
    if (!known) {
      refused.push(req.url);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n', () => {
      if (head?.length) socket.unshift(head);
      const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
      secure.on('error', () => {});
      service.emit('connection', secure);
    });
    socket.on('error', () => {});
  });

  await new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: proxy.address().port,
    received,
    refused,
    // Resolves once a request has arrived, or after `ms`.
    next(ms) {
      const count = received.length;
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        waiting.push(() => {
          if (received.length > count) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    },
    close: () => new Promise((resolve) => {
      proxy.closeAllConnections?.();
      service.closeAllConnections?.();
      proxy.close(() => resolve());
    }),
  };
}
