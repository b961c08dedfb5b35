// End-to-end tests of the gongkai portal in headless Debian chromium (playwright-core drives the
// installed browser; nothing is downloaded). Started by `cargo test -p gongkai-web --test e2e`,
// which seeds a database, serves the app and passes its address:
//
//   node e2e/run.mjs http://127.0.0.1:PORT ORGAN_ID PASSWORD
//
// Scenarios: an editor drafts an item with a PDF attachment and a reviewer publishes it, and it
// shows in the catalogue and search finds it by a word of the PDF's text;
// the office generates, edits, previews and publishes the annual report, and it shows in the
// archive; a member of the public writes a letter and looks it up by its code; a member of the
// public applies online (both mistakes shown at once beside their fields; reloads and
// resubmissions make exactly one case), and after the office's reply reads the outcome in plain
// words with the remedies and downloads the 答复书; the report page, the back-office preview and
// the HTML download have bordered table cells, no sideways page scroll and no CSP violation at
// 1280 and 375 px. A crawler visits every public page: no CSP violation at either width, no
// counting note of the report outside its tables. axe-core runs on every public page (no serious
// or critical violations), and screenshots are written to e2e/out/.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { accounts, expect, finish, newPage, out, scenario } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [base, organId, password] = process.argv.slice(2);
if (!base || !organId || !password) {
  console.error('usage: node run.mjs BASE_URL ORGAN_ID PASSWORD');
  process.exit(2);
}

const { login, logout } = accounts(base, password);

// Opens the folded form of a case-file step, as an officer clicks its title.
async function openStep(page, action) {
  const step = page.locator(`#form-${action}`);
  if ((await step.getAttribute('open')) === null) await step.locator('summary').click();
}

const itemTitle = '关于2025年春季学期学生资助工作的通知（端到端测试）';
// Words that are only inside the item's PDF attachment (not in its title, summary or body).
const attachmentWords = '寄宿生生活补助';

// A one-page PDF whose text is `text`: a Type0 font (Identity-H) with a ToUnicode map, as
// office software writes Chinese, so pdftotext reads it back as the index does.
function pdfWithText(text) {
  const chars = [...text];
  const hex = (n) => n.toString(16).toUpperCase().padStart(4, '0');
  const content = `BT /F1 24 Tf 72 700 Td <${chars.map((_, i) => hex(i + 1)).join('')}> Tj ET`;
  const bf = chars.map((c, i) => `<${hex(i + 1)}> <${hex(c.codePointAt(0))}>`).join('\n');
  const cmap = '/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def ' +
    `/CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange ${chars.length} beginbfchar\n${bf}\nendbfchar endcmap ` +
    'CMapName currentdict /CMap defineresource pop end end';
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R >>',
    `<< /Length ${Buffer.byteLength(cmap)} >>\nstream\n${cmap}\nendstream`,
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => { offsets.push(Buffer.byteLength(pdf)); pdf += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'utf8');
}

