#!/usr/bin/env node
// The portal behind a real nginx (Debian's package, with libnginx-mod-http-brotli-static),
// configured only by the nginx.conf that `tre build` wrote from [hosting]. It builds the
// portal with target/release/tre for a loopback address and a stand-in monitoring (EMC)
// script served by a second nginx server on another port, then checks that:
//   (a) pages, stylesheets and processed images carry the security headers and the cache
//       lifetime of their kind, and the CSP header is the one in nginx.conf;
//   (b) Accept-Encoding br and gzip get the .br and .gz files tre wrote, byte for byte;
//   (c) a missing page gets status 404 and its language's 404 page; the configs are hidden;
//   (d) in Chromium, one page of each kind in each language (home, section, articles,
//       taxonomy list and term, search, 404) has zero CSP violations, runs the monitoring
//       script (its integrity matched), and requests nothing outside its own origin but the
//       monitoring script's.
//
//   node tests/browser/hosting.mjs    (after `cargo build --release`, site-audit's install.sh
//                                      and `apt-get install nginx-light libnginx-mod-http-brotli-static`)
//
// Environment: see chromium.mjs; NGINX (default /usr/sbin/nginx).
// Exit status: 0 every step passed, 1 a step failed, 2 setup error.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CHROMIUM, CHROMIUM_ARGS, REPO, TRE, WAIT_MS, chromium as loadChromium, setupError as setup,
} from './chromium.mjs';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
const setupError = (message) => setup('hosting', message);
const chromium = loadChromium('hosting');
if (!fs.existsSync(NGINX)) setupError(`no nginx at ${NGINX} (apt-get install nginx-light)`);
if (!fs.existsSync(BROTLI_MODULE)) setupError(`no ${BROTLI_MODULE} (apt-get install libnginx-mod-http-brotli-static)`);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function check(ok, what, detail) {
  if (!ok) throw new Error(`${what}${detail === undefined ? '' : `\n${JSON.stringify(detail, null, 2)}`}`);
}

/// One GET with exactly the headers given (no automatic decompression): status, headers, body.
function get(base, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${urlPath}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`GET ${urlPath}: timed out`)));
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tre-hosting-'));
const pub = path.join(work, 'public');
const [port, emcPort] = [await freePort(), await freePort()];
const base = `http://127.0.0.1:${port}`;
const emcOrigin = `http://127.0.0.1:${emcPort}`;

// The stand-in monitoring script and its Subresource Integrity hash.
fs.mkdirSync(path.join(work, 'emc'));
const emcJs = 'window.__emcLoaded = (window.__emcLoaded || 0) + 1;\n';
fs.writeFileSync(path.join(work, 'emc/emc.js'), emcJs);
const integrity = `sha384-${crypto.createHash('sha384').update(emcJs).digest('base64')}`;

// The portal's config with the monitoring slot filled in.
const config = fs.readFileSync(path.join(REPO, 'config.toml'), 'utf8').replace(
  /^\[hosting\]\n/m,
  `[hosting]\nmonitoring = { src = "${emcOrigin}/emc.js", integrity = "${integrity}" }\n`);
check(config.includes('monitoring = {'), 'config.toml has no [hosting] table');
fs.writeFileSync(path.join(work, 'config.toml'), config);
const built = spawnSync(TRE, ['--root', REPO, 'build', '--config', path.join(work, 'config.toml'),
  '--base-url', base, '--output-dir', pub], { encoding: 'utf8' });
if (built.status !== 0) setupError(`tre build failed:\n${built.stdout}${built.stderr}`);

fs.writeFileSync(path.join(work, 'nginx-main.conf'), `
load_module ${BROTLI_MODULE};
user root;
daemon off;
worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  log_not_found off;
  client_body_temp_path ${work}/tmp-body;
  proxy_temp_path ${work}/tmp-proxy;
  fastcgi_temp_path ${work}/tmp-fastcgi;
  uwsgi_temp_path ${work}/tmp-uwsgi;
  scgi_temp_path ${work}/tmp-scgi;
  server {
    listen 127.0.0.1:${port};
    root ${pub};
    include ${pub}/nginx.conf;
  }
  server {
    listen 127.0.0.1:${emcPort};
    root ${work}/emc;
    add_header Access-Control-Allow-Origin "*" always;
  }
}
`);
const tested = spawnSync(NGINX, ['-t', '-c', path.join(work, 'nginx-main.conf'), '-p', work], { encoding: 'utf8' });
check(tested.status === 0, `nginx -t rejects the generated nginx.conf:\n${tested.stderr}`);
const nginx = spawn(NGINX, ['-c', path.join(work, 'nginx-main.conf'), '-p', work], { stdio: ['ignore', 'inherit', 'inherit'] });

