#!/usr/bin/env node
// The sample portal's search page in a real browser (Debian's Chromium, driven by the
// playwright-core that ../shared/tools/site-audit installs). It builds the portal with
// target/release/tre for a loopback address, serves the output with Node's HTTP server, and
// checks that:
//   (a) a Vietnamese query typed without accents finds the accented article, first;
//   (b) English and Chinese queries find their own language's articles only;
//   (c) a query nothing matches says so;
//   (d) the results page has zero axe-core WCAG 2.1 A/AA violations;
//   (e) without JavaScript the page still says that search needs it and offers the menu;
//   (f) the unit filter: choosing a unit in the form searches that unit's own index only
//       (?unit=<dir>), in Vietnamese and English, says so in the heading, keeps the choice,
//       and passes axe-core; without JavaScript the form still offers the units.
//
//   node tests/browser/search.mjs    (after `cargo build --release` and site-audit's install.sh)
//
// Environment: see chromium.mjs.
// Exit status: 0 every step passed, 1 a step failed, 2 setup error.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  AXE, CHROMIUM, CHROMIUM_ARGS, REPO, TRE, WAIT_MS, chromium as loadChromium, setupError as setup,
} from './chromium.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg',
  '.webp': 'image/webp', '.png': 'image/png', '.xml': 'application/xml',
};

const setupError = (message) => setup('search', message);
const chromium = loadChromium('search');

/// Serves `dir` on a free loopback port: files, `index.html` for directories, 404 otherwise.
function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) file = dir + '/missing';
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function build(out, base) {
  const r = spawnSync(TRE, ['--root', REPO, 'build', '--base-url', base, '--output-dir', out],
    { encoding: 'utf8' });
  if (r.status !== 0) setupError(`tre build failed:\n${r.stdout}${r.stderr}`);
}

/// The result titles shown for `query` on the search page at `pagePath`.
async function search(page, base, pagePath, query) {
  const sep = pagePath.includes('?') ? '&' : '?';
  await page.goto(`${base}${pagePath}${sep}q=${encodeURIComponent(query)}`, { timeout: WAIT_MS });
  await page.waitForFunction(() => {
    const box = document.getElementById('search-results');
    return box && box.querySelector('h2') && !box.hasAttribute('aria-busy');
  }, null, { timeout: WAIT_MS, polling: 50 });
  return page.evaluate(() => ({
    titles: [...document.querySelectorAll('#search-results li h3 a')].map((a) => a.textContent),
    hrefs: [...document.querySelectorAll('#search-results li h3 a')].map((a) => a.pathname),
    text: document.getElementById('search-results').innerText,
    input: document.getElementById('search-q').value,
    unit: document.getElementById('search-unit')?.value,
    heading: document.querySelector('#search-results h2')?.textContent,
  }));
}

/// Fills the search form at `pagePath` with `query` and the unit `unit`, submits it as a
/// reader would, and returns what `search` returns for the page it lands on.
async function searchInUnit(page, base, pagePath, query, unit) {
  await page.goto(`${base}${pagePath}`, { timeout: WAIT_MS });
  await page.fill('#search-q', query);
  await page.selectOption('#search-unit', unit);
  await Promise.all([page.waitForURL(/[?&]unit=/, { timeout: WAIT_MS }), page.click('.search-form button')]);
  const url = new URL(page.url());
  check(url.searchParams.get('unit') === unit && url.searchParams.get('q') === query,
    'the form did not submit ?q= and ?unit=', url.href);
  return search(page, base, `${url.pathname}?unit=${encodeURIComponent(unit)}`, query);
}

async function axeViolations(page) {
  // Through the DevTools protocol: a <script> tag would be refused by the page's CSP.
  await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
}

function check(ok, what, detail) {
  if (!ok) throw new Error(`${what}\n${JSON.stringify(detail, null, 2)}`);
}