await scenario('editor drafts, reviewer publishes, the item shows in the catalogue', async () => {
  const { ctx, page } = await newPage();
  await login(page, 'editor');
  await page.goto(`${base}/admin/items/new?organ=${organId}`);
  await page.fill('#title', itemTitle);
  await page.selectOption('#category', { index: 1 });
  await page.fill('#written_on', '2025-03-03');
  await page.fill('#doc_number', '灵教发〔2025〕9号');
  await page.fill('#summary', '学生资助申请与审核安排');
  await page.fill('#body', '各学校：现将春季学期学生资助工作安排通知如下……');
  await Promise.all([page.waitForURL(/\/admin\/items\/\d+$/), page.click('button:has-text("保存")')]);
  const itemUrl = page.url();
  expect((await page.textContent('body')).includes('草稿'), 'the new item is a draft');
  // A PDF attachment whose words are found by search once the item is published.
  const pdf = pdfWithText(`附件：2025年春季学期${attachmentWords}发放明细`);
  expect(execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString().includes(attachmentWords), 'the attachment PDF carries its text');
  await page.setInputFiles('#file', { name: '发放明细.pdf', mimeType: 'application/pdf', buffer: pdf });
  await Promise.all([page.waitForURL(itemUrl), page.click('button:has-text("上传")')]);
  expect((await page.textContent('body')).includes('发放明细.pdf'), 'the attachment is listed on the item');
  await Promise.all([page.waitForURL(itemUrl), page.click('button:has-text("提交审核")')]);
  expect((await page.textContent('body')).includes('待审核'), 'submitted for review');
  // The editor is not offered publication.
  expect(await page.locator('button:has-text("审核通过并发布")').count() === 0, 'no publish button for the editor');
  await logout(page);

  await login(page, 'reviewer');
  await page.goto(itemUrl);
  await Promise.all([page.waitForURL(itemUrl), page.click('button:has-text("审核通过并发布")')]);
  expect((await page.textContent('body')).includes('已发布'), 'published');
  await logout(page);

  await page.goto(`${base}/o/${organId}/catalogue`);
  await page.click(`a:has-text("${itemTitle}")`);
  const text = await page.textContent('main');
  for (const label of ['索引号', '发布机构', '成文日期', '发布日期', '文号', '有效性', '灵教发〔2025〕9号']) {
    expect(text.includes(label), `item page shows ${label}`);
  }
  // And search finds it.
  await page.goto(`${base}/search`);
  await page.fill('#q', '学生资助');
  await page.click('button:has-text("搜索")');
  expect(await page.locator(`ol.hits a[href="${new URL(itemUrl).pathname.replace('/admin', '')}"]`).count() === 1, 'search finds the published item');
  // And by a word of its PDF attachment's text alone.
  await page.goto(`${base}/search`);
  await page.fill('#q', attachmentWords);
  await page.click('button:has-text("搜索")');
  expect(await page.locator(`ol.hits a[href="${new URL(itemUrl).pathname.replace('/admin', '')}"]`).count() === 1, `search finds the item by a word inside its PDF attachment: ${(await page.textContent('main')).replace(/\s+/g, ' ').slice(0, 300)}`);
  await page.screenshot({ path: join(out, 'search-attachment-text.png'), fullPage: true });
  await ctx.close();
});

await scenario('the office generates, previews and publishes the annual report; it shows in the archive', async () => {
  const { ctx, page } = await newPage();
  await login(page, 'oadmin');
  await page.goto(`${base}/admin/reports?organ=${organId}`);
  await page.fill('#year', '2024');
  await Promise.all([page.waitForURL(/\/admin\/reports\/\d+\/2024$/), page.click('button:has-text("从记录生成报告")')]);
  await page.fill('#s1', '2024年，本局认真贯彻落实《中华人民共和国政府信息公开条例》（端到端测试）。');
  await page.fill('#s5', '');
  await Promise.all([page.waitForURL(/\/admin\/reports\/\d+\/2024$/), page.click('button:has-text("保存正文")')]);
  const editUrl = page.url();
  await page.goto(`${editUrl}/preview`);
  expect((await page.textContent('body')).includes('（端到端测试）'), 'preview shows the edited text');
  await page.goto(editUrl);
  // Section 五 is empty: publishing without the confirmation is refused on the form.
  expect((await page.textContent('#publish-blockers')).includes('尚未填写'), 'the problems are listed before publishing');
  await page.click('button:has-text("发布报告")');
  await page.locator('#publish-error').waitFor();
  await page.screenshot({ path: join(out, 'admin-report-confirm.png'), fullPage: true });
  await page.check('#confirm');
  await page.fill('#confirmation', '第五部分经研究确无内容（端到端测试）');
  await Promise.all([page.waitForURL(/\/reports\/\d+$/), page.click('button:has-text("发布报告")')]);
  expect((await page.textContent('main')).includes('第1版'), 'published as version 1');
  await page.goto(`${base}/admin/audit?action=publish`);
  expect((await page.textContent('main')).includes('第五部分经研究确无内容'), 'the confirmation is kept in the audit log');
  await page.screenshot({ path: join(out, 'admin-audit.png'), fullPage: true });
  await logout(page);
  await page.goto(`${base}/o/${organId}/reports`);
  await page.click('a:has-text("2024年度报告")');
  expect((await page.textContent('main')).includes('（端到端测试）'), 'the archive links the published report');
  await ctx.close();
});

