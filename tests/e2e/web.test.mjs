// Browser tests of the web app against a real `zhimian serve --demo` on a fresh SQLite data dir.
// One story, in order: HR signs in and invites a new candidate; the candidate takes the interview on a
// phone in Chinese (re-answer, follow-up, reload, integrity events); HR reviews the scores, evidence and
// radar chart, overrides a score and releases the report; HR compares candidates; the candidate reads the
// report; managers in and out of the department; an English run; axe-core on the main pages.
// Run: node --test tests/e2e/  (ZHIMIAN_BIN, E2E_SHOTS_DIR optional; scripts/web.sh test does it all)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  startServer,
  launchBrowser,
  newPage,
  screenshot,
  axeSerious,
  signIn,
  confirmBox,
  api,
  cleanupAll,
  DESKTOP,
  PHONE,
  SHOTS_DIR,
} from './harness.mjs'

const T = { timeout: 120_000 }
let server
let browser
const s = {} // state shared along the story
const axeReport = []

async function checkAxe(page, name) {
  const v = await axeSerious(page)
  axeReport.push({ page: name, violations: v })
  assert.deepEqual(v, [], `axe serious/critical violations on ${name}:\n${JSON.stringify(v, null, 2)}`)
}

function need(...keys) {
  for (const k of keys) if (s[k] === undefined) throw new Error(`prerequisite missing: ${k} (an earlier test failed)`)
}

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  console.log(`# server ${server.base}, screenshots in ${SHOTS_DIR}`)
})

after(async () => {
  await cleanupAll()
})

test('staff sign-in: a wrong password is refused with a Chinese message', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await page.goto(`${server.base}/login`)
  await page.fill('#login-email', 'hr.wang@xinghai.example')
  await page.fill('#login-password', 'not-the-password')
  await page.click('[data-test=login-submit]')
  const err = page.locator('[data-test=login-error]')
  await err.waitFor()
  assert.match(await err.innerText(), /邮箱或密码不正确/)
  await screenshot(page, '01-login')
  await checkAxe(page, 'login')
  await page.context().close()
})

test('HR signs in, opens the sales manager job and its competency model (weights sum to 100)', T, async () => {
  const page = await newPage(browser, DESKTOP)
  s.hr = page
  await signIn(page, server.base, 'hr.wang@xinghai.example')
  assert.match(await page.locator('[data-test=current-user]').innerText(), /王丽 · HR/)
  await page.waitForSelector('[data-test=todo]')
  await screenshot(page, '02-dashboard')
  await checkAxe(page, 'dashboard')

  await page.click('a[href="/jobs"]')
  await page.locator('[data-test=job-link]', { hasText: '销售经理' }).click()
  await page.waitForSelector('[data-test=job-title]')
  s.jobId = page.url().split('/jobs/')[1].split('?')[0]
  await page.getByRole('tab', { name: '胜任力模型' }).click()
  const sum = page.locator('[data-test=weight-sum]')
  await sum.waitFor()
  assert.equal((await sum.innerText()).trim(), '权重合计为 100%')
  // The live check: changing one weight breaks the sum at once (not saved).
  const w0 = page.locator('[data-test=dim-weight-0] input')
  const original = await w0.inputValue()
  await w0.fill(String(Number(original) + 5))
  await w0.press('Tab')
  assert.match(await sum.innerText(), /权重合计须为 100%，当前为 105%/)
  await screenshot(page, '03-competency-model')
  await checkAxe(page, 'competency model editor')
  await w0.fill(original)
  await w0.press('Tab')
  assert.equal((await sum.innerText()).trim(), '权重合计为 100%')

  const model = await api(page, 'GET', `/api/v1/jobs/${s.jobId}/competency-model`)
  s.dimensionNames = model.body.dimensions.map((d) => d.name)
  s.dimensionNamesEn = model.body.dimensions.map((d) => d.name_en)
  // Reference answers of the plan's questions, to answer well (evidence to highlight).
  const plan = await api(page, 'GET', `/api/v1/jobs/${s.jobId}/interview-plan`)
  const ids = plan.body.sections.flatMap((x) => x.question_ids)
  s.answers = []
  for (const id of ids) {
    const q = (await api(page, 'GET', `/api/v1/questions/${id}`)).body
    const ref = q.reference_answers.find((r) => r.language === 'zh') ?? q.reference_answers[0]
    s.answers.push(ref ? ref.text : '我在上一份工作中负责华东区的大客户销售，带领5人团队，一年内把销售额提升了30%。')
  }
  assert.ok(s.answers.length >= 3)

  await page.getByRole('tab', { name: '面试方案' }).click()
  await page.waitForSelector('[data-test=plan-question]')
  assert.equal(await page.locator('[data-test=plan-question]').count(), ids.length)
})

