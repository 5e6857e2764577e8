// Watches the page for integrity events while a question is on screen: the tab hidden (sent when it comes
// back, with how long), the window losing focus without the tab being hidden, paste and copy.
import type { IntegrityKind } from '@/api/types'

export type Report = (kind: IntegrityKind, durationMs?: number) => void

export interface IntegrityTarget {
  doc: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'>
  win: Pick<Window, 'addEventListener' | 'removeEventListener'>
  now: () => number
}

export const BLUR_SETTLE_MS = 150

export function watchIntegrity(report: Report, target: IntegrityTarget = { doc: document, win: window, now: () => Date.now() }): () => void {
  const { doc, win, now } = target
  let hiddenAt: number | null = null
  let blurTimer: ReturnType<typeof setTimeout> | null = null

  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') {
      hiddenAt = now()
      if (blurTimer) {
        clearTimeout(blurTimer) // the blur was the tab switch itself: count it once, as tab_hidden
        blurTimer = null
      }
    } else if (hiddenAt !== null) {
      report('tab_hidden', Math.max(0, now() - hiddenAt))
      hiddenAt = null
    }
  }
  const onPageHide = () => {
    if (hiddenAt !== null) report('tab_hidden', Math.max(0, now() - hiddenAt))
    hiddenAt = null
  }
  const onBlur = () => {
    if (blurTimer) clearTimeout(blurTimer)
    blurTimer = setTimeout(() => {
      blurTimer = null
      if (doc.visibilityState !== 'hidden') report('window_blur')
    }, BLUR_SETTLE_MS)
  }
  const onPaste = () => report('paste')
  const onCopy = () => report('copy')

  doc.addEventListener('visibilitychange', onVisibility)
  doc.addEventListener('paste', onPaste, true)
  doc.addEventListener('copy', onCopy, true)
  win.addEventListener('blur', onBlur)
  win.addEventListener('pagehide', onPageHide)
  return () => {
    if (blurTimer) clearTimeout(blurTimer)
    doc.removeEventListener('visibilitychange', onVisibility)
    doc.removeEventListener('paste', onPaste, true)
    doc.removeEventListener('copy', onCopy, true)
    win.removeEventListener('blur', onBlur)
    win.removeEventListener('pagehide', onPageHide)
  }
}