await scenario('a member of the public writes a letter and looks it up by code', async () => {
  const { ctx, page } = await newPage();
  await page.goto(`${base}/o/${organId}/letters`);
  // Sent empty with a malformed contact: every error at once, beside its field.
  await page.fill('#contact', 'abc');
  await page.click('button:has-text("提交")');
  expect(await page.locator('.field-error').count() >= 5, 'all the letter form\'s errors at once');
  expect((await page.textContent('#contact-error')).includes('格式不正确'), 'the contact is checked');
  await page.fill('#name', '李四');
  await page.fill('#contact', '13900002222');
  await page.fill('#subject', '关于课后服务时间的建议');
  await page.fill('#body', '建议课后服务延长至18点。');
  await page.check('#publish-yes');
  await page.click('button:has-text("提交")');
  const code = (await page.textContent('#query-code')).trim();
  expect(/^[0-9A-Z]{12}$/.test(code), `query code ${code}`);
  expect(page.url().includes('/letters/receipt?code='), 'the receipt is a page of its own');
  expect((await page.textContent('#reply-due')).includes('个工作日'), 'the reply time is stated');
  await page.reload();
  expect((await page.textContent('#query-code')).trim() === code, 'reloading files nothing new');
  await page.goto(`${base}/letters/lookup`);
  await page.fill('#code', code);
  await page.click('button:has-text("查询")');
  const t = await page.textContent('main');
  expect(t.includes('关于课后服务时间的建议') && t.includes('办理中'), 'lookup shows the letter');
  expect(!t.includes('13900002222') && !t.includes('李四'), 'no personal data in the lookup');
  await ctx.close();
});

// Collects the Content-Security-Policy violations chromium reports on a page's console.
function watchCsp(page, into) {
  page.on('console', (msg) => {
    const t = msg.text();
    if (/Content Security Policy|Content-Security-Policy/i.test(t)) into.push(`${page.url()}: ${t.slice(0, 200)}`);
  });
}

const badId = '640181199001011234'; // check digit wrong (GB 11643 gives 2)
const goodId = '640181199001011232';
const request = '2024年全市义务教育阶段学校招生计划（端到端测试）';
let applicationCode = '';
let applicationNumber = '';

await scenario('a member of the public applies online: both errors at once, one case however often it is sent', async () => {
  const { ctx, page } = await newPage(375, 812);
  await page.goto(`${base}/o/${organId}/apply`);
  await page.fill('#name', '王五');
  await page.fill('#id_number', badId);
  await page.fill('#phone', '1390000333');
  await page.fill('#address', '灵武市东塔镇1号');
  await page.fill('#description', request);
  await page.click('button:has-text("提交申请")');
  // Both mistakes, each beside its field, at once; what was typed is kept.
  expect(await page.isVisible('#id_number-error'), 'the ID number error shows beside the field');
  expect(await page.isVisible('#phone-error'), 'the phone error shows beside the field at the same time');
  expect((await page.textContent('#id_number-error')).includes('校验位'), 'the ID error names the check digit');
  expect(await page.inputValue('#description') === request, 'the request is kept');
  await page.screenshot({ path: join(out, 'phone-apply-errors.png'), fullPage: true });
  await page.fill('#id_number', goodId);
  await page.fill('#phone', '13900003333');
  // What the browser would send again on a resubmission.
  const sent = await page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('form.form'))));
  await Promise.all([page.waitForURL(/\/apply\/receipt\?code=/), page.click('button:has-text("提交申请")')]);
  applicationCode = (await page.textContent('#query-code')).trim();
  applicationNumber = (await page.textContent('#case-number')).trim();
  expect(/^[0-9A-Z]{12}$/.test(applicationCode), `query code ${applicationCode}`);
  expect((await page.textContent('main')).includes('20个工作日'), 'the receipt states the legal deadline');
  await page.screenshot({ path: join(out, 'phone-apply-receipt.png'), fullPage: true });
  // Reload the receipt, then send the same form again (back and submit, a double click).
  await page.reload();
  expect((await page.textContent('#query-code')).trim() === applicationCode, 'reloading shows the same receipt');
  const again = await page.request.post(`${base}/o/${organId}/apply`, { form: sent, maxRedirects: 0 });
  expect(again.status() === 303 && again.headers()['location'].endsWith(applicationCode), `resubmission leads to the same receipt (${again.status()} ${again.headers()['location']})`);
  const twice = await Promise.all([1, 2].map(() => page.request.post(`${base}/o/${organId}/apply`, { form: sent, maxRedirects: 0 })));
  expect(twice.every(r => r.status() === 303), 'concurrent resubmissions are answered with the receipt');
  await page.goto(`${base}/apply/lookup?code=${applicationCode}`);
  const t = await page.textContent('main');
  expect(t.includes(request), 'lookup shows the request');
  for (const secret of [goodId, '13900003333', '灵武市东塔镇1号', '王五']) {
    expect(!t.includes(secret), `lookup hides ${secret}`);
  }
  await ctx.close();
  // The office sees exactly one case.
  const office = await newPage();
  await login(office.page, 'handler');
  await office.page.goto(`${base}/admin/applications`);
  const rows = await office.page.locator(`tr:has-text("${applicationNumber}")`).count();
  expect(rows === 1, `exactly one case ${applicationNumber} (found ${rows})`);
  await office.ctx.close();
});