test('HR creates an application for a new candidate and invites; the link is shown once', T, async () => {
  need('hr', 'jobId')
  const page = s.hr
  await page.click('a[href="/applications"]')
  await page.waitForSelector('[data-test=applications-table]')
  await screenshot(page, '04-applications')
  await checkAxe(page, 'applications')
  await page.click('[data-test=create-application]')
  await page.click('#new-app-job')
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^销售经理$/ }).click()
  await page.fill('#new-app-name', '陈晓明')
  await page.fill('#new-app-email', 'chen.xiaoming@example.com')
  await page.fill('#new-app-phone', '13800138123')
  await page.click('[data-test=new-app-submit]')
  await page.waitForURL(/\/applications\/[0-9A-Z]{26}$/)
  s.appId = page.url().split('/applications/')[1]
  await page.waitForSelector('[data-test=invitation-card]')
  assert.equal(await page.locator('[data-test=candidate-name]').innerText(), '陈晓明')
  assert.equal(await page.locator('[data-test=profile-email]').innerText(), 'chen.xiaoming@example.com')

  await page.click('[data-test=invite]')
  const link = page.locator('[data-test=invite-link]')
  await link.waitFor()
  s.link = await link.inputValue()
  assert.match(s.link, /\/interview\/[A-Za-z0-9_-]{43}$/)
  s.token = s.link.split('/interview/')[1]
  await screenshot(page, '05-invitation-link')
  await page.click('[data-test=close-link]')
  await page.locator('[data-test=invite-link]').waitFor({ state: 'detached' }) // not kept in the page

  assert.equal((await page.locator('[data-test=interview-status]').innerText()).trim(), '已邀请')
})

test('candidate on a phone (Chinese): transparency page, then consent', T, async () => {
  need('token', 'dimensionNames')
  const page = await newPage(browser, PHONE)
  s.cand = page
  await page.goto(`${server.base}/interview/${s.token}`)
  await page.waitForSelector('[data-test=welcome]')
  assert.equal(await page.locator('[data-test=job-title]').innerText(), '销售经理')
  assert.match(await page.locator('[data-test=question-count]').innerText(), /共 9 道题/)
  const dims = await page.locator('[data-test=dimension] strong').allInnerTexts()
  assert.deepEqual([...dims].sort(), [...s.dimensionNames].sort())
  assert.match(await page.locator('[data-test=dimension]').first().innerText(), /权重 \d+%/)
  assert.match(await page.locator('[data-test=data-use]').innerText(), /365/)
  assert.match(await page.locator('[data-test=audio-video]').innerText(), /只分析文字回答/)
  // The page fits the phone: no horizontal scrolling.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  await screenshot(page, '06-candidate-welcome', { fullPage: true })
  await checkAxe(page, 'candidate welcome')

  await page.click('[data-test=start]')
  assert.match(await page.getByRole('alert').innerText(), /请先勾选同意/)
  await page.click('[data-test=consent-checkbox]')
  await page.click('[data-test=start]')
  await page.waitForSelector('[data-test=question][data-position="0"]')
  assert.match(await page.locator('[data-test=progress]').innerText(), /第 1 \/ 9 题/)
  assert.equal(await page.locator('[data-test=timer]').getAttribute('data-phase'), 'think')
})

