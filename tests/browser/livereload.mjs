#!/usr/bin/env node
// The live-reload path of `tre serve` in a real browser (Debian's Chromium, driven by the
// playwright-core that ../shared/tools/site-audit installs):
//   (a) a page body edit reloads the page by itself and shows the new text;
//   (b) a static/ stylesheet edit applies without a reload (a window variable survives);
//   (c) a broken template, then a broken front matter, show the overlay with
//       file:line:col while the last good page stays;
//   (d) fixing each clears the overlay.
// It serves a temporary copy of tests/fixtures/multilingual with target/release/tre on a free
// loopback port and stops that server however it ends.
//
//   node tests/browser/livereload.mjs    (after `cargo build --release` and site-audit's install.sh)
//
// Environment: see chromium.mjs.
// Exit status: 0 every step passed, 1 a step failed, 2 setup error.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CHROMIUM, CHROMIUM_ARGS, REPO, TRE, WAIT_MS, chromium as loadChromium, setupError as setup,
} from './chromium.mjs';

const setupError = (message) => setup('livereload', message);
const ARTICLE = 'content/tin-tuc/lich-su-dinh-lang.md';
const ARTICLE_URL = '/tin-tuc/lich-su-dinh-lang/';

/// A copy of the fixture with a stylesheet linked from every page.
function makeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tre-livereload-'));
  fs.cpSync(path.join(REPO, 'tests/fixtures/multilingual'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'static/css'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'static/css/site.css'), 'body { color: rgb(0, 0, 255); }\n');
  edit(dir, 'templates/base.html', (t) =>
    t.replace('</head>', '<link rel="stylesheet" href="/css/site.css">\n</head>'));
  return dir;
}

/// Saves as editors that write atomically do: a new file renamed over the old one.
function edit(dir, rel, change) {
  const file = path.join(dir, rel);
  const tmp = `${file}.livereload-tmp`;
  fs.writeFileSync(tmp, change(fs.readFileSync(file, 'utf8')));
  fs.renameSync(tmp, file);
}

/// Starts `tre serve --port 0` and resolves with its URL once it prints it.
function startServer(dir) {
  const child = spawn(TRE, ['--root', dir, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tre serve did not start in 60 s:\n${log.join('')}`)), 60_000);
    child.stdout.on('data', (d) => {
      log.push(d.toString());
      const m = /Serving at (http:\/\/\S+\/)/.exec(log.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    child.stderr.on('data', (d) => log.push(d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tre serve exited with ${code}:\n${log.join('')}`));
    });
  });
  return { child, url, log };
}

/// Waits for `fn` to be true in the page, or fails with `what`.
async function waitIn(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 50 });
  } catch {
    const body = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${what} within ${WAIT_MS / 1000} s; the page shows:\n${body.slice(0, 2000)}`);
  }
}

/// Marks this document, so a reload (a new document) can be told from an in-place change.
const mark = (page) => page.evaluate(() => { window.__treMark = 'kept'; });
const isMarked = (page) => page.evaluate(() => window.__treMark === 'kept');
const overlayText = (page) =>
  page.evaluate(() => document.getElementById('__tre_overlay')?.innerText ?? null);

async function steps(page, dir, base) {
  const results = [];
  const step = async (name, body) => {
    await body();
    results.push(name);
    console.log(`ok - ${name}`);
  };
  await page.goto(base + ARTICLE_URL, { timeout: WAIT_MS });
  await waitIn(page, 'the live-reload socket never opened',
    () => performance.getEntriesByType('resource').some((r) => r.name.includes('livereload.js')));
  // The socket connects after the script runs; a moment lets it subscribe before the first edit.
  await page.waitForTimeout(300);

  await step('(a) a body edit reloads the page with the new text', async () => {
    await mark(page);
    edit(dir, ARTICLE, (t) => `${t}\nĐoạn văn mới từ trình duyệt.\n`);
    await waitIn(page, 'the new paragraph never showed',
      () => document.body.innerText.includes('Đoạn văn mới từ trình duyệt.'));
    if (await isMarked(page)) throw new Error('the text changed but the page did not reload');
    await page.waitForTimeout(300);
  });

  await step('(b) a stylesheet edit applies without a reload', async () => {
    await mark(page);
    const color = () => page.evaluate(() => getComputedStyle(document.body).color);
    if ((await color()) !== 'rgb(0, 0, 255)') throw new Error(`the stylesheet did not apply: ${await color()}`);
    edit(dir, 'static/css/site.css', () => 'body { color: rgb(0, 128, 0); }\n');
    await waitIn(page, 'the new color never applied',
      () => getComputedStyle(document.body).color === 'rgb(0, 128, 0)');
    if (!(await isMarked(page))) throw new Error('the page reloaded for a stylesheet edit');
  });

  const broken = [
    ['template', 'templates/page.html', (t) => t.replace('{% block content %}', '{% block content %}{% if %}'),
      /templates\/page\.html:\d+:\d+: error/],
    ['front matter', ARTICLE, (t) => t.replace('date = 2025-03-01', 'date = hôm qua'),
      /content\/tin-tuc\/lich-su-dinh-lang\.md:\d+:\d+: error/],
  ];
  for (const [what, rel, breakIt, where] of broken) {
    const good = fs.readFileSync(path.join(dir, rel), 'utf8');
    await step(`(c) a broken ${what} shows the overlay with file:line:col over the last good page`, async () => {
      await mark(page);
      edit(dir, rel, breakIt);
      await waitIn(page, `no overlay for the broken ${what}`,
        () => document.getElementById('__tre_overlay') !== null);
      const text = await overlayText(page);
      if (!where.test(text)) throw new Error(`the overlay does not point at the ${what} (${where}):\n${text}`);
      const body = await page.evaluate(() => document.querySelector('main')?.innerText ?? '');
      if (!body.includes('Đoạn văn mới từ trình duyệt.')) throw new Error(`the last good page is gone:\n${body}`);
      if (!(await isMarked(page))) throw new Error('the page reloaded instead of showing the overlay');
    });
    await step(`(d) fixing the ${what} clears the overlay`, async () => {
      edit(dir, rel, () => good);
      await waitIn(page, `the overlay stayed after the ${what} was fixed`,
        () => document.getElementById('__tre_overlay') === null
          && document.body.innerText.includes('Đoạn văn mới từ trình duyệt.'));
      await page.waitForTimeout(300);
    });
  }
  return results;
}

async function main() {
  const chromium = loadChromium('livereload');
  const dir = makeSite();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tre-livereload-profile-'));
  const server = startServer(dir);
  const stop = () => { if (server.child.exitCode === null) server.child.kill('SIGTERM'); };
  process.on('exit', stop);
  let context;
  let passed = [];
  let failure = null;
  try {
    const base = await server.url;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? await context.newPage();
    passed = await steps(page, dir, base);
  } catch (e) {
    failure = e;
  } finally {
    await context?.close().catch(() => {});
    stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failure) {
    console.error(`not ok - ${failure.message}`);
    console.error(`server log:\n${server.log.join('').slice(-4000)}`);
  }
  console.log(`livereload: ${passed.length} passed, ${failure ? 1 : 0} failed`);
  process.exit(failure ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
