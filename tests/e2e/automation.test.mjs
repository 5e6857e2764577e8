// Browser tests of the automation and integration pages (issues #5 and #6) against a real
// `zhimian serve --demo` (its own fresh SQLite data dir): the admin edits an automation rule and sees the
// server's field error at the condition, then runs a dry-run; saves a message template with an unknown
// variable and sees the refusal; subscribes a local HTTP receiver (started here) to webhooks, sends a test
// event, sees the delivery succeed with status 200 and replays it (the receiver gets the same signed message
// twice); retries a dead background job (written into the database like tests/integration/jobs_support.py)
// while an auditor sees the list read-only; HR imports ratings on a question and sees a line-numbered problem
// and the not-enough-ratings refusal of training. axe-core on every page; screenshots of the main screens.
// Run: node --test tests/e2e/  (scripts/web.sh test does it all)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import { join } from 'node:path'
import {
  startServer,
  launchBrowser,
  newPage,
  screenshot,
  axeSerious,
  signIn,
  api,
  confirmBox,
  cleanupAll,
  onCleanup,
  DESKTOP,
  ADMIN_PASSWORD,
} from './harness.mjs'

const T = { timeout: 120_000 }
let server
let browser
let receiver
const s = {}

async function checkAxe(page, name) {
  const v = await axeSerious(page)
  assert.deepEqual(v, [], `axe serious/critical violations on ${name}:\n${JSON.stringify(v, null, 2)}`)
}

function need(...keys) {
  for (const k of keys) if (s[k] === undefined) throw new Error(`prerequisite missing: ${k} (an earlier test failed)`)
}

/** A webhook receiver on 127.0.0.1 that answers 200 and keeps every request (headers and raw body). */
function startReceiver() {
  const got = []
  const srv = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      got.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      onCleanup(() => new Promise((r) => srv.close(r)))
      resolve({ port: srv.address().port, got })
    })
  })
}

// Crockford base32 ULID, as the server's ids.
function ulid() {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  let ms = Date.now()
  let head = ''
  for (let i = 0; i < 10; i++) {
    head = A[ms % 32] + head
    ms = Math.floor(ms / 32)
  }
  const rnd = randomBytes(16)
  let tail = ''
  for (let i = 0; i < 16; i++) tail += A[rnd[i] % 32]
  return head + tail
}

/** A dead job of a kind no worker claims, written into the server's SQLite database (python3's sqlite3). */
function insertDeadJob(dataDir, reason) {
  const id = ulid()
  const now = Date.now()
  const py = `
import sqlite3, sys, json
con = sqlite3.connect(sys.argv[1], timeout=30)
con.execute("INSERT INTO background_jobs (id, kind, payload, idempotency_key, state, attempts, max_attempts, run_at, last_error, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, 'dead', 3, 3, ?, ?, ?, ?, ?)",
            (sys.argv[2], 'e2e.dead', json.dumps({'application_id': sys.argv[2]}), 'e2e-dead:' + sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[3]), int(sys.argv[3]), int(sys.argv[3])))
con.commit()
`
  const r = spawnSync('python3', ['-c', py, join(dataDir, 'zhimian.db'), id, String(now), reason], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error('inserting a dead job: ' + r.stderr)
  return id
}

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
  receiver = await startReceiver()
})

after(async () => {
  await cleanupAll()
})