test('candidate answers, re-answers once, answers the follow-up; integrity events go to the server', T, async () => {
  need('cand', 'answers')
  const page = s.cand
  await page.click('[data-test=start-answering]')
  const box = page.locator('#answer-box')
  // A first, thin answer: the server gives feedback and asks a follow-up.
  await box.fill('我会努力做好销售工作。')
  await page.locator('[data-test=draft-status]', { hasText: '草稿已自动保存' }).waitFor()
  // A paste and a hidden tab (simulated: headless chromium never hides its tab).
  await page.evaluate(() => {
    document.querySelector('#answer-box').dispatchEvent(new ClipboardEvent('paste', { bubbles: true }))
    const set = (v) => Object.defineProperty(document, 'visibilityState', { value: v, configurable: true })
    set('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    set('visible')
    document.dispatchEvent(new Event('visibilitychange'))
  })
  await page.click('[data-test=submit-answer]')
  await page.waitForSelector('[data-test=answer-result]')
  assert.equal(await page.locator('[data-test=last-answer]').innerText(), '我会努力做好销售工作。')
  assert.ok((await page.locator('[data-test=feedback]').innerText()).length > 8, 'feedback shown')
  const followUp = page.locator('[data-test=follow-up-question]')
  await followUp.waitFor()
  s.followUpText = await followUp.innerText()
  await screenshot(page, '07-candidate-feedback-follow-up', { fullPage: true })
  await checkAxe(page, 'candidate question with feedback')

  // Re-answer once (the plan allows 1), with a full answer.
  await page.click('[data-test=reanswer]')
  await box.fill(s.answers[0])
  await page.click('[data-test=submit-answer]')
  await page.locator('[data-test=last-answer]', { hasText: s.answers[0].slice(0, 10) }).waitFor()
  assert.equal(await page.locator('[data-test=reanswer]').count(), 0, 'no attempts left')
  // The follow-up question stays and is answered once.
  await page.fill('#follow-up-box', '比如去年我负责的一个医疗客户，我先梳理了客户的采购流程，再约见关键决策人，三个月内签下了200万元的合同。')
  await page.click('[data-test=submit-follow-up]')
  await page.waitForSelector('[data-test=follow-up-done]')
  await page.click('[data-test=next]')
  await confirmBox(page)
  await page.waitForSelector('[data-test=question][data-position="1"]')
})

test('reloading resumes at the same question with the autosaved draft and running timer', T, async () => {
  need('cand')
  const page = s.cand
  await page.click('[data-test=start-answering]')
  await page.fill('#answer-box', '草稿：我先了解客户需求')
  await page.locator('[data-test=draft-status]', { hasText: '草稿已自动保存' }).waitFor()
  const before = await page.locator('[data-test=timer-clock]').innerText()
  await page.reload()
  await page.waitForSelector('[data-test=question][data-position="1"]')
  assert.match(await page.locator('[data-test=progress]').innerText(), /第 2 \/ 9 题/)
  assert.equal(await page.locator('#answer-box').inputValue(), '草稿：我先了解客户需求')
  // The server's clock kept running: the timer did not restart.
  const toSec = (c) => c.split(':').reduce((a, b) => a * 60 + Number(b), 0)
  const after = await page.locator('[data-test=timer-clock]').innerText()
  assert.ok(toSec(after) <= toSec(before), `timer restarted: ${before} -> ${after}`)
  await screenshot(page, '08-candidate-question', { fullPage: false })
})

test('candidate answers the remaining questions and finishes', T, async () => {
  need('cand', 'answers')
  const page = s.cand
  for (let pos = 1; pos < s.answers.length; pos++) {
    await page.waitForSelector(`[data-test=question][data-position="${pos}"]`)
    if (await page.locator('[data-test=start-answering]').count()) await page.click('[data-test=start-answering]')
    await page.fill('#answer-box', s.answers[pos])
    await page.click('[data-test=submit-answer]')
    await page.waitForSelector('[data-test=answer-result]')
    await page.click('[data-test=next]')
    await confirmBox(page)
  }
  await page.waitForSelector('[data-test=finish-panel]')
  await page.click('[data-test=finish]')
  await confirmBox(page)
  await page.waitForSelector('[data-test=finished]')
  assert.match(await page.locator('[data-test=finished]').innerText(), /面试已完成/)
  assert.deepEqual(page.errors, [])
})

test('HR sees scores, evidence highlights, the radar chart and integrity counts; overrides a score; releases the report', T, async () => {
  need('hr', 'appId', 'dimensionNames')
  const page = s.hr
  await page.goto(`${server.base}/applications/${s.appId}`)
  await page.waitForSelector('[data-test=score-overview]')
  const overall = Number(await page.locator('[data-test=overall]').innerText())
  assert.ok(overall > 0 && overall <= 100, `overall ${overall}`)
  s.overall = overall
  assert.match(await page.locator('[data-test=recommendation]').first().innerText(), /^(推荐|待定|不推荐)$/)
  assert.ok(await page.locator('[data-test=radar] canvas').count() >= 1, 'radar canvas')
  const rows = await page.locator('[data-test=dimension-row] .dim-name').allInnerTexts()
  assert.deepEqual([...rows].sort(), [...s.dimensionNames].sort())
  const integrity = await page.locator('[data-test=integrity]').innerText()
  assert.match(integrity, /切换页面\s+1/)
  assert.match(integrity, /粘贴\s+1/)
  await page.waitForTimeout(300) // let the chart finish drawing for the screenshot
  await screenshot(page, '09-hr-application-overview', { fullPage: true })
  await checkAxe(page, 'application overview')

  await page.getByRole('tab', { name: '面试作答' }).click()
  const q0 = page.locator('[data-test=answer-q0]')
  await q0.waitFor()
  assert.match(await q0.innerText(), /第 1 次作答[\s\S]*第 2 次作答/)
  assert.match(await q0.innerText(), /追问回答/)
  const marks = page.locator('[data-test=answers] [data-test=evidence]')
  assert.ok((await marks.count()) >= 5, 'evidence highlighted')
  // Each highlight is a piece of the answer text the API pointed at.
  const firstMark = await marks.first().innerText()
  assert.ok(s.answers.some((a) => a.includes(firstMark)) || firstMark.length > 0)
  await screenshot(page, '10-hr-answers-evidence', { fullPage: false })
  await checkAxe(page, 'application answers')

  await page.getByRole('tab', { name: '评估概览' }).click()
  await page.click('[data-test=open-override]')
  await page.click('[data-test=override-submit]')
  assert.match(await page.locator('.el-form-item__error').innerText(), /至少 5 个字/)
  await page.locator('[data-test=override-score] input').fill('88')
  await page.fill('#override-reason', '复核录音后确认候选人回答完整，调高综合评分')
  await page.click('[data-test=override-submit]')
  await page.locator('[data-test=overall]', { hasText: '88.0' }).waitFor()
  s.overall = 88

  await page.click('[data-test=release-report]')
  await confirmBox(page)
  await page.waitForSelector('[data-test=report-released]')
})

test('HR compares three candidates of the job: radar overlay, table, strengths and gaps', T, async () => {
  need('hr', 'appId', 'jobId')
  const page = s.hr
  const list = await api(page, 'GET', `/api/v1/applications?job_id=${s.jobId}&limit=200`)
  const done = []
  for (const a of list.body.items) {
    if (a.id === s.appId || done.length >= 2) continue
    const iv = await api(page, 'GET', `/api/v1/applications/${a.id}/interview`)
    if (iv.status === 200 && iv.body.score) done.push(a)
  }
  assert.equal(done.length, 2, 'two scored demo candidates of the job')
  const ids = [s.appId, ...done.map((a) => a.id)]
  await page.goto(`${server.base}/compare?job=${s.jobId}&ids=${ids.join(',')}`)
  await page.waitForSelector('[data-test=compare-table]')
  await page.locator('[data-test=compare-row]').first().waitFor()
  assert.equal(await page.locator('[data-test=compare-row]').count(), s.dimensionNames.length)
  const head = await page.locator('[data-test=compare-table] thead').innerText()
  assert.match(head, /陈晓明/)
  for (const a of done) assert.ok(head.includes(a.candidate_name), `column of ${a.candidate_name}`)
  assert.ok(await page.locator('[data-test=radar] canvas').count() >= 1)
  assert.equal(await page.locator('[data-test=compare-strengths]').count(), 3)
  await page.waitForTimeout(300)
  await screenshot(page, '11-compare', { fullPage: true })
  await checkAxe(page, 'compare')
})

test('a strong demo candidate of the job: assessment and evidence (screens for the README)', T, async () => {
  need('hr', 'jobId')
  const page = s.hr
  const list = await api(page, 'GET', `/api/v1/applications?job_id=${s.jobId}&limit=200`)
  let best = null
  for (const a of list.body.items) {
    if (a.id === s.appId) continue
    const iv = await api(page, 'GET', `/api/v1/applications/${a.id}/interview`)
    if (iv.status === 200 && iv.body.score && (!best || iv.body.score.overall > best.overall)) best = { id: a.id, overall: iv.body.score.overall }
  }
  assert.ok(best, 'a scored demo application')
  await page.goto(`${server.base}/applications/${best.id}`)
  await page.waitForSelector('[data-test=score-overview] [data-test=radar] canvas')
  assert.equal(Number(await page.locator('[data-test=overall]').innerText()), best.overall)
  await page.waitForTimeout(300)
  await screenshot(page, 'readme-application', { fullPage: false })
  await page.getByRole('tab', { name: '面试作答' }).click()
  await page.locator('[data-test=answers] [data-test=evidence]').first().waitFor()
  const card = page.locator('[data-test=answer-q1]')
  assert.match(await card.locator('[data-test=answer-explanation]').first().innerText(), /^得分依据/)
  // The top of the card (answer with highlights, feedback, follow-up), small enough for the README.
  await card.scrollIntoViewIfNeeded()
  await page.evaluate(() => window.scrollBy(0, -8))
  const box = await card.boundingBox()
  await page.screenshot({
    path: `${SHOTS_DIR}/readme-evidence.png`,
    clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 540) },
    animations: 'disabled',
  })
})

