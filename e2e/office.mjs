// End-to-end scenarios of the back office as officers and supervisors use it (issue 17), in
// headless Debian chromium through playwright-core. Started by `cargo test --test e2e`
// (office_scenarios), which seeds a county — its government, three departments under it, a
// 政务公开办 supervisor over the government — and passes the address:
//
//   node e2e/office.mjs http://127.0.0.1:PORT PASSWORD
//
// Scenarios: an editor saves a draft and reads 已保存为草稿 once; a reviewer reads every field on
// the review page, cannot return an item without a reason, and the author reads the reason on
// the item and in the list; the 政务公开办 user sees every organ of the county on the supervision
// page, exports it, and is refused editing a department's item. Screenshots at 1280 and 375 px
// go to e2e/out/office-*.png.

import { join } from 'node:path';
import { accounts, expect, finish, newPage, out, scenario } from './harness.mjs';

const [base, password] = process.argv.slice(2);
if (!base || !password) {
  console.error('usage: node office.mjs BASE_URL PASSWORD');
  process.exit(2);
}

const { login, logout } = accounts(base, password);

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 1, `${what} fits the screen (${overflow}px wider)`);
}

const title = '关于2025年暑期安全教育工作的通知（办公端到端测试）';
const reason = '文号应为灵教发〔2025〕12号，请核对后重新提交';
let itemUrl = '';

await scenario('an editor saves a draft and reads 已保存为草稿 once', async () => {
  const { ctx, page, csp } = await newPage();
  await login(page, 'ed');
  await page.goto(`${base}/admin/items/new`);
  await page.fill('#title', title);
  await page.selectOption('#category', { index: 1 });
  await page.fill('#written_on', '2025-03-03');
  await page.fill('#doc_number', '灵教发〔2025〕21号');
  await page.fill('#summary', '暑期安全教育安排');
  await page.fill('#body', '各学校：现将暑期安全教育工作通知如下……');
  await Promise.all([page.waitForURL(/\/admin\/items\/\d+$/), page.click('button:has-text("保存")')]);
  itemUrl = page.url();
  expect((await page.textContent('#flash')).includes('已保存为草稿'), 'the flash says 已保存为草稿');
  await page.screenshot({ path: join(out, 'office-flash.png'), fullPage: true });
  await page.reload();
  expect(await page.locator('#flash').count() === 0, 'the flash is shown once');
  await Promise.all([page.waitForURL(itemUrl), page.click('button:has-text("提交审核")')]);
  expect((await page.textContent('#flash')).includes('已提交审核'), 'the flash says 已提交审核');
  expect(csp.length === 0, `no CSP violation: ${csp.join('; ')}`);
  await ctx.close();
});

await scenario('a reviewer reads every field, must give a reason to return, and the author reads it', async () => {
  const { ctx, page } = await newPage();
  await login(page, 'rv');
  await page.goto(`${base}/admin`);
  await Promise.all([page.waitForURL(itemUrl), page.click(`#review-queue a:has-text("${title}")`)]);
  const facts = await page.textContent('#item-facts');
  for (const label of ['主题分类', '文号', '灵教发〔2025〕21号', '成文日期', '2025-03-03', '文件类型', '发布机构', '所属机关', '附件', '正文', '暑期安全教育工作通知如下']) {
    expect(facts.includes(label), `the review page shows ${label}`);
  }
  await page.screenshot({ path: join(out, 'office-review.png'), fullPage: true });
  // The browser's own check is bypassed to reach the server's.
  await page.evaluate(() => document.querySelector('#reason').removeAttribute('required'));
  await page.click('button:has-text("退回修改")');
  await page.locator('#reason-error').waitFor();
  expect((await page.textContent('#reason-error')).includes('请填写退回理由'), 'the reason is asked for beside the box');
  await page.fill('#reason', reason);
  await Promise.all([page.waitForURL(itemUrl), page.click('button:has-text("退回修改")')]);
  expect((await page.textContent('#flash')).includes('已退回修改'), 'the flash says 已退回修改');
  await logout(page);

  await login(page, 'ed');
  await page.goto(itemUrl);
  expect((await page.textContent('#return-reason')).includes(reason), 'the author reads the reason on the item');
  await page.goto(`${base}/admin`);
  await Promise.all([page.waitForURL(/status=draft/), page.click('a:has-text("草稿")')]);
  expect((await page.textContent('#item-list')).includes(reason), 'and in the list of drafts');
  await page.screenshot({ path: join(out, 'office-returned-list.png'), fullPage: true });
  await ctx.close();
  const phone = await newPage(375, 812);
  await login(phone.page, 'ed');
  await phone.page.goto(itemUrl);
  await phone.page.screenshot({ path: join(out, 'office-returned-phone.png'), fullPage: true });
  await noSidewaysScroll(phone.page, 'the returned item on a phone');
  await phone.page.goto(`${base}/admin/items?status=draft`);
  await phone.page.screenshot({ path: join(out, 'office-list-phone.png'), fullPage: true });
  await noSidewaysScroll(phone.page, 'the filtered list on a phone');
  await phone.ctx.close();
});

await scenario('the 政务公开办 sees every organ of the county and cannot edit their items', async () => {
  const { ctx, page, csp } = await newPage();
  await login(page, 'zwgk');
  await Promise.all([page.waitForURL(`${base}/admin/supervision`), page.click('nav a:has-text("监督")')]);
  const table = await page.textContent('#supervision');
  for (const organ of ['灵武市人民政府', '灵武市教育局', '灵武市民政局', '灵武市卫生健康局']) {
    expect(table.includes(organ), `the supervision page lists ${organ}`);
  }
  expect(table.includes('逾期未发布'), 'a report past its deadline is flagged');
  await page.screenshot({ path: join(out, 'office-supervision.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("导出 Excel")')]);
  expect(download.suggestedFilename().endsWith('.xlsx'), `an XLSX download (${download.suggestedFilename()})`);
  // The department's item: readable, no form to edit, and a forged post is refused.
  await page.goto(itemUrl);
  expect((await page.textContent('#item-facts')).includes('灵教发〔2025〕21号'), 'the item is readable');
  expect(await page.locator('button:has-text("保存")').count() === 0, 'no save button');
  expect(await page.locator('#item-actions button').count() === 0, 'no workflow button');
  const status = await page.evaluate(async (url) => {
    const csrf = document.querySelector('input[name=csrf]').value;
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, title: '改', category: '1', written_on: '2025-01-01' }) });
    return r.status;
  }, itemUrl);
  expect(status === 403, `editing is refused (${status})`);
  expect(csp.length === 0, `no CSP violation: ${csp.join('; ')}`);
  await ctx.close();
  const phone = await newPage(375, 812);
  await login(phone.page, 'zwgk');
  await phone.page.goto(`${base}/admin/supervision`);
  await phone.page.screenshot({ path: join(out, 'office-supervision-phone.png'), fullPage: true });
  await noSidewaysScroll(phone.page, 'the supervision page on a phone');
  await phone.ctx.close();
});

await finish();