test('admin: the automation menu, an invalid rule condition refused at its field, a valid edit saved', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'admin@example.com', ADMIN_PASSWORD)
  s.admin = page
  // A job with finished interviews, for the dry-run.
  const jobs = (await api(page, 'GET', '/api/v1/jobs?limit=50')).body.items
  for (const j of jobs) {
    const d = await api(page, 'POST', `/api/v1/jobs/${j.id}/automation-rules/dry-run`)
    if (d.status === 200 && d.body.items.length > 0) {
      s.job = j
      s.dryItems = d.body.items.length
      break
    }
  }
  assert.ok(s.job, 'the demo has a job with finished interviews')

  await page.goto(`${server.base}/`)
  for (const href of ['/automation/rules', '/automation/background-jobs', '/settings/templates', '/settings/channels', '/settings/webhooks'])
    assert.equal(await page.locator(`nav a[href="${href}"]`).count(), 1, `menu link ${href}`)
  await page.click('nav a[href="/automation/rules"]')
  const org = page.locator('[data-test=rules-org]')
  await org.locator('[data-test=rule-name]').first().waitFor()
  assert.equal(await org.locator('[data-test=rule-name]').count(), 3, 'the three organisation defaults')
  await checkAxe(page, 'automation rules')

  // Edit the high-score default: 90 <= overall < 70 is impossible; the server's message appears at the field.
  await org.locator('[data-test=rule-edit]').first().click()
  const dialog = page.locator('[data-test=rule-dialog]')
  await dialog.locator('[data-test=rule-form-name]').waitFor()
  await dialog.locator('[data-test=cond-overall-gte] input').fill('90')
  await dialog.locator('[data-test=cond-overall-lt] input').fill('70')
  await dialog.locator('[data-test=cond-overall-lt] input').blur()
  await dialog.locator('[data-test=rule-save]').click()
  const fieldError = dialog.locator('[data-test=cond-overall] .el-form-item__error')
  await fieldError.waitFor()
  assert.match(await fieldError.textContent(), /impossible/)
  await dialog.locator('[data-test=rule-form-error]').waitFor()
  await screenshot(page, 'automation-rule-field-error')
  await checkAxe(page, 'automation rule editor')
  const unchanged = (await api(page, 'GET', '/api/v1/automation-rules?scope=organisation')).body.items[0]
  assert.deepEqual(unchanged.conditions.overall, { gte: 80 }, 'a refused edit changes nothing')

  // Correct it: at least 85, no upper bound.
  await dialog.locator('[data-test=cond-overall-lt] input').fill('')
  await dialog.locator('[data-test=cond-overall-lt] input').blur()
  await dialog.locator('[data-test=cond-overall-gte] input').fill('85')
  await dialog.locator('[data-test=cond-overall-gte] input').blur()
  await dialog.locator('[data-test=rule-save]').click()
  await dialog.waitFor({ state: 'hidden' })
  const saved = (await api(page, 'GET', '/api/v1/automation-rules?scope=organisation')).body.items[0]
  assert.deepEqual(saved.conditions.overall, { gte: 85 })
  await org.locator('text=≥ 85').first().waitFor()
})

test('admin: the dry-run lists the job\'s finished interviews and what each rule would do', T, async () => {
  need('admin', 'job')
  const page = s.admin
  await page.goto(`${server.base}/automation/rules?job_id=${s.job.id}`)
  await page.locator('[data-test=rules-job]').waitFor()
  await page.click('[data-test=dry-run-run]')
  const summary = page.locator('[data-test=dry-run-summary]')
  await summary.waitFor()
  assert.match(await summary.textContent(), new RegExp(`共 ${s.dryItems} 个`))
  assert.equal(await page.locator('[data-test=dry-run-table] .el-table__row').count(), s.dryItems)
  const fired = await page.locator('[data-test=dry-run-fire]').count()
  const api_ = (await api(page, 'POST', `/api/v1/jobs/${s.job.id}/automation-rules/dry-run`)).body
  const expected = api_.items.reduce((n, i) => n + i.rules.filter((r) => r.would_fire || r.already_fired).length, 0)
  assert.equal(fired, expected, 'one line per rule that fires')
  await screenshot(page, 'automation-dry-run', { fullPage: true })
  await checkAxe(page, 'automation dry-run')

  // A job rule: tried on the job before saving, saved, disabled, deleted.
  const jobRules = page.locator('[data-test=rules-job]')
  await page.click('[data-test=rule-create-job]')
  const dialog = page.locator('[data-test=rule-dialog]')
  await dialog.locator('[data-test=rule-form-name]').fill('高分提醒经理')
  await dialog.locator('[data-test=cond-overall-gte] input').fill('70')
  await dialog.locator('[data-test=cond-overall-gte] input').blur()
  await dialog.locator('[data-test=action-0] input[placeholder=任务标题]').fill('请尽快安排复试')
  await dialog.locator('[data-test=rule-dry-run]').click()
  await dialog.locator('[data-test=proposed-result]').waitFor()
  assert.match(await dialog.locator('[data-test=proposed-result]').textContent(), new RegExp(`${s.dryItems} 个申请`))
  await dialog.locator('[data-test=rule-save]').click()
  await dialog.waitFor({ state: 'hidden' })
  await jobRules.locator('[data-test=rule-name]', { hasText: '高分提醒经理' }).waitFor()
  const mine = () => api(page, 'GET', `/api/v1/automation-rules?job_id=${s.job.id}`)
  let rules = (await mine()).body.items
  assert.equal(rules.length, 1)
  assert.deepEqual(rules[0].actions, [{ type: 'create_task', kind: 'human_review', title: '请尽快安排复试' }])
  await jobRules.locator('[data-test=rule-enabled]').click()
  await page.waitForFunction(() => !document.querySelector('[data-test=rules-job] [data-test=rule-enabled]')?.classList.contains('is-checked'))
  rules = (await mine()).body.items
  assert.equal(rules[0].enabled, false)
  await jobRules.locator('[data-test=rule-delete]').click()
  await confirmBox(page)
  await jobRules.locator('[data-test=rule-name]').waitFor({ state: 'detached' })
  assert.deepEqual((await mine()).body.items, [])
})