test('the candidate reads the released report', T, async () => {
  need('cand', 'overall')
  const page = s.cand
  await page.reload()
  await page.click('[data-test=view-report]')
  await page.waitForSelector('[data-test=candidate-report]')
  assert.equal(Number(await page.locator('[data-test=report-overall]').innerText()), s.overall)
  assert.equal(await page.locator('[data-test=report-dimension]').count(), s.dimensionNames.length)
  assert.ok(await page.locator('[data-test=radar] canvas').count() >= 1)
  await screenshot(page, '12-candidate-report', { fullPage: true })
  await checkAxe(page, 'candidate report')
  // The right to a human review of the automated result (PIPL Art. 24).
  await page.click('[data-test=request-review]')
  await page.fill('#review-reason', '我认为第三题的回答没有被充分理解，希望人工复核。')
  await page.click('[data-test=confirm-review]')
  assert.match(await page.locator('[data-test=review-result]').innerText(), /已提交人工复核申请/)
  s.reviewRequested = true
  await page.context().close()
})

test('HR resolves the candidate\'s human-review request on the tasks page', T, async () => {
  need('hr', 'reviewRequested', 'appId')
  const page = s.hr
  await page.click('a[href="/tasks"]')
  const row = page.locator('[data-test=tasks-table] .el-table__row', { hasText: '我认为第三题的回答没有被充分理解' })
  await row.waitFor()
  await row.getByRole('button', { name: '处理' }).click()
  await page.fill('#task-resolution', '已复核全部作答，维持原评分，并电话告知候选人。')
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click()
  await row.waitFor({ state: 'detached' }) // the open list no longer has it
  const done = await api(page, 'GET', `/api/v1/tasks?application_id=${s.appId}`)
  assert.equal(done.body.items[0].status, 'done')
  assert.equal(done.body.items[0].resolution, '已复核全部作答，维持原评分，并电话告知候选人。')
})

