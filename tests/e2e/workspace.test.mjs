// Browser tests of the HR workspace against a real `zhimian serve --demo` (its own fresh SQLite data dir):
// the dashboard (to-do with ages, funnel, activity; opening a result takes it off the to-do), the
// applications table (dimension thresholds, sort, recommendation, exact-name search, CSV export, bulk move),
// comments with an @mention that notifies the colleague, the full history, the manager's review queue on a
// phone (approve; decline needs a reason; another department's manager is refused), the candidate's device
// check with chromium's fake camera and microphone, and reference answers in the question bank.
// Run: node --test tests/e2e/  (scripts/web.sh test does it all)
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
  FAKE_MEDIA,
} from './harness.mjs'

const T = { timeout: 120_000 }
let server
let browser
const s = {}

async function checkAxe(page, name) {
  const v = await axeSerious(page)
  assert.deepEqual(v, [], `axe serious/critical violations on ${name}:\n${JSON.stringify(v, null, 2)}`)
}

function need(...keys) {
  for (const k of keys) if (s[k] === undefined) throw new Error(`prerequisite missing: ${k} (an earlier test failed)`)
}

before(async () => {
  server = await startServer()
  // The fake devices only matter to the device check; they change nothing else.
  browser = await launchBrowser(FAKE_MEDIA)
})

after(async () => {
  await cleanupAll()
})

test('serve --demo names the demo organisation without configuration', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'hr.wang@xinghai.example')
  s.hr = page
  const jobs = (await api(page, 'GET', '/api/v1/jobs?limit=50')).body.items
  s.jobs = Object.fromEntries(jobs.map((j) => [j.title, j]))
  const cand = await api(page, 'POST', '/api/v1/candidates', { name: '设备检测候选人', email: 'device.check@example.com' })
  assert.equal(cand.status, 201)
  s.deviceCandidate = cand.body.id
  // A plan that takes audio and video answers (the risk analyst job), for the device check below.
  const job = s.jobs['风控分析师']
  const plan = (await api(page, 'GET', `/api/v1/jobs/${job.id}/interview-plan`)).body
  const { job_id: _j, updated_at: _u, ...put } = plan
  const r = await api(page, 'PUT', `/api/v1/jobs/${job.id}/interview-plan`, { ...put, answer_modes: ['text', 'audio', 'video'] })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const app = await api(page, 'POST', '/api/v1/applications', { candidate_id: cand.body.id, job_id: job.id })
  const inv = await api(page, 'POST', `/api/v1/applications/${app.body.id}/invitation`, {})
  assert.equal(inv.status, 201)
  s.deviceToken = inv.body.token
  const overview = await (await fetch(`${server.base}/api/v1/interview/${s.deviceToken}`)).json()
  assert.equal(overview.organisation, '星海科技集团')
})

test('dashboard: unviewed results oldest first with their age, the funnel chart and recent activity', T, async () => {
  need('hr')
  const page = s.hr
  await page.goto(`${server.base}/`)
  await page.waitForSelector('[data-test=todo-item]')
  const before = (await api(page, 'GET', '/api/v1/dashboard')).body
  assert.ok(before.todo.total >= 5, `demo results waiting: ${before.todo.total}`)
  const finished = before.todo.items.map((i) => i.finished_at)
  assert.deepEqual(finished, [...finished].sort(), 'oldest first')
  const ages = await page.locator('[data-test=todo-age]').allInnerTexts()
  assert.ok(ages.length > 0 && ages.every((a) => /\d+ (小时|天)/.test(a)), ages.join('|'))
  await page.waitForSelector('[data-test=funnel-chart] canvas')
  assert.ok((await page.locator('[data-test=activity-item]').count()) > 0)
  assert.match(await page.locator('[data-test=activity]').innerText(), /AI 评分完成|完成了 AI 面试|发送了 AI 面试邀请/)
  await page.waitForTimeout(300) // the chart draws
  await screenshot(page, 'dashboard', { fullPage: true })
  await checkAxe(page, 'dashboard')

  // Opening the oldest result takes it off everyone's to-do.
  const first = page.locator('[data-test=todo-item] a').first()
  const name = await first.innerText()
  await first.click()
  await page.waitForSelector('[data-test=score-overview]')
  assert.equal(await page.locator('[data-test=candidate-name]').innerText(), name)
  const after = (await api(page, 'GET', '/api/v1/dashboard')).body
  assert.equal(after.todo.total, before.todo.total - 1)
  assert.ok(!after.todo.items.some((i) => i.application_id === before.todo.items[0].application_id))
})

