import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BLUR_SETTLE_MS, watchIntegrity } from './integrity'

class FakeTarget extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible'
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function setup() {
  const doc = new FakeTarget()
  const win = new EventTarget()
  let now = 1000
  const report = vi.fn()
  const stop = watchIntegrity(report, {
    doc: doc as unknown as Document,
    win: win as unknown as Window,
    now: () => now,
  })
  return { doc, win, report, stop, advance: (ms: number) => (now += ms) }
}

describe('watchIntegrity', () => {
  it('reports a hidden tab once, with its duration, when the candidate comes back', () => {
    const { doc, win, report, advance } = setup()
    win.dispatchEvent(new Event('blur')) // a tab switch blurs the window first
    doc.visibilityState = 'hidden'
    doc.dispatchEvent(new Event('visibilitychange'))
    advance(4200)
    doc.visibilityState = 'visible'
    doc.dispatchEvent(new Event('visibilitychange'))
    vi.advanceTimersByTime(BLUR_SETTLE_MS * 2)
    expect(report.mock.calls).toEqual([['tab_hidden', 4200]])
  })

  it('reports a window blur without a hidden tab, and paste and copy', () => {
    const { doc, win, report } = setup()
    win.dispatchEvent(new Event('blur'))
    vi.advanceTimersByTime(BLUR_SETTLE_MS + 1)
    doc.dispatchEvent(new Event('paste'))
    doc.dispatchEvent(new Event('copy'))
    expect(report.mock.calls.map((c) => c[0])).toEqual(['window_blur', 'paste', 'copy'])
  })

  it('stops listening when stopped', () => {
    const { doc, report, stop } = setup()
    stop()
    doc.dispatchEvent(new Event('paste'))
    expect(report).not.toHaveBeenCalled()
  })
})