test('a manager of the department moves the application to the second round; another department\'s manager is refused', T, async () => {
  need('appId')
  // Managers review on their phones: the menu folds into a drawer and the page fits the screen.
  const mine = await newPage(browser, PHONE)
  await signIn(mine, server.base, 'mgr.liu@xinghai.example') // sales and retail
  await mine.goto(`${server.base}/applications/${s.appId}`)
  await mine.waitForSelector('[data-test=profile]')
  await mine.waitForSelector('[data-test=score-overview] [data-test=radar] canvas')
  assert.ok(await mine.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scrolling on a phone')
  await screenshot(mine, '15-manager-phone', { fullPage: false })
  await checkAxe(mine, 'application (manager, phone)')
  await mine.click('[data-test=menu-button]')
  await mine.getByRole('link', { name: '候选人申请' }).waitFor()
  await mine.keyboard.press('Escape')
  assert.match(await mine.locator('[data-test=candidate-name]').innerText(), /^陈\*+$/) // masked: no pii:read
  assert.match(await mine.locator('[data-test=profile-email]').innerText(), /^c\*+@example\.com$/)
  await mine.click('[data-test=stage-select]')
  await mine.locator('.el-select-dropdown__item:visible', { hasText: /^复试$/ }).click()
  await mine.click('[data-test=move-stage]')
  await confirmBox(mine)
  await mine.locator('.sub', { hasText: '复试' }).waitFor()
  assert.equal(await mine.locator('[data-test=invite]').count(), 0, 'managers cannot invite')
  await mine.context().close()

  const other = await newPage(browser, DESKTOP)
  await signIn(other, server.base, 'mgr.huang@xinghai.example') // R&D and risk
  await other.goto(`${server.base}/applications/${s.appId}`)
  const err = other.locator('[data-test=load-error]')
  await err.waitFor()
  assert.match(await err.innerText(), /内容不存在，或不在你的权限范围内/)
  await other.context().close()
})

test('role guard: an auditor cannot open the applications, and the menu hides them', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'audit.he@xinghai.example')
  assert.equal(await page.locator('a[href="/applications"]').count(), 0)
  await page.goto(`${server.base}/applications`)
  await page.waitForSelector('[data-test=forbidden]')
  await page.goto(`${server.base}/audit-log`)
  await page.waitForSelector('[data-test=audit-table] .el-table__row')
  await checkAxe(page, 'audit log')
  await page.context().close()
})