await scenario('after the reply the citizen reads the outcome in plain words, the remedies, and downloads the 答复书', async () => {
  if (!applicationCode) return 'no application filed';
  const office = await newPage();
  await login(office.page, 'handler');
  await office.page.goto(`${base}/admin/applications`);
  await Promise.all([office.page.waitForURL(/\/admin\/applications\/\d+$/), office.page.click(`a:has-text("${applicationNumber}")`)]);
  const caseUrl = office.page.url();
  const first = (await office.page.textContent('#next-steps li.primary')).trim();
  expect(first.startsWith('作出答复'), `the first next step is the reply: ${first}`);
  expect((await office.page.getAttribute('#form-decide', 'open')) !== null, 'the reply form is open');
  await office.page.fill('#dec-text', '现将学生名单以外的部分提供给您。');
  await office.page.selectOption('#dec-result', 'partly_disclosed');
  // A required part left empty is refused beside its field, with what was typed kept.
  await office.page.fill('#dec-withheld', '学生名单：涉及个人隐私（条例第十五条）');
  await Promise.all([office.page.waitForNavigation(), office.page.click('button:has-text("登记答复")')]);
  expect((await office.page.textContent('#dec-provided-error')).includes('可以公开的内容'), 'the missing part is named beside its field');
  expect((await office.page.inputValue('#dec-withheld')).includes('学生名单'), 'what was typed is kept');
  await office.page.screenshot({ path: join(out, 'admin-decide-missing-part.png'), fullPage: true });
  await office.page.fill('#dec-provided', '收费明细（已删去学生名单），通过网上平台提供');
  await Promise.all([office.page.waitForNavigation(), office.page.click('button:has-text("登记答复")')]);
  // The released file: the copy with the withheld part removed.
  await openStep(office.page, 'release');
  await office.page.setInputFiles('#release-file', { name: '收费明细（删除学生名单）.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 e2e released copy') });
  await Promise.all([office.page.waitForNavigation(), office.page.click('button:has-text("上传文件")')]);
  expect((await office.page.textContent('#released-files')).includes('收费明细（删除学生名单）.pdf'), 'the file is kept with the case');
  await office.ctx.close();

  const { ctx, page } = await newPage(375, 812);
  await page.goto(`${base}/apply/lookup`);
  await page.fill('#code', applicationCode);
  await page.click('button:has-text("查询")');
  expect((await page.textContent('#outcome')).trim() === '部分公开', 'the outcome in plain words');
  const main = await page.textContent('main');
  expect(!main.includes('区分处理') && !main.includes('只计这一情形'), 'no counting note of the report');
  expect(main.includes('学生名单') && main.includes('涉及个人隐私'), 'the withheld part and its reason');
  // Withholding: review comes first (行政复议法 2023, art. 23), then suit within 15 days.
  const review = await page.textContent('#remedy-review');
  const court = await page.textContent('#remedy-court');
  expect(review.includes('先申请行政复议') && review.includes('60日') && review.includes('灵武市人民政府'), `review: ${review}`);
  expect(court.includes('15日') && court.includes('灵武市人民法院') && !court.includes('6个月'), `court: ${court}`);
  await page.screenshot({ path: join(out, 'phone-apply-result.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#reply-download')]);
  expect(download.suggestedFilename().endsWith('.docx'), `答复书 ${download.suggestedFilename()}`);
  const path = await download.path();
  expect(readFileSync(path).length > 1000, 'the 答复书 has content');
  const [released] = await Promise.all([page.waitForEvent('download'), page.click('#released-files a')]);
  expect(readFileSync(await released.path()).toString().startsWith('%PDF-1.4 e2e released copy'), 'the released file downloads');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('#reply-download-pdf')]);
  expect(pdf.suggestedFilename().endsWith('.pdf'), `答复书 ${pdf.suggestedFilename()}`);
  const text = execFileSync('pdftotext', [await pdf.path(), '-']).toString().replace(/\s+/g, '');
  expect(text.includes('应当先申请行政复议') && text.includes('向灵武市人民政府申请行政复议') && text.includes('向灵武市人民法院提起行政诉讼'), `the PDF names the review body and the court, review first: ${text.slice(0, 400)}`);
  expect(!text.includes('（或') && !text.includes('条例第'), 'no drafting note, the Regulation named');
  expect(text.includes('现将学生名单以外的部分提供给您'), 'the reply text is in the 答复书');
  await ctx.close();
});