test('applications: dimension threshold, sort by score, recommendation, exact-name search, CSV export', T, async () => {
  need('hr', 'jobs')
  const page = s.hr
  const job = s.jobs['销售经理']
  const model = (await api(page, 'GET', `/api/v1/jobs/${job.id}/competency-model`)).body
  const dim = model.dimensions[0]
  await page.goto(`${server.base}/applications`)
  await page.waitForSelector('[data-test=applications-table] .el-table__row')
  await page.click('[data-test=filter-job]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^销售经理$/ }).click()
  await page.waitForURL(/job=/)
  await page.click('[data-test=dim-key]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: dim.name }).click()
  await page.fill('[data-test=dim-min] input', '60')
  await page.locator('[data-test=dim-min] input').press('Tab')
  const resp = page.waitForResponse((r) => r.url().includes('/api/v1/applications?') && r.url().includes(`dim=${dim.key}%3A60`))
  await page.click('[data-test=dim-add]')
  await resp
  await page.locator('[data-test=dim-chip]', { hasText: `${dim.name} ≥ 60` }).waitFor()
  // The table shows exactly what the API finds for the same filter, every row meeting it.
  const expect = (await api(page, 'GET', `/api/v1/applications?job_id=${job.id}&dim=${dim.key}:60&limit=200`)).body
  assert.ok(expect.total >= 1, 'some sales candidates score 60+ on the first dimension')
  for (const a of expect.items) assert.ok(a.interview.dimension_scores[dim.key] >= 60)
  await page.locator('[data-test=total]', { hasText: String(expect.total) }).waitFor()
  assert.equal(await page.locator('[data-test=applications-table] .el-table__row').count(), Math.min(20, expect.total))

  // Best score first.
  await page.click('[data-test=sort]')
  const sorted = page.waitForResponse((r) => r.url().includes('sort=-overall'))
  await page.locator('.el-select-dropdown__item:visible', { hasText: '综合得分从高到低' }).click()
  await sorted
  await page.waitForTimeout(200)
  const scores = (await page.locator('[data-test=overall]').allInnerTexts()).map(Number)
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a))
  await screenshot(page, 'applications-filters', { fullPage: false })
  await checkAxe(page, 'applications with filters')

  // The export has the same rows (UTF-8 with BOM, Chinese headers).
  const href = await page.locator('[data-test=export-csv]').getAttribute('href')
  assert.match(href, /export\.csv\?.*dim=/)
  const csv = await page.evaluate(async (u) => {
    const r = await fetch(u)
    return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())] }
  }, href)
  assert.equal(csv.status, 200)
  assert.deepEqual(csv.bytes.slice(0, 3), [0xef, 0xbb, 0xbf]) // the byte-order mark Excel needs
  const text = new TextDecoder().decode(new Uint8Array(csv.bytes)) // drops the BOM
  const lines = text.trim().split('\r\n')
  assert.match(lines[0], /^申请ID,候选人/)
  assert.equal(lines.length - 1, expect.total)

  // Recommendation and an exact full-name search (no substrings).
  await page.click('button:has-text("重置")')
  await page.click('[data-test=filter-recommendation]')
  const rec = page.waitForResponse((r) => r.url().includes('recommendation=review'))
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^待定$/ }).click()
  await rec
  const reviewTotal = (await api(page, 'GET', '/api/v1/applications?recommendation=review&limit=1')).body.total
  assert.ok(reviewTotal > 0, 'demo results to review')
  await page.locator('[data-test=total]', { hasText: `共 ${reviewTotal} 条` }).waitFor()
  const tags = await page.locator('[data-test=applications-table] [data-test=recommendation]').allInnerTexts()
  assert.ok(tags.length > 0 && tags.every((x) => x === '待定'), `tags: ${tags.join('|')}`)
  await page.click('button:has-text("重置")')
  await page.fill(':is([data-test=filter-q] input, input[data-test=filter-q])', '陈浩然')
  await page.click('[data-test=search]')
  await page.locator('[data-test=total]', { hasText: '共 1 条' }).waitFor()
  assert.equal(await page.locator('[data-test=application-link]').innerText(), '陈浩然')
  await page.fill(':is([data-test=filter-q] input, input[data-test=filter-q])', '陈浩')
  await page.click('[data-test=search]')
  await page.locator('[data-test=total]', { hasText: '共 0 条' }).waitFor()
})