test('English: the candidate welcome page in English, kept after a reload', T, async () => {
  need('hr', 'dimensionNamesEn')
  const page = s.hr
  // A fresh invitation for another application of the job that was not invited yet.
  const list = await api(page, 'GET', `/api/v1/applications?job_id=${s.jobId}&stage=new&limit=5`)
  assert.ok(list.body.items.length > 0, 'a new application to invite')
  const inv = await api(page, 'POST', `/api/v1/applications/${list.body.items[0].id}/invitation`)
  assert.equal(inv.status, 201)
  const token = inv.body.token
  const cand = await newPage(browser, PHONE)
  await cand.goto(`${server.base}/interview/${token}`)
  await cand.waitForSelector('[data-test=welcome]')
  await cand.click('[data-test=lang-en]')
  await cand.getByRole('heading', { name: /Welcome to the AI interview of 星海科技集团/ }).waitFor()
  assert.match(await cand.locator('[data-test=question-count]').innerText(), /^9 questions$/)
  const dims = await cand.locator('[data-test=dimension] strong').allInnerTexts()
  assert.deepEqual([...dims].sort(), [...s.dimensionNamesEn].sort())
  assert.match(await cand.locator('[data-test=audio-video]').innerText(), /Only your written answers are analysed/)
  await cand.reload()
  await cand.getByRole('heading', { name: /Welcome to the AI interview/ }).waitFor()
  assert.equal(await cand.evaluate(() => document.documentElement.lang), 'en')
  await screenshot(cand, '13-candidate-welcome-en', { fullPage: true })
  await checkAxe(cand, 'candidate welcome (en)')
  await cand.context().close()
  s.enApp = { id: list.body.items[0].id, token }
})

test('HR extends, resends and revokes an invitation; old and revoked links stop working', T, async () => {
  need('hr', 'enApp')
  const page = s.hr
  await page.goto(`${server.base}/applications/${s.enApp.id}`)
  await page.waitForSelector('[data-test=invitation-card]')
  await page.click('[data-test=extend]')
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click()
  await page.locator('.el-message', { hasText: '有效期已延长' }).waitFor()

  await page.click('[data-test=resend]')
  const link = page.locator('[data-test=invite-link]')
  await link.waitFor()
  const newToken = (await link.inputValue()).split('/interview/')[1]
  assert.notEqual(newToken, s.enApp.token)
  await page.click('[data-test=close-link]')
  await page.locator('[data-test=invite-link]').waitFor({ state: 'detached' })

  const cand = await newPage(browser, PHONE)
  await cand.goto(`${server.base}/interview/${s.enApp.token}`)
  await cand.waitForSelector('[data-test=invalid-link]')
  await cand.goto(`${server.base}/interview/${newToken}`)
  await cand.waitForSelector('[data-test=welcome]')

  await page.click('[data-test=revoke]')
  await confirmBox(page)
  await page.locator('[data-test=interview-status]', { hasText: '已撤销' }).waitFor()
  await cand.reload()
  await cand.waitForSelector('[data-test=invalid-link]')
  assert.match(await cand.locator('[data-test=invalid-link]').innerText(), /链接无效|does not work/)
  await cand.context().close()
})