async function waitForServer() {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    try { return await get(base, '/'); } catch (e) {
      if (Date.now() > until) throw new Error(`nginx did not answer on ${base}: ${e.message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function headerChecks() {
  const conf = fs.readFileSync(path.join(pub, 'nginx.conf'), 'utf8');
  const csp = conf.match(/add_header Content-Security-Policy "([^"]*)"/)[1];
  return { csp };
}

async function serverSteps() {
  const { csp } = headerChecks();
  check(new RegExp(`script-src 'self' ${base} ${emcOrigin};`).test(csp) && csp.includes("frame-ancestors 'none'"),
    'the generated CSP does not allow the monitoring origin or misses frame-ancestors', csp);
  const image = fs.readdirSync(path.join(pub, 'processed_images')).find((f) => !/\.(br|gz)$/.test(f));
  const kinds = [
    ['/', 'public, max-age=300'], ['/en/tin-tuc/', 'public, max-age=300'],
    ['/style.css', 'public, max-age=86400'], [`/processed_images/${image}`, 'public, max-age=31536000, immutable'],
  ];
  for (const [url, cache] of kinds) {
    const r = await get(base, url);
    check(r.status === 200, `${url}: status ${r.status}`);
    const h = r.headers;
    check(h['content-security-policy'] === csp, `${url}: CSP header differs from nginx.conf`, h['content-security-policy']);
    check(h['strict-transport-security'] === 'max-age=31536000', `${url}: HSTS`, h);
    check(h['x-content-type-options'] === 'nosniff', `${url}: nosniff`, h);
    check(h['referrer-policy'] === 'strict-origin-when-cross-origin', `${url}: Referrer-Policy`, h);
    check(/camera=\(\)/.test(h['permissions-policy'] || ''), `${url}: Permissions-Policy`, h);
    check(h['x-frame-options'] === 'DENY', `${url}: X-Frame-Options`, h);
    check(h['cache-control'] === cache, `${url}: Cache-Control ${h['cache-control']}, wanted ${cache}`);
    check(!/nginx\//.test(h.server || ''), `${url}: the Server header names the nginx version`, h.server);
  }
  console.log(`ok   headers and cache lifetimes on ${kinds.length} kinds of file`);

  for (const [url, file] of [['/', 'index.html'], ['/en/van-hoa/tho-cam/', 'en/van-hoa/tho-cam/index.html'], ['/style.css', 'style.css']]) {
    for (const [enc, ext] of [['br', 'br'], ['gzip', 'gz']]) {
      const r = await get(base, url, { 'accept-encoding': enc });
      check(r.status === 200 && r.headers['content-encoding'] === enc, `${url}: Accept-Encoding ${enc} got ${r.headers['content-encoding']}`);
      check(r.body.equals(fs.readFileSync(path.join(pub, `${file}.${ext}`))), `${url}: the ${enc} body is not ${file}.${ext}`);
      check(/Accept-Encoding/i.test(r.headers.vary || ''), `${url}: no Vary: Accept-Encoding`, r.headers);
    }
    const plain = await get(base, url);
    check(!plain.headers['content-encoding'] && plain.body.equals(fs.readFileSync(path.join(pub, file))), `${url}: without Accept-Encoding the body is not ${file}`);
  }
  console.log('ok   br and gzip answered from the precompressed files');

  for (const [url, file] of [['/khong-co/', '404.html'], ['/en/missing/', 'en/404.html'], ['/zh-Hans/missing.html', 'zh-Hans/404.html'], ['/hnj/tin-tuc/x/', 'hnj/404.html']]) {
    const r = await get(base, url);
    check(r.status === 404, `${url}: status ${r.status}`);
    check(r.body.equals(fs.readFileSync(path.join(pub, file))), `${url}: the body is not ${file}`);
    check(r.headers['content-security-policy'] === csp, `${url}: the 404 has no CSP header`);
  }
  for (const url of ['/nginx.conf', '/.htaccess', '/web.config', '/_headers']) {
    check((await get(base, url)).status === 404, `${url} is served`);
  }
  console.log('ok   404 per language; the server configurations are not served');
}

/// One page of each kind in each language.
function pagesToVisit() {
  const urls = [];
  for (const prefix of ['', 'en/', 'zh-Hans/', 'hnj/']) {
    const has = (p) => fs.existsSync(path.join(pub, prefix, p, 'index.html'));
    urls.push(`/${prefix}`, `/${prefix}du-lich/`, `/${prefix}tin-tuc/`, `/${prefix}tim-kiem/`, `/${prefix}khong-co-trang-nay/`);
    for (const p of ['van-hoa/tho-cam', 'du-lich/thac-bac', 'dau-tu/du-an-khu-cong-nghiep-bac-van']) if (has(p)) urls.push(`/${prefix}${p}/`);
    const tagsDir = path.join(pub, prefix, 'tags');
    if (fs.existsSync(tagsDir)) {
      const term = fs.readdirSync(tagsDir).find((d) => fs.statSync(path.join(tagsDir, d)).isDirectory());
      urls.push(`/${prefix}tags/`, `/${prefix}tags/${term}/`);
    }
  }
  return urls;
}

async function browserSteps() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = await context.newPage();
    const problems = [];
    let current = '';
    page.on('console', (m) => {
      if (/Content Security Policy|Content-Security-Policy|integrity/i.test(m.text())) problems.push(`${current}: console: ${m.text()}`);
    });
    page.on('request', (r) => {
      const origin = new URL(r.url()).origin;
      if (origin !== base && origin !== emcOrigin && !r.url().startsWith('data:')) problems.push(`${current}: outside request ${r.url()}`);
    });
    const urls = pagesToVisit();
    for (const url of urls) {
      current = url;
      await page.goto(`${base}${url}`, { timeout: WAIT_MS, waitUntil: 'load' });
      await page.waitForFunction(() => window.__emcLoaded === 1, null, { timeout: WAIT_MS })
        .catch(() => problems.push(`${url}: the monitoring script did not run`));
      const v = await page.evaluate(() => window.__cspViolations);
      for (const x of v) problems.push(`${url}: violation: ${x}`);
      const meta = await page.evaluate(() => !!document.querySelector('head > meta[http-equiv="Content-Security-Policy"]'));
      if (!meta) problems.push(`${url}: no CSP <meta>`);
    }
    // The search page fetches its index: connect-src 'self' must allow it.
    current = '/en/tim-kiem/?q=festival';
    await page.goto(`${base}/en/tim-kiem/?q=festival`, { timeout: WAIT_MS });
    await page.waitForFunction(() => document.querySelector('#search-results h2'), null, { timeout: WAIT_MS })
      .catch(() => problems.push(`${current}: the search results never appeared`));
    for (const x of await page.evaluate(() => window.__cspViolations)) problems.push(`${current}: violation: ${x}`);
    check(problems.length === 0, `${problems.length} problem(s) in Chromium`, problems);
    // Control: an inline script the build never saw is refused (by the header and the <meta>,
    // one report each), so the count above means
    // something.
    const refused = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true;';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 200));
      return { ran: window.__injected === true, violations: window.__cspViolations.length };
    });
    check(!refused.ran && refused.violations >= 1,  'an injected inline script was not refused', refused);
    console.log(`ok   ${urls.length + 1} pages in Chromium: 0 CSP violations, the monitoring script ran on each, no other outside request`);
  } finally {
    await browser.close();
  }
}

let failed = false;
try {
  await waitForServer();
  await serverSteps();
  await browserSteps();
} catch (e) {
  failed = true;
  console.error(`FAIL ${e.message}`);
  const log = path.join(work, 'error.log');
  if (fs.existsSync(log)) console.error(fs.readFileSync(log, 'utf8').slice(-2000));
} finally {
  nginx.kill('SIGTERM');
  await new Promise((r) => nginx.once('exit', r));
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