test('admin: a template with an unknown variable is refused at save; the preview renders sample values', T, async () => {
  need('admin')
  const page = s.admin
  await page.goto(`${server.base}/settings/templates`)
  await page.click('[data-test=template-edit-thank_you]')
  const dialog = page.locator('[data-test=template-dialog]')
  const body = dialog.locator('textarea[data-test=template-body-zh]')
  await body.waitFor()
  assert.ok((await dialog.locator('[data-test=template-variables]').textContent()).includes('{{candidate_name}}'))
  await dialog.locator('[data-test=template-preview-run]').click()
  await dialog.locator('[data-test=template-preview]').waitFor()
  assert.ok(!(await dialog.locator('[data-test=template-preview]').textContent()).includes('{{'), 'variables replaced by samples')

  await body.fill('{{candidat_name}}，您好：感谢您参加{{job_title}}职位的面试。')
  await dialog.locator('[data-test=template-save]').click()
  const err = dialog.locator('.el-form-item__error')
  await err.first().waitFor()
  assert.match(await err.first().textContent(), /candidat_name/)
  await dialog.locator('[data-test=template-error]').waitFor()
  await screenshot(page, 'templates-unknown-variable')
  await checkAxe(page, 'message template editor')
  const stored = (await api(page, 'GET', '/api/v1/message-templates?limit=50')).body.items.find((t) => t.key === 'thank_you')
  assert.ok(!stored.body_zh.includes('candidat_name'), 'nothing saved')
})

test('admin: webhook subscription with its secret shown once, a test event delivered with 200, replayed', T, async () => {
  need('admin')
  const page = s.admin
  await page.goto(`${server.base}/settings/webhooks`)
  await page.click('[data-test=webhook-create]')
  const dialog = page.locator('[data-test=webhook-dialog]')
  await dialog.locator('input[data-test=webhook-url]').fill(`http://127.0.0.1:${receiver.port}/hooks/zhimian`)
  await dialog.locator('[data-test=webhook-save]').click()
  const secretInput = page.locator('input[data-test=webhook-secret]')
  await secretInput.waitFor()
  const secret = await secretInput.inputValue()
  assert.match(secret, /^whsec_/)
  await screenshot(page, 'webhooks-secret-once')
  await page.click('[data-test=webhook-secret-close]')
  await page.locator('[data-test=webhooks-table] .el-table__row').first().waitFor()
  assert.equal(await page.locator('text=' + secret).count(), 0, 'the secret is not shown again')
  await checkAxe(page, 'webhooks')

  await page.click('[data-test=webhook-test]')
  const rows = page.locator('[data-test=deliveries-table] .el-table__row')
  // The log refreshes itself while a delivery is pending.
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-test=deliveries-table] .el-table__row')
    return r && r.querySelector('[data-test=delivery-code]')?.textContent.trim() === '200'
  }, null, { timeout: 30_000 })
  assert.equal((await rows.first().locator('[data-test=delivery-status]').textContent()).trim(), '成功')
  assert.equal(receiver.got.length, 1)
  const first = receiver.got[0]
  assert.equal(JSON.parse(first.body).type, 'webhook.test')
  // Standard Webhooks: v1,base64(HMAC-SHA256(secret, id.timestamp.body)).
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const sig = createHmac('sha256', key).update(`${first.headers['webhook-id']}.${first.headers['webhook-timestamp']}.${first.body}`).digest('base64')
  assert.ok(first.headers['webhook-signature'].split(' ').includes(`v1,${sig}`), 'signature verifies')

  await rows.first().locator('[data-test=delivery-replay]').click()
  await page.waitForFunction(() => {
    const r = [...document.querySelectorAll('[data-test=deliveries-table] .el-table__row')]
    return r.length >= 2 && r[0].querySelector('[data-test=delivery-replay-tag]') && r[0].querySelector('[data-test=delivery-code]')?.textContent.trim() === '200'
  }, null, { timeout: 30_000 })
  assert.equal(receiver.got.length, 2, 'the receiver got the event twice')
  assert.equal(receiver.got[1].headers['webhook-id'], first.headers['webhook-id'], 'a replay keeps the webhook-id')
  await screenshot(page, 'webhooks-deliveries', { fullPage: true })
})