test('HR reorders the interview plan by drag and drop and saves it', T, async () => {
  need('hr')
  const page = s.hr
  const jobs = await api(page, 'GET', '/api/v1/jobs?q=' + encodeURIComponent('门店经理'))
  const jobId = jobs.body.items[0].id
  const before = (await api(page, 'GET', `/api/v1/jobs/${jobId}/interview-plan`)).body
  const si = before.sections.findIndex((x) => x.question_ids.length >= 2)
  assert.ok(si >= 0)
  await page.goto(`${server.base}/jobs/${jobId}?tab=plan`)
  const items = page.locator(`[data-test=plan-section-${si}] [data-test=plan-question]`)
  await items.nth(1).waitFor()
  const second = await items.nth(1).locator('.qtext').innerText()
  await items.nth(1).dragTo(items.nth(0))
  assert.equal(await items.nth(0).locator('.qtext').innerText(), second)
  await page.click('[data-test=save-plan]')
  await page.locator('.el-message', { hasText: '面试方案已保存' }).waitFor()
  const after = (await api(page, 'GET', `/api/v1/jobs/${jobId}/interview-plan`)).body
  const [a, b] = before.sections[si].question_ids
  assert.deepEqual(after.sections[si].question_ids.slice(0, 2), [b, a])
  await screenshot(page, '14-interview-plan')
  await checkAxe(page, 'interview plan builder')
})

test('admin settings: users, departments, courses; an API token is shown once and revoked', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'admin.zhao@xinghai.example')
  await page.click('a[href="/settings/users"]')
  await page.locator('[data-test=users-table] .el-table__row', { hasText: 'hr.wang@xinghai.example' }).waitFor()
  await checkAxe(page, 'users')
  await page.click('a[href="/settings/departments"]')
  await page.locator('.el-table__row').first().waitFor()
  await page.click('a[href="/settings/courses"]')
  await page.getByRole('button', { name: '新建课程' }).waitFor()
  await page.click('a[href="/settings/tokens"]')
  await page.getByRole('button', { name: '新建令牌' }).click()
  await page.fill('#tk-name', 'EHR 同步')
  await page.getByRole('dialog').getByRole('button', { name: '新建' }).click()
  const secret = page.getByRole('dialog', { name: '新令牌（仅显示一次）' }).locator('input')
  await secret.waitFor()
  const token = await secret.inputValue()
  assert.match(token, /^zmk_[A-Za-z0-9_-]{43}$/)
  const me = await page.evaluate(async (tk) => (await fetch('/api/v1/me', { headers: { Authorization: 'Bearer ' + tk }, credentials: 'omit' })).status, token)
  assert.equal(me, 200)
  await page.getByRole('dialog', { name: '新令牌（仅显示一次）' }).getByRole('button', { name: '关闭', exact: true }).click()
  const row = page.locator('.el-table__row', { hasText: 'EHR 同步' })
  await row.getByRole('button', { name: '吊销' }).click()
  await confirmBox(page)
  await row.locator('text=已吊销').waitFor()
  const after = await page.evaluate(async (tk) => (await fetch('/api/v1/me', { headers: { Authorization: 'Bearer ' + tk }, credentials: 'omit' })).status, token)
  assert.equal(after, 401)
  assert.deepEqual(page.errors, [])
  await page.context().close()
})