await scenario('a handler registers a paper application, asks for 补正, records the correction and decides it', async () => {
  const { ctx, page } = await newPage();
  await login(page, 'handler');
  await page.goto(`${base}/admin/applications/new?organ=${organId}`);
  await page.selectOption('#channel', 'post');
  await page.fill('#submitted_on', '2025-03-04');
  await page.fill('#received_on', '2025-03-06');
  await page.fill('#name', '赵六');
  await page.fill('#id_number', '640181198502021231');
  await page.fill('#phone', '13900004444');
  await page.fill('#description', '某小学2024年度收费明细');
  await Promise.all([page.waitForURL(/\/admin\/applications\/\d+$/), page.click('button:has-text("登记")')]);
  const caseUrl = page.url();
  expect((await page.textContent('#case-status')).includes('办理中'), 'registered and open');
  const trace = await page.textContent('ol.trace');
  expect(trace.length > 0, 'the deadline trace is shown');
  await openStep(page, 'supplement');
  await page.fill('#sup-items', '请说明是哪一所小学');
  await page.fill('#sup-by', '2025-03-20');
  await page.fill('#sup-on', '2025-03-07');
  // Fewer working days than the office's 补正 period: refused beside the field.
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("告知补正")')]);
  expect((await page.textContent('#case-error')).includes('补正期限不得少于15个工作日'), 'too short a correction period is refused, with the reason on top');
  await openStep(page, 'supplement');
  await page.fill('#sup-items', '请说明是哪一所小学');
  await page.fill('#sup-by', '');
  await page.fill('#sup-on', '2025-03-07');
  await Promise.all([page.waitForURL(caseUrl), page.click('button:has-text("告知补正")')]);
  expect((await page.textContent('#case-status')).includes('等待补正'), 'awaiting correction');
  await page.fill('#rec-on', '2025-03-10');
  await Promise.all([page.waitForURL(caseUrl), page.click('button:has-text("登记收到补正")')]);
  expect((await page.textContent('#case-status')).includes('办理中'), 'open again after the correction');
  const due = await page.textContent('#case-due');
  expect(due.startsWith('2025-04'), `the period runs anew from the correction: due ${due}`);
  await openStep(page, 'decide');
  await page.fill('#dec-on', '2025-03-10');
  await page.selectOption('#dec-result', 'partly_disclosed');
  await page.fill('#dec-provided', '收费明细（已删去学生个人信息），随本答复书邮寄');
  await page.fill('#dec-withheld', '学生个人信息：涉及第三方个人隐私（条例第十五条）');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("登记答复")')]);
  expect((await page.textContent('#case-status')).includes('已办结'), 'decided');
  // Then the delivery: the next step the page shows first, its form open.
  expect((await page.textContent('#next-steps li.primary')).includes('送达'), 'delivery is next');
  await page.fill('#del-on', '2025-03-10');
  await page.selectOption('#del-method', 'post');
  await page.fill('#del-note', 'EMS 1180000000');
  const [sent] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/event') && r.request().method() === 'POST'),
    page.waitForNavigation(),
    page.click('button:has-text("登记送达")'),
  ]);
  expect(sent.status() === 303, `the delivery is accepted (HTTP ${sent.status()})`);
  expect((await page.textContent('#deliveries')).includes('2025-03-10 邮寄送达'), 'the delivery is recorded');
  await page.screenshot({ path: join(out, 'admin-case-delivered.png'), fullPage: true });
  await ctx.close();
});

