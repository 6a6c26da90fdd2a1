// What the browser tests share: where the repository, tre and site-audit's playwright-core
// are, how Debian's Chromium is started on this closed network, and bounded waits.
//
// Environment: TRE_BIN (default target/release/tre), SITE_AUDIT_DIR (where playwright-core
// and axe-core are installed, default ../shared/tools/site-audit), CHROMIUM_PATH (default
// /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TRE = process.env.TRE_BIN || path.join(REPO, 'target/release/tre');
export const AUDIT = process.env.SITE_AUDIT_DIR || path.join(REPO, '../shared/tools/site-audit');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const AXE = path.join(AUDIT, 'node_modules/axe-core/axe.min.js');
// Each wait is bounded; a step that takes longer has failed.
export const WAIT_MS = 10_000;
// Without the background-networking flags Chromium keeps dialling Google on a network
// that refuses it.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/// Exit status 2: the test could not start (no binary, no browser), as opposed to failing.
export function setupError(test, message) {
  console.error(`${test}: setup: ${message}`);
  process.exit(2);
}

/// playwright-core's `chromium`, from site-audit's install, after checking tre and Chromium.
export function chromium(test) {
  if (!fs.existsSync(TRE)) setupError(test, `no tre binary at ${TRE} (cargo build --release)`);
  if (!fs.existsSync(CHROMIUM)) setupError(test, `no Chromium at ${CHROMIUM} (run site-audit's install.sh)`);
  try {
    return createRequire(path.join(AUDIT, 'package.json'))('playwright-core').chromium;
  } catch (e) {
    return setupError(test, `no playwright-core in ${AUDIT}/node_modules (run its install.sh): ${e.message}`);
  }
}
