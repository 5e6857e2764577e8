// The applications table with 10,000 applications loads and filters in under 1 s (issue #5): the table
// pages and filters on the server, so the browser only ever holds one page; the 1 s holds for the median
// of five runs of each step after a warm-up (see below). Seeds a fresh server through
// the API (candidates + applications, 16 at a time), then measures in chromium.
// E2E_PERF_N changes the count (default 10000); E2E_SKIP_PERF=1 skips the file.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, signIn, cleanupAll, DESKTOP, DEMO_PASSWORD } from './harness.mjs'

const N = Number(process.env.E2E_PERF_N || 10_000)
const LIMIT_MS = 1000
const skip = process.env.E2E_SKIP_PERF === '1'
let server
let browser

before(async () => {
  if (skip) return
  server = await startServer()
  browser = await launchBrowser()
})
after(async () => {
  await cleanupAll()
})

async function seed(base, n) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'hr.wang@xinghai.example', password: DEMO_PASSWORD }),
  })
  const cookie = login.headers.get('set-cookie').split(';')[0]
  const { csrf_token } = await login.json()
  const h = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf_token }
  const jobs = (await (await fetch(`${base}/api/v1/jobs?limit=10`, { headers: h })).json()).items
  const stages = ['new', 'screening', 'interview_invited', 'hr_review', 'second_round']
  let next = 0
  async function worker() {
    for (;;) {
      const k = next++
      if (k >= n) return
      const c = await fetch(`${base}/api/v1/candidates`, { method: 'POST', headers: h, body: JSON.stringify({ name: `压测候选人${k}`, email: `perf${k}@example.com` }) })
      if (c.status !== 201) throw new Error(`candidate ${k}: ${c.status} ${await c.text()}`)
      const a = await fetch(`${base}/api/v1/applications`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ candidate_id: (await c.json()).id, job_id: jobs[k % jobs.length].id, stage: stages[k % stages.length] }),
      })
      if (a.status !== 201) throw new Error(`application ${k}: ${a.status} ${await a.text()}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return jobs
}

// Each step is timed in the page (performance.now), not around Playwright calls, which add their own
// latency on a busy machine: from the user's click (a capture-phase listener) to the first animation frame
// in which the table shows the expected rows. Every step runs once to warm up (first-use code and caches)
// and then five times with different values; the median must stay under the limit (on a shared 2-core
// machine a run now and then takes seconds for reasons outside the page: the median ignores two of them).
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

test(`the applications table with ${N} applications loads and filters in under ${LIMIT_MS} ms`, { skip, timeout: 420_000 }, async () => {
  const t0 = Date.now()
  const jobs = await seed(server.base, N)
  console.log(`# seeded ${N} candidates and applications in ${Date.now() - t0} ms`)
  const page = await newPage(browser, DESKTOP)
  await page.addInitScript(() => {
    const w = window
    w.__perf = { click: 0, done: 0, firstRow: 0 }
    document.addEventListener('click', () => (w.__perf.click = performance.now()), true)
    const tick = () => {
      if (!w.__perf.firstRow && document.querySelector('[data-test=applications-table] .el-table__row')) w.__perf.firstRow = performance.now()
      if (!w.__perf.firstRow) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    // The conditions a step waits for: rows shown; every cell of a column equal to a text; the pager at a page.
    const checks = {
      rows: () => document.querySelectorAll('[data-test=applications-table] .el-table__row').length > 0,
      column: ([column, expected]) => {
        const cells = [...document.querySelectorAll(`[data-test=applications-table] .el-table__row td:nth-child(${column})`)]
        return cells.length > 0 && cells.every((c) => c.textContent.trim() === expected)
      },
      page: ([text]) => [...document.querySelectorAll('.pager .muted')].some((e) => e.textContent.trim() === text),
    }
    // Records the first frame in which the check holds.
    w.__watch = (name, args) => {
      w.__perf.done = 0
      const loop = () => {
        if (checks[name](args)) w.__perf.done = performance.now()
        else requestAnimationFrame(loop)
      }
      requestAnimationFrame(loop)
    }
  })
  await signIn(page, server.base, 'hr.wang@xinghai.example')
  const rows = page.locator('[data-test=applications-table] .el-table__row')
  const perf = () => page.evaluate(() => window.__perf)

  // A full page load (reported; dominated by downloading and parsing the app's code, gzip-compressed by the
  // server and cached as immutable after the first load).
  await page.goto(`${server.base}/applications`)
  await rows.first().waitFor()
  const reloadMs = Math.round((await perf()).firstRow)

  /** Runs `act` (which clicks) and returns click -> first frame where the check holds, in ms. */
  async function timed(check, args, act) {
    await page.evaluate(([c, a]) => window.__watch(c, a), [check, args])
    await act()
    await page.waitForFunction(() => window.__perf.done > 0, null, { timeout: 30_000 })
    const p = await perf()
    return Math.round(p.done - p.click)
  }

  // Opening the page the usual way: the menu link, from the dashboard.
  const loads = []
  for (let i = 0; i < 6; i++) {
    await page.goto(`${server.base}/`)
    await page.waitForSelector('[data-test=todo]')
    loads.push(await timed('rows', [], () => page.click('a[href="/applications"]')))
    assert.equal(await rows.count(), 20)
  }

  // Filters: each choice changes every row, so the check cannot hold before the new rows arrive.
  async function filterBy(selectTest, option, column, expected) {
    await page.click(`[data-test=${selectTest}]`)
    return timed('column', [column, expected], () => page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click())
  }
  const byJob = []
  for (const j of [0, 1, 2, 3, 4, 5].map((k) => jobs[k % jobs.length])) byJob.push(await filterBy('filter-job', j.title, 3, j.title))
  const byStage = []
  for (const [re, name] of [[/^新申请$/, '新申请'], [/^HR复核$/, 'HR复核'], [/^复试$/, '复试'], [/^简历筛选$/, '简历筛选'], [/^AI面试邀请$/, 'AI面试邀请'], [/^新申请$/, '新申请']])
    byStage.push(await filterBy('filter-stage', re, 5, name))

  // Next page (cursor); with 10,000 applications one job has about 330 in one stage.
  const nexts = []
  if (N >= 1000) {
    for (let k = 2; k <= 7; k++) {
      if (await page.locator('[data-test=next-page]').isDisabled()) break // a small E2E_PERF_N
      nexts.push(await timed('page', [`第 ${k} 页`], () => page.click('[data-test=next-page]')))
    }
  }

  const steps = { load: loads, filterJob: byJob, filterStage: byStage, nextPage: nexts }
  const report = Object.entries(steps)
    .filter(([, xs]) => xs.length > 1)
    .map(([k, xs]) => `${k} ${median(xs.slice(1))} ms (warm-up ${xs[0]}, runs ${xs.slice(1).join('/')})`)
  console.log(`# full page load ${reloadMs} ms; medians: ${report.join('; ')}`)
  // The server's share: each list request as the browser timed it (request start to response end).
  const apiMs = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/applications?'))
      .map((e) => Math.round(e.responseEnd - e.requestStart)),
  )
  console.log(`# list requests (ms, in order): ${apiMs.join(', ')}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  for (const [what, xs] of Object.entries(steps)) if (xs.length > 1) assert.ok(median(xs.slice(1)) < LIMIT_MS, `${what}: median ${median(xs.slice(1))} ms >= ${LIMIT_MS} ms (${xs.join(', ')})`)
  assert.ok(reloadMs < 5 * LIMIT_MS, `full page load ${reloadMs} ms`)
})