test('applications: bulk move of selected applications to another stage', T, async () => {
  need('hr')
  const page = s.hr
  await page.goto(`${server.base}/applications?stage=new&job=${s.jobs['门店经理'].id}`)
  await page.locator('[data-test=applications-table] .el-table__row').first().waitFor()
  const rows = page.locator('[data-test=applications-table] .el-table__row')
  const n = await rows.count()
  assert.ok(n >= 2)
  for (let i = 0; i < 2; i++) await rows.nth(i).locator('.el-checkbox').click()
  await page.locator('[data-test=bulk-bar]', { hasText: '已选 2 项' }).waitFor()
  await page.click('[data-test=bulk-stage]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^简历筛选$/ }).click()
  await page.click('[data-test=bulk-move]')
  await confirmBox(page)
  await page.locator('[data-test=bulk-result]', { hasText: '成功 2 项，失败 0 项' }).waitFor()
  await page.locator('.el-dialog__footer .el-button--primary:visible').click()
  await page.waitForFunction((m) => document.querySelectorAll('[data-test=applications-table] .el-table__row').length === m, n - 2)
})

test('comments: HR mentions a manager with the autocomplete; the manager is notified and sees the history', T, async () => {
  need('hr')
  const page = s.hr
  const list = (await api(page, 'GET', `/api/v1/applications?job_id=${s.jobs['销售经理'].id}&stage=hr_review`)).body
  assert.equal(list.items.length, 1)
  s.reviewApp = list.items[0]
  await page.goto(`${server.base}/applications/${s.reviewApp.id}`)
  await page.waitForSelector('[data-test=comments]')
  const box = page.locator(':is([data-test=comment-body] textarea, textarea[data-test=comment-body])')
  await box.click()
  await box.pressSequentially('综合表现不错，请 @刘')
  await page.locator('.el-mention-dropdown__item:visible', { hasText: '刘建国' }).click()
  await box.pressSequentially('确认是否进入复试。')
  await page.click('[data-test=comment-submit]')
  const comment = page.locator('[data-test=comment]').first()
  await comment.locator('[data-test=mention]', { hasText: '@刘建国' }).waitFor()
  const stored = (await api(page, 'GET', `/api/v1/applications/${s.reviewApp.id}/comments`)).body.items[0]
  assert.deepEqual(stored.mentions.map((m) => m.name), ['刘建国'])
  await screenshot(page, 'comments', { fullPage: false })
  await checkAxe(page, 'application with comments')

  const mgr = await newPage(browser, DESKTOP)
  await signIn(mgr, server.base, 'mgr.liu@xinghai.example')
  await mgr.locator('[data-test=unread-count]', { hasText: '1' }).waitFor()
  await mgr.click('[data-test=notifications]')
  const item = mgr.locator('[data-test=notification]').first()
  await item.waitFor()
  assert.match(await item.innerText(), /王丽 在 .+（销售经理）的评论中提到了你/)
  await item.click()
  await mgr.waitForURL(new RegExp(`/applications/${s.reviewApp.id}$`))
  await mgr.locator('[data-test=unread-count]').waitFor({ state: 'detached' })
  await mgr.getByRole('tab', { name: '完整记录' }).click()
  await mgr.locator('[data-test=timeline-item]', { hasText: '发表了评论' }).waitFor()
  assert.ok((await mgr.locator('[data-test=timeline-item]', { hasText: '创建了申请' }).count()) === 1)
  await mgr.context().close()
})

test('manager on a phone: the review queue; decline needs a reason; approve moves to the second round', T, async () => {
  need('reviewApp')
  const page = await newPage(browser, PHONE)
  await signIn(page, server.base, 'mgr.liu@xinghai.example') // sales and retail
  await page.click('[data-test=menu-button]')
  await page.getByRole('link', { name: '待我审批' }).click()
  await page.locator('[data-test=review-item]').first().waitFor()
  const queue = (await api(page, 'GET', '/api/v1/reviews')).body
  assert.ok(queue.total >= 2, 'the sales and the store manager applications in HR review')
  assert.equal(await page.locator('[data-test=review-item]').count(), queue.items.length)
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scrolling on a phone')
  await screenshot(page, 'reviews-phone', { fullPage: true })
  await checkAxe(page, 'review queue (phone)')

  // Decline the other one: a reason is required.
  const other = queue.items.find((a) => a.id !== s.reviewApp.id)
  const card = page.locator('[data-test=review-item]', { has: page.locator(`a[href="/applications/${other.id}"]`) })
  await card.locator('[data-test=decline]').click()
  await card.locator('[data-test=decision-submit]').click()
  await card.locator('[role=alert]', { hasText: '不予录用时请填写原因' }).waitFor()
  await card.locator(':is([data-test=decision-comment] textarea, textarea[data-test=decision-comment])').fill('门店管理经验不足，暂不进入复试。')
  await card.locator('[data-test=decision-submit]').click()
  await card.waitFor({ state: 'detached' })
  assert.equal((await api(page, 'GET', `/api/v1/applications/${other.id}`)).body.stage, 'rejected')

  // Approve from the application page.
  await page.goto(`${server.base}/applications/${s.reviewApp.id}`)
  await page.locator('[data-test=decision] [data-test=approve]').click()
  await page.fill(':is([data-test=decision-comment] textarea, textarea[data-test=decision-comment])', '同意进入复试。')
  await page.click('[data-test=decision-submit]')
  await page.locator('.sub', { hasText: '复试' }).waitFor()
  await page.locator('[data-test=decision]').waitFor({ state: 'detached' })
  const app = (await api(page, 'GET', `/api/v1/applications/${s.reviewApp.id}`)).body
  assert.equal(app.stage, 'second_round')
  const comments = (await api(page, 'GET', `/api/v1/applications/${s.reviewApp.id}/comments`)).body.items
  assert.equal(comments[0].kind, 'decision')
  assert.equal(comments[0].body, '同意进入复试。')
  await page.context().close()

  // A manager of other departments: the application and its decision are refused as if missing.
  const outsider = await newPage(browser, DESKTOP)
  await signIn(outsider, server.base, 'mgr.huang@xinghai.example') // R&D and risk
  await outsider.goto(`${server.base}/applications/${s.reviewApp.id}`)
  const err = outsider.locator('[data-test=load-error]')
  await err.waitFor()
  assert.match(await err.innerText(), /内容不存在，或不在你的权限范围内/)
  const refused = await api(outsider, 'POST', `/api/v1/applications/${s.reviewApp.id}/decision`, { decision: 'decline', comment: '越权' })
  assert.equal(refused.status, 404)
  await outsider.goto(`${server.base}/reviews`)
  await outsider.waitForSelector('[data-test=reviews-total]')
  assert.equal(await outsider.locator(`a[href="/applications/${s.reviewApp.id}"]`).count(), 0)
  await outsider.context().close()
})

test('candidate device check: camera preview and microphone level with fake devices (plan with audio and video)', T, async () => {
  need('deviceToken')
  const page = await newPage(browser, PHONE)
  await page.goto(`${server.base}/interview/${s.deviceToken}`)
  await page.waitForSelector('[data-test=device-check]')
  await page.click('[data-test=device-start]')
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-test=device-video]')
    return v && v.videoWidth > 0 && !v.paused
  })
  // Chromium's fake microphone beeps: the level bar moves and the check reports sound.
  await page.locator('[data-test=device-check]', { hasText: '设备正常，可以开始面试。' }).waitFor({ timeout: 15_000 })
  await screenshot(page, 'device-check', { fullPage: false })
  await checkAxe(page, 'candidate device check')
  await page.click('[data-test=device-stop]')
  await page.locator('[data-test=device-start]').waitFor()
  await page.context().close()
})

