// Browser tests of the talent pool (人才库) and the invitation e-mail option against a real
// `zhimian serve --demo` (its own fresh SQLite data dir): HR moves a demo application with a finished interview
// to the talent pool through the API, finds the candidate on the page by a tag, re-invites them to another job
// from the dialog with "also e-mail" (the demo has no enabled e-mail channel: the dialog says why nothing was
// queued), sees the link, and sees a second re-invite to the same job refused as a duplicate in the dialog.
// Bulk invite and resend with the e-mail option report the same per link. axe-core on the page and the dialog.
// Run: node --test tests/e2e/  (scripts/web.sh test does it all)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, screenshot, axeSerious, signIn, api, confirmBox, cleanupAll, DESKTOP } from './harness.mjs'

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
  browser = await launchBrowser()
})

after(async () => {
  await cleanupAll()
})

test('HR finds a pool candidate by tag and re-invites them to another job; the dialog shows the link and the e-mail outcome', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'hr.wang@xinghai.example')
  s.hr = page
  // A scored demo application, and another open job that has interviews (so it has a plan) the candidate never applied to.
  const scored = (await api(page, 'GET', '/api/v1/applications?limit=100&interview_status=completed&sort=-overall')).body.items
  const openJobs = new Set((await api(page, 'GET', '/api/v1/jobs?limit=100&status=open')).body.items.map((j) => j.id))
  for (const a of scored) {
    const mine = (await api(page, 'GET', `/api/v1/applications?limit=100&candidate_id=${a.candidate_id}`)).body.items.map((x) => x.job_id)
    const other = scored.find((b) => openJobs.has(b.job_id) && !mine.includes(b.job_id))
    if (other && !['hired', 'rejected'].includes(a.stage)) {
      s.app = a
      s.otherJob = other.job_id
      break
    }
  }
  assert.ok(s.app, 'the demo has a scored application and another open job with a plan')
  const jobs = (await api(page, 'GET', '/api/v1/jobs?limit=100')).body.items
  s.otherTitle = jobs.find((j) => j.id === s.otherJob).title

  const cand = (await api(page, 'GET', `/api/v1/candidates/${s.app.candidate_id}`)).body
  const tag = 'e2e-pool'
  assert.equal((await api(page, 'PATCH', `/api/v1/candidates/${cand.id}`, { tags: [...cand.tags, tag] })).status, 200)
  assert.equal((await api(page, 'PATCH', `/api/v1/applications/${s.app.id}`, { stage: 'talent_pool' })).status, 200)

  await page.goto(`${server.base}/`)
  await page.click('nav a[href="/talent-pool"]')
  await page.locator('[data-test=pool-table]').waitFor()
  await page.fill('input[data-test=pool-tag]', tag)
  await page.click('[data-test=pool-search]')
  const rows = page.locator('[data-test=pool-table] .el-table__row')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=pool-table] .el-table__row').length === 1)
  const row = rows.first()
  assert.ok((await row.textContent()).includes(cand.name), 'HR sees the full name')
  assert.ok((await row.textContent()).includes(tag))
  const pool = (await api(page, 'GET', `/api/v1/talent-pool?tag=${encodeURIComponent(tag)}`)).body.items
  assert.equal(pool.length, 1)
  assert.ok((await row.textContent()).includes(pool[0].best_overall.toFixed(1)), 'the best score is shown')
  await row.locator('.el-tag', { hasText: /^人才库$/ }).waitFor()
  await screenshot(page, 'talent-pool')
  await checkAxe(page, 'talent pool')

  // A high minimum best score leaves the candidate out.
  await page.fill('[data-test=pool-min] input', '100')
  await page.click('[data-test=pool-search]')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=pool-table] .el-table__row').length === 0)
  await page.fill('[data-test=pool-min] input', '')
  await page.click('[data-test=pool-search]')
  await rows.first().waitFor()

  // Re-invite to the other job, also by e-mail.
  await rows.first().locator('[data-test=pool-reinvite]').click()
  const dialog = page.locator('[data-test=reinvite-dialog]')
  await dialog.locator('#reinvite-job').click({ force: true })
  await page.locator('.el-select-dropdown__item:visible', { hasText: s.otherTitle }).first().click()
  await dialog.locator('[data-test=reinvite-send-email]').click()
  // The job list fades out: axe would read its half-transparent options as low contrast.
  await page.waitForFunction(() => [...document.querySelectorAll('.el-select-dropdown')].every((d) => d.closest('.el-popper')?.style.display === 'none'))
  await checkAxe(page, 're-invite dialog')
  await dialog.locator('[data-test=reinvite-send]').click()
  const link = dialog.locator('input[data-test=reinvite-link]')
  await link.waitFor()
  assert.match(await link.inputValue(), /\/interview\/[A-Za-z0-9_-]{20,}$/)
  const email = dialog.locator('[data-test=email-outcome]')
  await email.waitFor()
  assert.match(await email.textContent(), /未发送邮件：没有已启用的邮件通知渠道/, 'the demo has no e-mail channel')
  await screenshot(page, 'talent-pool-reinvite')
  const created = (await api(page, 'GET', `/api/v1/applications?limit=100&candidate_id=${cand.id}&job_id=${s.otherJob}`)).body.items
  assert.equal(created.length, 1)
  assert.equal(created[0].source, '人才库')
  assert.equal(created[0].stage, 'interview_invited')
  s.newApp = created[0].id
  await dialog.locator('[data-test=reinvite-close]').click()
  await dialog.waitFor({ state: 'hidden' })

  // The same job again: the server's duplicate refusal is shown in the dialog and nothing changes.
  await rows.first().locator('[data-test=pool-reinvite]').click()
  await dialog.locator('#reinvite-job').click({ force: true })
  await page.locator('.el-select-dropdown__item:visible', { hasText: s.otherTitle }).first().click()
  await dialog.locator('[data-test=reinvite-send]').click()
  const err = dialog.locator('[data-test=reinvite-error]')
  await err.waitFor()
  assert.match(await err.textContent(), /已申请此岗位/)
  assert.equal((await api(page, 'GET', `/api/v1/applications?limit=100&candidate_id=${cand.id}&job_id=${s.otherJob}`)).body.items.length, 1)
  assert.deepEqual(page.errors, [])
})