test('admin: a WeCom robot channel; its webhook URL is write-only (only a hint comes back)', T, async () => {
  need('admin')
  const page = s.admin
  const key = randomBytes(12).toString('hex')
  await page.goto(`${server.base}/settings/channels`)
  await page.click('[data-test=channel-create]')
  const dialog = page.locator('[data-test=channel-dialog]')
  await dialog.locator('#ch-kind').click({ force: true })
  await page.locator('.el-select-dropdown__item:visible', { hasText: '企业微信' }).click()
  await dialog.locator('#ch-name').fill('招聘群机器人')
  await dialog.locator('#ch-s-webhook_url').fill(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`)
  await dialog.locator('.el-button--primary', { hasText: '保存' }).click()
  await dialog.waitFor({ state: 'hidden' })
  const row = page.locator('[data-test=channels-table] .el-table__row', { hasText: '招聘群机器人' })
  await row.waitFor()
  assert.ok(!(await row.textContent()).includes(key), 'the secret is not shown')
  assert.ok((await row.textContent()).includes(key.slice(-4)), 'a hint of it is')
  const listed = await api(page, 'GET', '/api/v1/notification-channels')
  assert.ok(!JSON.stringify(listed.body).includes(key))
  // Editing without typing the secret keeps it.
  await row.locator('.el-button', { hasText: '编辑' }).click()
  await dialog.locator('#ch-name').fill('招聘群机器人（校招）')
  assert.equal(await dialog.locator('#ch-s-webhook_url').inputValue(), '')
  await dialog.locator('.el-button--primary', { hasText: '保存' }).click()
  await dialog.waitFor({ state: 'hidden' })
  const ch = (await api(page, 'GET', '/api/v1/notification-channels')).body.items.find((c) => c.name === '招聘群机器人（校招）')
  assert.ok(ch.secrets.webhook_url.endsWith(key.slice(-4)), JSON.stringify(ch.secrets))
  await screenshot(page, 'notification-channels')
  await checkAxe(page, 'notification channels')
})

test('admin retries a dead background job; an auditor sees the dead letters read-only', T, async () => {
  need('admin')
  const page = s.admin
  const reason = 'smtp: 550 mailbox unavailable (e2e)'
  const id = insertDeadJob(server.dataDir, reason)
  await page.goto(`${server.base}/automation/background-jobs`)
  const row = page.locator('[data-test=jobs-table] .el-table__row', { hasText: reason })
  await row.waitFor()
  assert.match(await row.textContent(), /3 \/ 3/)
  assert.equal((await row.locator('[data-test=job-state]').textContent()).trim(), '死信')
  await screenshot(page, 'background-jobs-dead')
  await checkAxe(page, 'background jobs')

  const auditor = await newPage(browser, DESKTOP)
  await signIn(auditor, server.base, 'audit.he@xinghai.example')
  await auditor.goto(`${server.base}/automation/background-jobs`)
  await auditor.locator('[data-test=jobs-table] .el-table__row', { hasText: reason }).waitFor()
  assert.equal(await auditor.locator('[data-test=job-retry]').count(), 0, 'no retry button for auditors')
  assert.equal(await auditor.locator('nav a[href="/settings/webhooks"]').count(), 0, 'no integrations menu for auditors')
  await auditor.context().close()

  await row.locator('[data-test=job-retry]').click()
  await row.waitFor({ state: 'detached' })
  const job = (await api(page, 'GET', `/api/v1/background-jobs/${id}`)).body
  assert.equal(job.state, 'queued')
  assert.equal(job.attempts, 0)
})

test('HR imports ratings on a question and sees the line-numbered problem; training needs more ratings', T, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'hr.wang@xinghai.example')
  await page.goto(`${server.base}/questions`)
  await page.locator('[data-test=question-models]').first().click()
  await page.locator('[data-test=models-question]').waitFor()
  const before = Number((await page.locator('[data-test=ratings-count]').textContent()).trim())
  await page.fill('textarea[data-test=ratings-text]', 'label,text\n3,我在项目中负责协调三个团队，按周复盘，最终提前两周上线。\nx,这一行的评分不是数字\n2,我会先了解需求再动手。\n')
  await page.click('[data-test=ratings-import-run]')
  const problem = page.locator('[data-test=import-problem]')
  await problem.first().waitFor()
  assert.equal(await problem.count(), 1)
  assert.match(await problem.first().textContent(), /^第 3 行：/)
  assert.match(await page.locator('[data-test=import-report]').textContent(), /读取 3 行，导入 2 行，跳过 1 行/)
  await page.waitForFunction((n) => document.querySelector('[data-test=ratings-count]')?.textContent.trim() === String(n), before + 2)
  assert.equal(await page.locator('[data-test=ratings-list] .el-table__row').count(), Math.min(20, before + 2))

  await page.click('[data-test=models-train]')
  const refusal = page.locator('[data-test=models-train-error]')
  await refusal.waitFor()
  assert.match(await refusal.textContent(), /至少需要 50 条/)
  await screenshot(page, 'scoring-models', { fullPage: true })
  await checkAxe(page, 'scoring models')
  assert.deepEqual(page.errors, [])
  assert.deepEqual(s.admin.errors, [])
})

// ---- supervised scoring: train on 60 ratings in the page, then a new answer is scored by the model ----
const SITUATIONS = [
  '2023年我负责华东区一个年合同额200万元的连锁零售客户，客户因为竞品降价准备流失。',
  '去年一个合作了三年的制造业大客户对交付周期不满，准备换供应商。',
  '前年我接手一个年采购额120万元的医疗客户，对方连续两个季度下单减少。',
]
const ACTIONS = [
  '我先拜访了客户的采购总监和运营负责人，倾听客户需求，发现真正的痛点是上线太慢。',
  '我约了客户做了两次深度访谈，询问客户最在意的问题，整理出三条核心诉求。',
  '随后我和售前团队一起设计了分阶段上线方案，并请交付同事给出明确的时间表。',
  '在谈判中我没有直接降价，而是用价值说服对方，经过三轮谈判达成双赢。',
]
const RESULTS = ['最终客户续约三年，并增购30%。', '三个月后客户满意度从60分提升到90分，续签了合同。']
const VAGUE = ['我觉得应该多和客户沟通吧。', '就是尽量满足客户的要求。', '看情况处理，差不多就行。', '我会跟领导汇报一下。']
const pickN = (xs, n, k) => Array.from({ length: n }, (_, i) => xs[(k + i) % xs.length])
function ratedAnswer(label, k) {
  if (label === 3) return [SITUATIONS[k % 3], ...pickN(ACTIONS, 3, k), RESULTS[k % 2]].join('')
  if (label === 2) return [SITUATIONS[k % 3], ...pickN(ACTIONS, 2, k)].join('')
  if (label === 1) return [VAGUE[k % 4], ACTIONS[k % 2], VAGUE[(k + 1) % 4]].join('')
  return pickN(VAGUE, 2, k).join('')
}

test('HR trains a model from the page; a new answer shows the model, its rating and features', { timeout: 300_000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await signIn(page, server.base, 'hr.wang@xinghai.example')
  const dep = (await api(page, 'GET', '/api/v1/departments?limit=1')).body.items[0]
  const job = (await api(page, 'POST', '/api/v1/jobs', { title: '客户经理（模型评分）', department_id: dep.id, status: 'open' })).body
  const model = {
    dimensions: [
      {
        key: 'communication', name: '沟通能力', name_en: 'Communication', weight: 100, description: '倾听客户需求并推动达成一致',
        indicators: [{ key: 'listening', name: '倾听客户需求', name_en: 'Listens to needs', synonyms: ['了解客户需求', '询问客户'] }],
        level_anchors: ['1级：表达零散', '2级：单向介绍', '3级：能提问确认', '4级：善于倾听追问', '5级：影响高层决策'],
      },
    ],
  }
  assert.equal((await api(page, 'PUT', `/api/v1/jobs/${job.id}/competency-model`, model)).status, 200)
  const q = await api(page, 'POST', '/api/v1/questions', {
    type: 'behavioural', job_id: job.id, dimension_keys: ['communication'], text: { zh: '请讲一个你挽回重要客户的经历。' }, rating_max: 3, expected_length: { min: 30, max: 800 },
  })
  assert.equal(q.status, 201, JSON.stringify(q.body))
  const plan = { sections: [{ key: 'main', title: '行为面试', question_ids: [q.body.id] }], reanswer_limit: 1, feedback_enabled: false, follow_ups_enabled: false }
  assert.equal((await api(page, 'PUT', `/api/v1/jobs/${job.id}/interview-plan`, plan)).status, 200)

  // Import 60 rated answers (TSV) and train in the page; the version's progress is polled until ready.
  await page.goto(`${server.base}/questions/${q.body.id}/models`)
  const tsv = 'label\ttext\n' + Array.from({ length: 60 }, (_, k) => `${k % 4}\t${ratedAnswer(k % 4, k)}`).join('\n') + '\n'
  await page.fill('textarea[data-test=ratings-text]', tsv)
  await page.click('[data-test=ratings-import-run]')
  await page.waitForFunction(() => document.querySelector('[data-test=ratings-count]')?.textContent.trim() === '60')
  await page.click('[data-test=models-train]')
  const versions = page.locator('[data-test=models-versions] .el-table__row')
  await versions.first().waitFor()
  await page.locator('[data-test=models-versions] .el-tag', { hasText: '可用' }).waitFor({ timeout: 240_000 })
  assert.match(await versions.first().textContent(), /v1/)
  await versions.first().locator('.el-button', { hasText: '启用' }).click()
  await page.locator('[data-test=models-scorer]', { hasText: '监督学习模型' }).waitFor()
  await screenshot(page, 'scoring-model-trained', { fullPage: true })
  await checkAxe(page, 'scoring model trained')

  // A candidate answers (their own API calls, as the portal makes them).
  const cand = (await api(page, 'POST', '/api/v1/candidates', { name: '模型评分候选人', email: 'model.scored@example.com' })).body
  const app = (await api(page, 'POST', '/api/v1/applications', { candidate_id: cand.id, job_id: job.id })).body
  const token = (await api(page, 'POST', `/api/v1/applications/${app.id}/invitation`, {})).body.token
  const iv = `${server.base}/api/v1/interview/${token}`
  const post = (path, body) =>
    fetch(iv + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const overview = await (await fetch(iv)).json()
  assert.equal((await post('/consent', { consent_version: overview.data_use.version, accept: true, audio_video_analysis: false })).status, 200)
  assert.equal((await post('/questions/0/answers', { text: ratedAnswer(3, 1) })).status, 201)
  assert.equal((await post('/questions/0/next')).status, 200)
  assert.equal((await post('/finish')).status, 200)

  await page.goto(`${server.base}/applications/${app.id}`)
  await page.getByRole('tab', { name: '面试作答' }).click()
  const used = page.locator('[data-test=answer-model]')
  await used.waitFor()
  assert.match(await used.textContent(), /监督模型 v1 评分[\s\S]*模型评级 \d\/3/)
  assert.ok((await page.locator('[data-test=answers] mark.kind-model').count()) > 0, 'model features highlighted in the answer')
  assert.match(await page.locator('[data-test=answer-explanation]').first().textContent(), /版本 1/)
  await screenshot(page, 'answer-scored-by-model', { fullPage: true })
  await checkAxe(page, 'answer scored by a model')
  assert.deepEqual(page.errors, [])
})