// Every cell of the report's tables has a visible border, the page does not scroll sideways, and
// on a phone the wide table scrolls inside its own box with its label column readable.
async function checkReportLayout(page, where, width) {
  const r = await page.evaluate(() => {
    const cells = [...document.querySelectorAll('.gk-report table td, .gk-report table th')];
    const bare = cells.filter((c) => {
      const s = getComputedStyle(c);
      return !(parseFloat(s.borderTopWidth) >= 1 && s.borderTopStyle !== 'none'
        && parseFloat(s.borderLeftWidth) >= 1 && s.borderLeftStyle !== 'none'
        && s.borderTopColor !== 'rgba(0, 0, 0, 0)');
    });
    const t3 = document.querySelector('.gk-report table.gk-t3');
    const wrap = t3 && t3.closest('.gk-table-wrap');
    const label = t3 && t3.querySelector('th.gk-label');
    return {
      cells: cells.length, bare: bare.length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      wrapScrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : null,
      wrapFits: wrap ? wrap.getBoundingClientRect().right <= window.innerWidth + 1 : null,
      labelWidth: label ? label.getBoundingClientRect().width : 0,
    };
  });
  expect(r.cells > 100, `${where} at ${width}px: the report's tables are there (${r.cells} cells)`);
  expect(r.bare === 0, `${where} at ${width}px: ${r.bare} of ${r.cells} cells without a visible border`);
  expect(r.overflow <= 1, `${where} at ${width}px: the page scrolls sideways by ${r.overflow}px`);
  expect(r.wrapFits, `${where} at ${width}px: table 三's box fits the screen`);
  expect(r.labelWidth >= 100, `${where} at ${width}px: table 三's label column is ${r.labelWidth}px wide`);
  if (width < 600) expect(r.wrapScrolls, `${where} at ${width}px: table 三 scrolls inside its box`);
}

await scenario('report page, back-office preview and HTML download: bordered tables, no sideways scroll, no CSP violation (1280 and 375 px)', async () => {
  const { ctx, page } = await newPage();
  await page.goto(`${base}/o/${organId}/reports`);
  const reportHref = await page.getAttribute('ul.items a', 'href');
  expect(reportHref, 'a published report in the archive');
  const links = await page.goto(`${base}${reportHref}`).then(() => page.$$eval('ul.downloads a', (as) => as.map((a) => a.getAttribute('href'))));
  for (const f of ['pdf', 'docx', 'xlsx', 'html', 'json']) {
    expect(links.some((h) => h.endsWith(`/download/${f}`)), `the report page links the ${f} download`);
  }
  const pdf = await page.request.get(`${base}${reportHref}/download/pdf`);
  expect(pdf.status() === 200 && (await pdf.body()).subarray(0, 5).toString() === '%PDF-', 'the PDF download is a PDF');
  await login(page, 'oadmin');
  const cookies = await ctx.cookies();
  await ctx.close();
  const targets = [['report', reportHref], ['preview', `/admin/reports/${organId}/2024/preview`], ['download', `${reportHref}/download/html`]];
  for (const width of [1280, 375]) {
    const { ctx: c2, page: p2 } = await newPage(width, 900);
    await c2.addCookies(cookies);
    const csp = [];
    watchCsp(p2, csp);
    for (const [name, path] of targets) {
      await p2.goto(`${base}${path}`);
      await checkReportLayout(p2, name, width);
      await p2.screenshot({ path: join(out, `${width}-report-${name}.png`), fullPage: width < 600 });
    }
    expect(csp.length === 0, `no CSP violation:\n  ${csp.join('\n  ')}`);
    await c2.close();
  }
});