test('bulk invite with "also e-mail each link" says per link whether the e-mail was queued', T, async () => {
  need('hr')
  const page = s.hr
  // A fresh application without an interview, to a job with a plan.
  const c = await api(page, 'POST', '/api/v1/candidates', { name: '批量邮件候选人', email: 'bulk.mail@example.com' })
  assert.equal(c.status, 201)
  const a = await api(page, 'POST', '/api/v1/applications', { candidate_id: c.body.id, job_id: s.otherJob })
  assert.equal(a.status, 201)
  await page.goto(`${server.base}/applications?candidate=${c.body.id}`)
  const row = page.locator('.el-table__row', { hasText: '批量邮件候选人' }).first()
  await row.waitFor()
  await row.locator('.el-checkbox').first().click()
  await page.locator('[data-test=bulk-send-email]').click()
  await page.click('[data-test=bulk-invite]')
  await confirmBox(page)
  await page.locator('[data-test=bulk-link]').waitFor()
  const note = page.locator('[data-test=email-outcome]')
  await note.waitFor()
  assert.match(await note.textContent(), /未发送邮件：没有已启用的邮件通知渠道/)
  assert.deepEqual(page.errors, [])
})

test('resend from the application page with "also e-mail the link" shows the new link and the e-mail outcome', T, async () => {
  need('hr', 'newApp')
  const page = s.hr
  await page.goto(`${server.base}/applications/${s.newApp}`)
  const card = page.locator('[data-test=invitation-card]')
  await card.locator('[data-test=resend]').waitFor()
  await card.locator('[data-test=invite-send-email]').click()
  await card.locator('[data-test=resend]').click()
  const link = page.locator('input[data-test=invite-link]')
  await link.waitFor()
  assert.match(await link.inputValue(), /\/interview\/[A-Za-z0-9_-]{20,}$/)
  const note = page.locator('.el-dialog [data-test=email-outcome]')
  await note.waitFor()
  assert.match(await note.textContent(), /未发送邮件：没有已启用的邮件通知渠道/)
  await checkAxe(page, 'invitation link dialog')
  await page.click('[data-test=close-link]')
  assert.deepEqual(page.errors, [])
})
