// The candidate's interview: overview, the current step with its server timers, the autosaved draft,
// answers, follow-ups, integrity events, finish and report. Everything is re-read from the server after
// a write, so a reload always resumes at the same place.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { candidateInterview as api } from '@/api/endpoints'
import { ApiError } from '@/api/client'
import type { AnswerReceipt, CandidateOverview, CandidateReport, IntegrityKind, InterviewStep, QuestionStep } from '@/api/types'

export const DRAFT_DEBOUNCE_MS = 1000

export type DraftStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error'

/** Monotonic milliseconds (performance.now in browsers). */
export const clock = { now: (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now()) }

function followUpKey(token: string, position: number): string {
  return `zhimian.followup.${token.slice(0, 12)}.${position}`
}

export const useInterviewStore = defineStore('interview', () => {
  const token = ref('')
  const overview = ref<CandidateOverview | null>(null)
  const step = ref<InterviewStep | null>(null)
  const stepReceivedAt = ref(0)
  const report = ref<CandidateReport | null>(null)
  const lastReceipt = ref<AnswerReceipt | null>(null)
  const draftText = ref('')
  const draftStatus = ref<DraftStatus>('idle')
  const draftSavedAt = ref<Date | null>(null)
  let draftTimer: ReturnType<typeof setTimeout> | null = null
  let lastSavedDraft = ''
  let draftPosition = -1

  const question = computed<QuestionStep | null>(() => (step.value && !step.value.done ? step.value : null))

  function reset(newToken: string): void {
    cancelDraftTimer()
    token.value = newToken
    overview.value = null
    step.value = null
    report.value = null
    lastReceipt.value = null
    draftText.value = ''
    draftStatus.value = 'idle'
    draftSavedAt.value = null
    lastSavedDraft = ''
    draftPosition = -1
  }

  function setStep(s: InterviewStep): void {
    step.value = s
    stepReceivedAt.value = clock.now()
    if (!s.done && s.position !== draftPosition) {
      cancelDraftTimer()
      draftPosition = s.position
      draftText.value = s.draft ?? ''
      lastSavedDraft = draftText.value
      draftStatus.value = 'idle'
    }
    if (!s.done && s.follow_up && !s.follow_up.answered) rememberFollowUp(s.position)
  }

  async function load(t: string): Promise<void> {
    if (t !== token.value) reset(t)
    overview.value = await api.overview(t)
    if (overview.value.consent.given && !overview.value.progress.finished) await refreshCurrent()
  }

  async function consent(audioVideo: boolean): Promise<void> {
    if (!overview.value) return
    overview.value = await api.consent(token.value, overview.value.data_use.version, audioVideo)
    await refreshCurrent()
  }

  async function refreshCurrent(): Promise<void> {
    setStep(await api.current(token.value))
  }

  function cancelDraftTimer(): void {
    if (draftTimer) clearTimeout(draftTimer)
    draftTimer = null
  }

  /** Called on every keystroke; the draft is saved once typing pauses for DRAFT_DEBOUNCE_MS. */
  function setDraft(text: string): void {
    draftText.value = text
    cancelDraftTimer()
    if (text === lastSavedDraft) return
    draftStatus.value = 'pending'
    draftTimer = setTimeout(() => {
      draftTimer = null
      void flushDraft()
    }, DRAFT_DEBOUNCE_MS)
  }

  async function flushDraft(): Promise<void> {
    cancelDraftTimer()
    const q = question.value
    const text = draftText.value
    if (!q || text === lastSavedDraft) return
    draftStatus.value = 'saving'
    try {
      await api.saveDraft(token.value, q.position, text)
      lastSavedDraft = text
      draftSavedAt.value = new Date()
      draftStatus.value = draftText.value === text ? 'saved' : 'pending'
    } catch (e) {
      draftStatus.value = 'error'
      // Retry later unless the question moved on or the interview ended.
      if (!(e instanceof ApiError && e.status === 409)) {
        draftTimer = setTimeout(() => void flushDraft(), DRAFT_DEBOUNCE_MS * 5)
      }
    }
  }

  function elapsedOnQuestion(): number | undefined {
    const q = question.value
    if (!q) return undefined
    const shownFor = Date.parse(q.server_time) - Date.parse(q.shown_at)
    return Math.max(0, Math.round(shownFor + (clock.now() - stepReceivedAt.value)))
  }

  async function submitAnswer(text: string): Promise<AnswerReceipt | null> {
    const q = question.value
    if (!q) return null
    cancelDraftTimer()
    const receipt = await api.answer(token.value, q.position, text, elapsedOnQuestion())
    lastReceipt.value = receipt
    lastSavedDraft = ''
    draftText.value = ''
    draftStatus.value = 'idle'
    draftPosition = -1 // take the (cleared) draft from the server again
    await refreshCurrent()
    return receipt
  }

  async function submitFollowUp(text: string): Promise<void> {
    const q = question.value
    if (!q) return
    const asked = followUpAskedAt(q.position)
    await api.followUp(token.value, q.position, text, asked === null ? undefined : Math.max(0, Math.round(Date.now() - asked)))
    forgetFollowUp(q.position)
    await refreshCurrent()
  }

  async function next(): Promise<void> {
    const q = question.value
    if (!q) return
    await flushDraft().catch(() => undefined)
    lastReceipt.value = null
    setStep(await api.next(token.value, q.position))
  }

  async function finish(): Promise<void> {
    await api.finish(token.value)
    overview.value = await api.overview(token.value)
    step.value = null
  }

  async function loadReport(t: string): Promise<void> {
    if (t !== token.value) reset(t)
    report.value = await api.report(t)
  }

  /** Integrity events are best effort: a failure never disturbs the candidate. */
  function reportEvent(kind: IntegrityKind, durationMs?: number): void {
    const q = question.value
    if (!token.value || !q) return
    api.event(token.value, kind, q.position, durationMs).catch(() => undefined)
  }

  // The API does not say when a follow-up was asked, so the client remembers when it first saw it (wall
  // clock, in localStorage so that a reload keeps it) to show the approximate time left.
  function rememberFollowUp(position: number): void {
    try {
      const k = followUpKey(token.value, position)
      if (!localStorage.getItem(k)) localStorage.setItem(k, String(Date.now()))
    } catch {
      // ignore
    }
  }

  function followUpAskedAt(position: number): number | null {
    try {
      const v = localStorage.getItem(followUpKey(token.value, position))
      return v ? Number(v) : null
    } catch {
      return null
    }
  }

  function forgetFollowUp(position: number): void {
    try {
      localStorage.removeItem(followUpKey(token.value, position))
    } catch {
      // ignore
    }
  }

  return {
    token,
    overview,
    step,
    stepReceivedAt,
    question,
    report,
    lastReceipt,
    draftText,
    draftStatus,
    draftSavedAt,
    load,
    consent,
    refreshCurrent,
    setDraft,
    flushDraft,
    submitAnswer,
    submitFollowUp,
    next,
    finish,
    loadReport,
    reportEvent,
    followUpAskedAt,
    reset,
  }
})