await scenario("a handler's 工作台 shows the overdue case first; a future-dated step is refused on its form; a mistaken step is voided and the deadline recomputed", async () => {
  const { ctx, page } = await newPage();
  await login(page, 'handler');
  const row = page.locator('#due-cases tr.overdue', { hasText: '逾' });
  expect(await row.count() >= 1, 'an overdue case on the 工作台');
  expect((await row.first().textContent()).includes('已逾期'), 'with the working days overdue');
  const color = await row.first().locator('.badge.overdue').evaluate(e => getComputedStyle(e).backgroundColor);
  expect(color === 'rgb(176, 0, 32)', `overdue badge in red, not ${color}`);
  await page.screenshot({ path: join(out, 'admin-workbench-handler.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: join(out, 'phone-admin-workbench-handler.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 1, `the 工作台 fits a phone: ${overflow}px too wide`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await Promise.all([page.waitForURL(/\/admin\/applications\/\d+$/), row.first().locator('a').first().click()]);
  // The browser's own check (max = today) is bypassed, as an old browser or a script would.
  await page.evaluate(() => document.querySelectorAll('input[type=date]').forEach(i => i.removeAttribute('max')));
  await openStep(page, 'consult');
  await page.fill('#con-with', '某供应商');
  await page.fill('#con-matter', '资料含该供应商的报价');
  await page.fill('#con-on', '2025-03-12');
  await page.click('button:has-text("登记征求意见")');
  const err = page.locator('form:has(input[value="consult"]) #step-error');
  await err.waitFor();
  expect((await err.textContent()).includes('晚于今天'), 'the reason is on the form');
  expect(await page.inputValue('#con-on') === '2025-03-12', 'the date typed is kept');
  await page.screenshot({ path: join(out, 'admin-case-refused.png'), fullPage: true });
  // A case still within its period: extend it by mistake, then void the extension.
  await page.goto(`${base}/admin/applications?organ=${organId}`);
  await Promise.all([page.waitForURL(/\/admin\/applications\/\d+$/), page.click('tr:has-text("2025-03-03") a')]);
  const caseUrl = page.url();
  const due0 = await page.textContent('#case-due');
  await openStep(page, 'extend');
  await page.fill('#ext-on', '2025-03-07');
  await page.fill('#ext-reason', '需要调取档案');
  await page.fill('#ext-by', '李主任');
  await Promise.all([page.waitForURL(caseUrl), page.click('button:has-text("延长期限")')]);
  const due1 = await page.textContent('#case-due');
  expect(due1 > due0, `extended: ${due0} → ${due1}`);
  const step = page.locator('ol.events li', { hasText: '延长' }).first();
  await step.locator('summary').click();
  await step.locator('input[name=reason]').fill('延期未经批准，误登记');
  await Promise.all([page.waitForURL(caseUrl), step.locator('button').click()]);
  expect(await page.textContent('#case-due') === due0, 'the deadline is back after the void');
  expect((await page.textContent('ol.trace')).includes('作废第'), 'the trace names the void');
  expect(await page.locator('ol.events del').count() === 1, 'the voided step is still listed, struck through');
  await page.screenshot({ path: join(out, 'admin-case-voided.png'), fullPage: true });
  await ctx.close();
});

const publicPages = ['/', `/o/${organId}`, `/o/${organId}/guide`, `/o/${organId}/catalogue`,
  `/o/${organId}/notices`, `/o/${organId}/double`, `/o/${organId}/reports`, `/o/${organId}/letters`,
  '/letters/lookup', '/login', `/o/${organId}/apply`, '/apply/lookup', `/search?q=${encodeURIComponent('学生资助')}`,
  '/sitemap', `/search?q=${encodeURIComponent('没有这样的文件名称')}`, '/items/abc'];

await scenario('axe-core finds no serious or critical violations on the public pages', async () => {
  const { ctx, page } = await newPage(1280, 900, true);
  // Item and report pages reached from the lists.
  await page.goto(`${base}/o/${organId}/catalogue`);
  const itemHref = await page.getAttribute('table.list a', 'href');
  await page.goto(`${base}/o/${organId}/reports`);
  const reportHref = await page.getAttribute('ul.items a', 'href');
  const pages = [...publicPages, itemHref, reportHref].filter(Boolean);
  const problems = [];
  for (const p of pages) {
    await page.goto(`${base}${p}`);
    await page.addScriptTag({ content: axeSource });
    const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of res.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        problems.push(`${p}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
      }
    }
  }
  expect(problems.length === 0, `no serious/critical violations:\n  ${problems.join('\n  ')}`);
  await ctx.close();
});

await scenario('pages fit a phone screen (375 px): no horizontal page scroll; screenshots in e2e/out', async () => {
  const { ctx, page } = await newPage(375, 812);
  await page.goto(`${base}/o/${organId}/catalogue`);
  const itemHref = await page.getAttribute('table.list a', 'href');
  await page.goto(`${base}/o/${organId}/reports`);
  const reportHref = await page.getAttribute('ul.items a', 'href');
  const shots = [['home', '/'], ['organ', `/o/${organId}`], ['guide', `/o/${organId}/guide`],
    ['catalogue', `/o/${organId}/catalogue`], ['item', itemHref], ['report', reportHref],
    ['letters', `/o/${organId}/letters`], ['apply', `/o/${organId}/apply`], ['login', '/login'],
    ['notices', `/o/${organId}/notices`], ['double', `/o/${organId}/double`], ['sitemap', '/sitemap'],
    ['search', `/search?q=${encodeURIComponent('学生资助')}`], ['lookup', `/apply/lookup?code=${applicationCode}`],
    ['error', '/items/abc']];
  const wide = [];
  for (const [name, p] of shots) {
    if (!p) continue;
    await page.goto(`${base}${p}`);
    await page.screenshot({ path: join(out, `phone-${name}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) wide.push(`${p} is ${overflow}px wider than the screen`);
  }
  expect(wide.length === 0, wide.join('; '));
  await ctx.close();
  // The same pages on a desktop, for people to look at.
  const desk = await newPage(1280, 900);
  for (const [name, p] of shots) {
    if (!p) continue;
    await desk.page.goto(`${base}${p}`);
    await desk.page.screenshot({ path: join(out, `desktop-${name}.png`), fullPage: true });
  }
  await desk.ctx.close();
});

await scenario('catalogue filters stand beside the list on a desktop and fold above it on a phone', async () => {
  // Once the filters sat at the foot of a 3,000-px column, out of sight, because the aside
  // took a back-office flex rule that aligns its content to the bottom.
  for (const [width, visible] of [[1280, true], [375, false]]) {
    const { ctx, page } = await newPage(width, 900);
    await page.goto(`${base}/o/${organId}/catalogue`);
    const box = await page.locator('aside[aria-label="筛选"]').boundingBox();
    const list = await page.locator('#list-h').boundingBox();
    const head = await page.locator('#cat-h').boundingBox();
    if (visible) {
      expect(head && head.y < 900, `at ${width} px the column filter is in the first screen (y=${head && head.y})`);
      expect(box.x < list.x, `at ${width} px the filters are left of the list`);
    } else {
      expect(box.y < list.y, `at ${width} px the folded filters come before the list`);
      expect(box.height < 200, `at ${width} px the filters are folded (${box.height}px)`);
    }
    await ctx.close();
  }
});

await scenario('every public page: no CSP violation at 1280 and 375 px, and no counting note of the report outside its tables (crawler)', async () => {
  const seen = new Set();
  const queue = ['/', ...publicPages];
  const csp = [];
  const notes = [];
  const skip = /^\/(admin|api|logout|feed\.xml|sitemap\.xml|sitemaps\/|attachments\/|apply\/reply)|\/download\/(pdf|docx|xlsx|md|json)$/;
  const { ctx, page } = await newPage(1280, 900);
  watchCsp(page, csp);
  while (queue.length && seen.size < 120) {
    const path = queue.shift();
    const u = new URL(path, base);
    if (u.origin !== new URL(base).origin || skip.test(u.pathname)) continue;
    const key = u.pathname + u.search;
    if (seen.has(key)) continue;
    seen.add(key);
    const resp = await page.goto(u.href);
    if (!resp || !(resp.headers()['content-type'] || '').includes('text/html')) continue;
    const text = await page.evaluate(() => {
      const b = document.body.cloneNode(true);
      b.querySelectorAll('table.gk-table').forEach((t) => t.remove());
      return b.textContent;
    });
    if (/区分处理|只计这一情形|不计其他情形/.test(text)) notes.push(key);
    for (const h of await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')))) {
      if (h.startsWith('/') && !h.startsWith('//')) queue.push(h.split('#')[0]);
    }
  }
  await ctx.close();
  expect(seen.size > 20, `crawled ${seen.size} pages`);
  expect(notes.length === 0, `counting notes on public pages: ${notes.join(', ')}`);
  // The same pages on a phone.
  const phone = await newPage(375, 812);
  watchCsp(phone.page, csp);
  const wide = [];
  for (const key of seen) {
    const resp = await phone.page.goto(`${base}${key}`);
    if (!resp || !(resp.headers()['content-type'] || '').includes('text/html')) continue;
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) wide.push(`${key} (${overflow}px)`);
  }
  await phone.ctx.close();
  expect(csp.length === 0, `no CSP violation:\n  ${csp.join('\n  ')}`);
  expect(wide.length === 0, `pages wider than a phone: ${wide.join(', ')}`);
});

await finish();