test('HR creates a job with its competency model, a question and an interview plan, and invites to it', T, async () => {
  need('hr')
  const page = s.hr
  const dept = (await api(page, 'GET', '/api/v1/departments?limit=50')).body.items[0]
  await page.goto(`${server.base}/jobs/new`)
  await page.fill('#job-title', '客户成功经理')
  await page.click('[data-test=job-dept]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: dept.name }).first().click()
  await page.click('[data-test=job-save]')
  await page.waitForURL(/\/jobs\/[0-9A-Z]{26}\?tab=model/)
  const jobId = page.url().split('/jobs/')[1].split('?')[0]

  // Competency model: three dimensions, weights checked live, five level anchors each.
  const dims = [
    ['客户沟通', 40],
    ['问题解决', 30],
    ['团队协作', 30],
  ]
  for (let i = 0; i < dims.length; i++) {
    await page.click('[data-test=add-dimension]')
    const card = page.locator(`[data-test=dimension-${i}]`)
    await card.waitFor()
    await page.fill(`[data-test=dim-name-${i}]`, dims[i][0])
    const w = page.locator(`[data-test=dim-weight-${i}] input`)
    await w.fill(String(dims[i][1]))
    await w.press('Tab')
    const anchors = card.locator('.anchor input')
    for (let k = 0; k < 5; k++) await anchors.nth(k).fill(`${k + 1}级：${dims[i][0]}的表现描述 ${k + 1}`)
  }
  assert.equal((await page.locator('[data-test=weight-sum]').innerText()).trim(), '权重合计为 100%')
  await page.click('[data-test=save-model]')
  await page.locator('.el-message', { hasText: '胜任力模型已保存（版本 1）' }).waitFor()
  const model = (await api(page, 'GET', `/api/v1/jobs/${jobId}/competency-model`)).body
  assert.deepEqual(model.dimensions.map((d) => [d.name, d.weight]), dims)
  const keys = model.dimensions.map((d) => d.key)

  // A question of the job, in the question bank.
  await page.click('a[href="/questions"]')
  await page.getByRole('button', { name: '新建题目' }).click()
  await page.click('[data-test=q-job]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^客户成功经理$/ }).click()
  await page.fill('#q-zh', '请讲一个你帮助客户解决复杂问题并提升满意度的具体经历。')
  const tags = page.locator('input[data-test=q-dims]')
  for (const k of keys) {
    await tags.fill(k)
    await tags.press('Enter')
  }
  await page.click('[data-test=q-save]')
  await page.locator('.el-message', { hasText: '题目已保存' }).waitFor()
  const q = (await api(page, 'GET', `/api/v1/questions?job_id=${jobId}`)).body.items[0]
  assert.deepEqual(q.dimension_keys, keys)

  // The plan: one section with the question.
  await page.goto(`${server.base}/jobs/${jobId}?tab=plan`)
  await page.fill('[data-test=plan-section-title-0]', '行为面试')
  await page.click('[data-test=plan-pick-0]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '帮助客户解决复杂问题' }).click()
  await page.click('[data-test=plan-add-0]')
  await page.click('[data-test=save-plan]')
  await page.locator('.el-message', { hasText: '面试方案已保存' }).waitFor()

  // Invite a new candidate to it; the candidate sees the new model.
  await page.click('a[href="/applications"]')
  await page.click('[data-test=create-application]')
  await page.click('#new-app-job')
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^客户成功经理$/ }).click()
  await page.fill('#new-app-name', '周雨晴')
  await page.fill('#new-app-email', 'zhou.yuqing@example.com')
  await page.click('[data-test=new-app-submit]')
  await page.waitForURL(/\/applications\/[0-9A-Z]{26}$/)
  await page.click('[data-test=invite]')
  const link = await page.locator('[data-test=invite-link]').inputValue()
  await page.click('[data-test=close-link]')
  const cand = await newPage(browser, PHONE)
  await cand.goto(link.replace(/^https?:\/\/[^/]+/, server.base))
  await cand.waitForSelector('[data-test=welcome]')
  assert.equal(await cand.locator('[data-test=job-title]').innerText(), '客户成功经理')
  assert.deepEqual(await cand.locator('[data-test=dimension] strong').allInnerTexts(), ['客户沟通', '问题解决', '团队协作'])
  assert.match(await cand.locator('[data-test=question-count]').innerText(), /共 1 道题/)
  await cand.context().close()
})

test('no page threw an uncaught error', T, async () => {
  need('hr')
  assert.deepEqual(s.hr.errors, [])
  console.log('# axe: ' + axeReport.map((r) => `${r.page}: ${r.violations.length}`).join('; '))
})
