// Browser scenarios of issue 36 (a portal that passes the national inspection of government
// sites), in headless Debian chromium through playwright-core. Started by `cargo test --test e2e`
// (inspection_scenarios), which seeds an organ with one published normative document filed under
// 政策文件 and a system administrator, and passes the address:
//
//   node e2e/inspect.mjs http://127.0.0.1:PORT ORGAN_ID PASSWORD
//
// Scenarios: the 法定主动公开内容 tile of the organ page lists content at 1280 and 375 px; the
// footer shows the identity fields set in 管理后台 › 网站设置 (and the home page's title is the
// site's name); the 长者模式 switch enlarges body text by at least 1.5× (computed style) and
// survives navigation, with JavaScript and without; the 无障碍 page passes axe-core in 长者模式.
// Screenshots go to e2e/out/inspect-*.png.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { accounts, expect, finish, newPage, out, scenario } from './harness.mjs';

const [base, organ, password] = process.argv.slice(2);
if (!base || !organ || !password) {
  console.error('usage: node inspect.mjs BASE_URL ORGAN_ID PASSWORD');
  process.exit(2);
}
const { login } = accounts(base, password);
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = overflow <= 1 ? [] : await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}: ${e.textContent.slice(0, 30)}`));
  expect(overflow <= 1, `${what} fits the screen (${overflow}px wider: ${wide.join(' | ')})`);
}

for (const width of [1280, 375]) {
  await scenario(`the 法定主动公开内容 tile lists content at ${width} px`, async () => {
    const { ctx, page, csp } = await newPage(width, 900);
    await page.goto(`${base}/o/${organ}`);
    const tiles = await page.locator('#four-columns a').allTextContents();
    for (const name of ['政府信息公开指南', '政府信息公开制度', '法定主动公开内容', '政府信息公开年报']) {
      expect(tiles.some((t) => t.includes(name)), `the four first-level columns include ${name}: ${tiles}`);
    }
    expect(await page.locator('#col-statutory').isVisible(), 'the tile is visible');
    await Promise.all([page.waitForURL(/catalogue\?category=\d+/), page.click('#col-statutory')]);
    const rows = page.locator('table.list tbody tr');
    expect(await rows.count() > 0, 'the column lists items');
    const first = rows.first();
    expect(await first.isVisible(), 'the first item is visible');
    expect((await first.textContent()).includes('行政规范性文件管理办法'), 'the normative document is listed');
    await noSidewaysScroll(page, `法定主动公开内容 at ${width}px`);
    await page.screenshot({ path: join(out, `inspect-statutory-${width}.png`), fullPage: true });
    expect(csp.length === 0, `no CSP violation: ${csp.join('; ')}`);
    await ctx.close();
  });
}

await scenario('the footer shows the identity fields set in the back office', async () => {
  const { ctx, page } = await newPage();
  await login(page, 'sys');
  await page.goto(`${base}/admin/site`);
  await page.fill('#site_name', '灵武市教育局政府信息公开');
  await page.fill('#sponsor', '灵武市教育局');
  await page.fill('#site_code', '6401810001');
  await page.fill('#icp', '宁ICP备05001234号');
  await page.fill('#police_record', '宁公网安备 64018102000123号');
  await page.fill('#contact', '地址：宁夏灵武市朔方路1号\n电话：0951-4000000');
  await page.fill('#privacy', '本网站不收集访问者的个人信息。');
  await page.fill('#copyright', '本网站所载内容版权归灵武市教育局所有。');
  await Promise.all([page.waitForURL(`${base}/admin/site`), page.click('#site-form button[type=submit]')]);
  expect((await page.textContent('#flash')).includes('网站设置已保存'), 'saved');
  // The badge: a 1×1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('#badge-file', { name: 'conac.png', mimeType: 'image/png', buffer: png });
  await Promise.all([page.waitForURL(`${base}/admin/site`), page.click('button:has-text("上传")')]);
  await ctx.close();

  for (const width of [1280, 375]) {
    const { ctx: c2, page: p } = await newPage(width, 900);
    await p.goto(`${base}/`);
    expect(await p.title() === '灵武市教育局政府信息公开', `the home page's title is the site name: ${await p.title()}`);
    const footer = p.locator('#site-footer');
    const text = await footer.textContent();
    for (const s of ['主办单位：灵武市教育局', '网站标识码：6401810001', '宁ICP备05001234号', '宁公网安备 64018102000123号']) {
      expect(text.includes(s), `the footer shows ${s}`);
    }
    expect(await p.getAttribute('#site-icp', 'href') === 'https://beian.miit.gov.cn/', 'ICP links to beian.miit.gov.cn');
    expect((await p.getAttribute('#site-police', 'href')).includes('64018102000123'), '公安备案 linked by its number');
    const badgeOk = await p.evaluate(() => { const i = document.querySelector('#site-badge'); return i && i.complete && i.naturalWidth > 0; });
    expect(badgeOk, 'the 党政机关网站标识 image loads');
    await footer.scrollIntoViewIfNeeded();
    await noSidewaysScroll(p, `the footer at ${width}px`);
    await p.screenshot({ path: join(out, `inspect-footer-${width}.png`), fullPage: true });
    await Promise.all([p.waitForURL(`${base}/contact`), p.click('#site-footer a:has-text("联系我们")')]);
    expect((await p.textContent('main')).includes('电话：0951-4000000'), '联系我们 shows the contact');
    await c2.close();
  }
});