async function steps(browser, base) {
  const page = await browser.newPage();
  const step = async (name, body) => {
    await body();
    console.log(`ok - ${name}`);
  };
  await step('a Vietnamese query without accents finds the accented article first', async () => {
    const r = await search(page, base, '/tim-kiem/', 'thac bac');
    check(r.titles[0] === 'Thác Bạc', 'the first result is not “Thác Bạc”', r);
    check(r.input === 'thac bac', 'the query is not kept in the box', r);
    check(r.hrefs.every((h) => !/^\/(en|zh-Hans|hnj)\//.test(h)), 'results from other languages', r);
  });
  await step('English and Chinese queries find their own language only', async () => {
    const en = await search(page, base, '/en/tim-kiem/', 'green tea');
    check(en.titles.some((t) => t.includes('green tea')), 'no English tea article', en);
    check(en.hrefs.every((h) => h.startsWith('/en/')), 'non-English results', en);
    const zh = await search(page, base, '/zh-Hans/tim-kiem/', '绿茶');
    check(zh.titles.some((t) => t.includes('绿茶')), 'no Chinese tea article', zh);
    check(zh.hrefs.every((h) => h.startsWith('/zh-Hans/')), 'non-Chinese results', zh);
  });
  await step('a query nothing matches says so', async () => {
    const r = await search(page, base, '/en/tim-kiem/', 'zzqx nothing');
    check(r.titles.length === 0 && r.text.includes('No article contains'), 'no “nothing found” text', r);
  });
  await step('the results page has no axe-core WCAG 2.1 A/AA violations', async () => {
    await search(page, base, '/tim-kiem/', 'lễ hội');
    const violations = await axeViolations(page);
    check(violations.length === 0, 'axe-core violations', violations);
  });
  await step('the unit filter searches the chosen unit only, in vi and en', async () => {
    const unit = 'don-vi/so-cong-thuong';
    const all = await search(page, base, '/tim-kiem/', 'hoi cho');
    check(all.hrefs.some((h) => !h.startsWith(`/${unit}/`)), 'the whole portal has no result outside the unit', all);
    check(all.unit === '', 'the unit select is not on “the whole portal”', all);
    const vi = await searchInUnit(page, base, '/tim-kiem/', 'hoi cho', unit);
    check(vi.hrefs.length > 0 && vi.hrefs.every((h) => h.startsWith(`/${unit}/`)), 'results outside the unit', vi);
    check(vi.titles.includes('Hội chợ nông sản và sản phẩm OCOP Sơn Vân 2026'), 'the unit’s fair is not found', vi);
    check(vi.unit === unit, 'the unit choice is not kept', vi);
    check(vi.heading.includes('trong Sở Công Thương tỉnh Sơn Vân'), 'the heading does not name the unit', vi);
    const violations = await axeViolations(page);
    check(violations.length === 0, 'axe-core violations with the unit filter', violations);
    const enAll = await search(page, base, '/en/tim-kiem/', 'fair');
    check(enAll.hrefs.some((h) => !h.startsWith(`/en/${unit}/`)), 'no English result outside the unit', enAll);
    const en = await searchInUnit(page, base, '/en/tim-kiem/', 'fair', unit);
    check(en.hrefs.length > 0 && en.hrefs.every((h) => h.startsWith(`/en/${unit}/`)), 'English results outside the unit', en);
    check(en.heading.includes('in Son Van Department of Industry and Trade'), 'the English heading does not name the unit', en);
    // An unknown unit searches the whole portal.
    const unknown = await search(page, base, '/tim-kiem/?unit=khong-co', 'hoi cho');
    check(unknown.hrefs.length === all.hrefs.length && unknown.unit === '', 'an unknown unit changed the search', unknown);
  });
  await step('without JavaScript the page says search needs it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await context.newPage();
    await noJs.goto(`${base}/en/tim-kiem/?q=tea`, { timeout: WAIT_MS });
    const text = await noJs.evaluate(() => document.body.innerText);
    check(text.includes('Search runs in your browser and needs JavaScript'), 'no notice without JavaScript', text.slice(0, 800));
    await noJs.goto(`${base}/tim-kiem/?q=hoi+cho&unit=don-vi%2Fso-cong-thuong`, { timeout: WAIT_MS });
    const units = await noJs.evaluate(() => [...document.querySelectorAll('#search-unit option')].map((o) => o.textContent));
    const notice = await noJs.evaluate(() => document.body.innerText);
    check(units.includes('Sở Công Thương tỉnh Sơn Vân') && notice.includes('cần JavaScript'),
      'without JavaScript the unit filter page has no units or no notice', { units, notice: notice.slice(0, 800) });
    await context.close();
  });
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tre-search-'));
const server = await serve(out);
const base = `http://127.0.0.1:${server.address().port}`;
let browser;
let failed = false;
try {
  build(out, base);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  await steps(browser, base);
} catch (e) {
  failed = true;
  console.error(`not ok - ${e.message}`);
} finally {
  await browser?.close();
  server.close();
  fs.rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