test('question bank: HR adds a scored reference answer to a question', T, async () => {
  need('hr')
  const page = s.hr
  await page.goto(`${server.base}/questions`)
  await page.locator('.el-table__row').first().waitFor()
  await page.locator('.el-table__row').first().getByRole('button', { name: '编辑' }).click()
  await page.waitForSelector('[data-test=ref-answers]')
  const before = await page.locator('[data-test=ref-answer]').count()
  await page.click('[data-test=ref-add]')
  const added = page.locator('[data-test=ref-answer]').nth(before)
  await added.locator(':is([data-test=ref-text] textarea, textarea[data-test=ref-text])').fill('我曾带领五人团队在三个月内把华东区的续约率从70%提升到92%，方法是每周复盘流失原因。')
  await added.locator('[data-test=ref-score] input').fill('90')
  await added.locator('[data-test=ref-score] input').press('Tab')
  await checkAxe(page, 'question dialog')
  const saved = page.waitForResponse((r) => r.url().includes('/api/v1/questions/') && r.request().method() === 'PATCH')
  await page.click('[data-test=q-save]')
  const resp = await saved
  assert.equal(resp.status(), 200)
  const q = await resp.json()
  assert.equal(q.reference_answers.length, before + 1)
  const last = q.reference_answers[before]
  assert.equal(last.score, 90)
  assert.equal(last.language, 'zh')
  assert.match(last.text, /续约率从70%提升到92%/)
})

test('no page threw an uncaught error', T, async () => {
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) assert.deepEqual(p.errors ?? [], [])
})
