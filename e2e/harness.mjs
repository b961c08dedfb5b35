// What both browser suites (run.mjs, office.mjs) share: the installed chromium, scenarios and
// their report, pages that remember themselves for a failure's report, logging in and out, and
// e2e/out/ for screenshots.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const out = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

let failures = 0;
const results = [];
let lastPage = null;

// Runs one scenario; it may return a reason to be reported as skipped. A failure is reported
// with the address and text of the last page opened.
export async function scenario(name, fn) {
  const started = Date.now();
  lastPage = null;
  try {
    const skipped = await fn();
    results.push(skipped ? `skip ${name}: ${skipped}` : `ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures++;
    let where = '';
    if (lastPage) {
      try {
        where = `\n  at ${lastPage.url()}: ${(await lastPage.textContent('main', { timeout: 1000 })).replace(/\s+/g, ' ').slice(0, 600)}`;
      } catch { /* the page is gone */ }
    }
    results.push(`FAIL ${name}: ${e && e.stack || e}${where}`);
  }
}

export function expect(cond, what) {
  if (!cond) throw new Error(`expected: ${what}`);
}

// A page in a context of its own; `csp` collects the Content-Security-Policy violations the
// console reports. axe-core is injected as an inline script, which the portal's CSP rightly
// forbids: only the accessibility check's context bypasses it (`bypassCSP`).
export async function newPage(width = 1280, height = 900, bypassCSP = false, javaScriptEnabled = true) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', bypassCSP, javaScriptEnabled });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  lastPage = page;
  const csp = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) csp.push(msg.text().slice(0, 200));
  });
  return { ctx, page, csp };
}

// Logging in and out of the server at `base`, every account with `password`.
export function accounts(base, password) {
  return {
    async login(page, user) {
      await page.goto(`${base}/login`);
      await page.fill('#username', user);
      await page.fill('#password', password);
      await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]:has-text("登录")')]);
    },
    async logout(page) {
      await Promise.all([page.waitForURL(`${base}/`), page.click('button:has-text("退出登录")')]);
    },
  };
}

// Closes the browser, prints the report and exits: 1 when a scenario failed.
export async function finish() {
  await browser.close();
  console.log(results.join('\n'));
  process.exit(failures ? 1 : 0);
}