async function bodySize(page) {
  return page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p, main li, main td') || document.body).fontSize));
}

for (const js of [true, false]) {
  await scenario(`the 长者模式 switch enlarges body text ≥ 1.5× and survives navigation (${js ? 'with' : 'without'} JavaScript)`, async () => {
    const { ctx, page } = await newPage(1280, 900, false, js);
    await page.goto(`${base}/o/${organ}/guide`);
    const size = (sel) => page.$eval(sel, (e) => parseFloat(getComputedStyle(e).fontSize));
    const before = await size('main p');
    await Promise.all([page.waitForURL(`${base}/o/${organ}/guide`), page.click('#elder-switch')]);
    const after = await size('main p');
    expect(after / before >= 1.5, `body text ${before}px → ${after}px (${(after / before).toFixed(2)}×)`);
    expect((await page.textContent('#elder-switch')).includes('退出长者模式'), 'the switch says how to leave');
    if (js) await page.screenshot({ path: join(out, 'inspect-elder-1280.png'), fullPage: false });
    // Another page, reached by a link: still large.
    await Promise.all([page.waitForURL(`${base}/o/${organ}`), page.click('nav.crumbs a[href="/o/' + organ + '"]')]);
    const there = await size('main h2 + ul a, main p, main li');
    const cls = await page.getAttribute('html', 'class');
    expect(cls === 'elder', 'the next page is in 长者模式');
    expect(there >= 24, `text on the next page is large (${there}px)`);
    // Off again.
    await page.click('#elder-switch');
    await page.waitForLoadState();
    expect(await page.getAttribute('html', 'class') === null, '长者模式 off');
    expect(await size('main p, main li') < 20, 'normal text again');
    await ctx.close();
  });
}

await scenario('the 无障碍 page in 长者模式 passes axe-core and has landmarks and skip links', async () => {
  const { ctx, page } = await newPage(375, 800, true);
  await page.goto(`${base}/accessibility`);
  await page.click('#elder-switch');
  await page.waitForLoadState();
  expect(await page.getAttribute('html', 'class') === 'elder', '长者模式 on');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
  const bad = result.violations.map((v) => `${v.id}: ${v.nodes.length}`);
  expect(bad.length === 0, `no axe violation: ${bad.join('; ')}`);
  expect(await page.locator('a.skip').count() >= 2, 'skip links');
  expect(await page.locator('header, nav, main, footer').count() >= 4, 'landmarks');
  await noSidewaysScroll(page, '长者模式 at 375px');
  await page.screenshot({ path: join(out, 'inspect-elder-375.png'), fullPage: true });
  await ctx.close();
});

await finish();
