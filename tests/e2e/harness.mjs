// Shared pieces of the browser tests: a real `zhimian serve` on a fresh data dir and a free port, Debian's
// chromium driven by playwright-core (never a downloaded browser), axe-core, screenshots.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import net from 'node:net'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// playwright-core and axe-core are devDependencies of web/ (one package-lock for the whole front end).
const require = createRequire(join(ROOT, 'web', 'package.json'))
const { chromium } = require('playwright-core')
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const ADMIN_PASSWORD = 'E2e-Root-Pass-2026!'
export const DEMO_PASSWORD = 'Zhimian-Demo-2026!'
export const SHOTS_DIR = process.env.E2E_SHOTS_DIR || join(tmpdir(), 'zhimian-e2e-shots')

const cleanups = []
let cleaned = false
export function onCleanup(fn) {
  cleanups.push(fn)
}
export async function cleanupAll() {
  if (cleaned) return
  cleaned = true
  for (const fn of cleanups.reverse()) {
    try {
      await fn()
    } catch (e) {
      console.error('cleanup:', e?.message ?? e)
    }
  }
}
// The server must never outlive the test run, whatever happens.
const procs = new Set()
process.on('exit', () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL')
})
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanupAll()
    process.exit(130)
  })
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer()
    s.unref()
    s.on('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

export async function startServer() {
  const bin = process.env.ZHIMIAN_BIN || join(ROOT, 'build', 'zhimian')
  if (!existsSync(bin)) throw new Error(`zhimian binary not found at ${bin} (set ZHIMIAN_BIN)`)
  const webDir = join(ROOT, 'web', 'dist')
  if (!existsSync(join(webDir, 'index.html'))) throw new Error('web/dist is not built (run ./scripts/web.sh build)')
  const dataDir = mkdtempSync(join(tmpdir(), 'zhimian-e2e-data-'))
  const port = await freePort()
  const log = []
  const proc = spawn(bin, ['serve', '--demo', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--web-dir', webDir], {
    env: {
      // Only our settings: a ZHIMIAN_* variable of the caller (e.g. ZHIMIAN_DB) must not leak into the test server.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZHIMIAN_'))),
      ZHIMIAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  procs.add(proc)
  proc.stdout.on('data', (d) => log.push(String(d)))
  proc.stderr.on('data', (d) => log.push(String(d)))
  const base = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM')
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000)
      await new Promise((r) => proc.once('exit', r))
      clearTimeout(t)
    }
    procs.delete(proc)
    rmSync(dataDir, { recursive: true, force: true })
  }
  onCleanup(stop)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error('zhimian exited early:\n' + log.join('').slice(-3000))
    try {
      const r = await fetch(`${base}/readyz`)
      if (r.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('zhimian did not become ready:\n' + log.join('').slice(-3000))
    await new Promise((r) => setTimeout(r, 200))
  }
  return { base, port, dataDir, log, stop }
}

/** `extraArgs`: more chromium flags, e.g. FAKE_MEDIA for the device check. */
export async function launchBrowser(extraArgs = []) {
  // launch() gives every run a fresh temporary user-data dir; it is removed when the browser closes.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
  onCleanup(() => browser.close())
  return browser
}

// Camera and microphone without hardware or a permission prompt: chromium's test pattern and beep.
export const FAKE_MEDIA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']

export const DESKTOP = { viewport: { width: 1366, height: 860 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
}

/** A page that fails the test on uncaught errors in the app. */
export async function newPage(browser, options) {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(e.message))
  return page
}

export async function screenshot(page, name, opts = {}) {
  mkdirSync(SHOTS_DIR, { recursive: true })
  const path = join(SHOTS_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: opts.fullPage ?? false, animations: 'disabled' })
  return path
}

/** Runs axe-core in the page; returns the serious and critical violations (ignoring none). */
export async function axeSerious(page, context = 'document') {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined')
  if (!has) await page.addScriptTag({ content: AXE_SOURCE })
  const result = await page.evaluate(async (ctx) => {
    const r = await window.axe.run(ctx === 'document' ? document : ctx, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  }, context)
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Signs in through the login form. */
export async function signIn(page, base, email, password = DEMO_PASSWORD) {
  await page.goto(`${base}/login`)
  await page.fill('#login-email', email)
  await page.fill('#login-password', password)
  await page.click('[data-test=login-submit]')
  await page.waitForSelector('[data-test=current-user]')
}

/** Clicks the primary button of an Element Plus confirm box. */
export async function confirmBox(page) {
  const btn = page.locator('.el-message-box__btns .el-button--primary')
  await btn.waitFor()
  await btn.click()
  await btn.waitFor({ state: 'detached' })
}

/** JSON API call with the page's cookies (and CSRF token for writes). */
export async function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers = { Accept: 'application/json' }
      if (method !== 'GET') {
        const me = await (await fetch('/api/v1/me')).json()
        headers['X-CSRF-Token'] = me.csrf_token
      }
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await r.text()
      return { status: r.status, body: text ? JSON.parse(text) : null }
    },
    { method, path, body },
  )
}
