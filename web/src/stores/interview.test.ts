import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { DRAFT_DEBOUNCE_MS, useInterviewStore } from './interview'
import type { QuestionStep } from '@/api/types'

const step = (over: Partial<QuestionStep> = {}): QuestionStep => ({
  done: false,
  position: 0,
  question_count: 3,
  section: { key: 'intro', title: '自我介绍' },
  question: { id: 'q', type: 'behavioural', text: { zh: '请介绍', en: 'Introduce' }, scenario: null, expected_length: { min: 10, max: 100 } },
  think_seconds: 20,
  answer_seconds: 120,
  shown_at: '2026-01-01T00:00:00.000Z',
  think_deadline: '2026-01-01T00:00:20.000Z',
  answer_deadline: '2026-01-01T00:02:20.000Z',
  server_time: '2026-01-01T00:00:05.000Z',
  remaining_think_ms: 15000,
  remaining_answer_ms: 135000,
  attempts_used: 0,
  attempts_allowed: 2,
  draft: '已保存的草稿',
  last_answer: null,
  feedback: null,
  follow_up: null,
  ...over,
})

const ok = (body: unknown, status = 200) =>
  Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

let fetchMock: ReturnType<typeof vi.fn>

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
  fetchMock = vi.fn()
  vi.stubGlobal('fetch', fetchMock)
  localStorage.clear()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

async function loaded() {
  const store = useInterviewStore()
  fetchMock.mockImplementationOnce(() => ok({ consent: { given: true }, progress: { finished: false } }))
  fetchMock.mockImplementationOnce(() => ok(step()))
  await store.load('tok')
  fetchMock.mockReset()
  return store
}

describe('interview store', () => {
  it('resumes with the server draft of the current question', async () => {
    const store = await loaded()
    expect(store.question?.position).toBe(0)
    expect(store.draftText).toBe('已保存的草稿')
  })

  it('saves the draft once, DRAFT_DEBOUNCE_MS after the last keystroke', async () => {
    const store = await loaded()
    fetchMock.mockImplementation(() => Promise.resolve(new Response(null, { status: 204 })))
    store.setDraft('我')
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS / 2)
    store.setDraft('我在')
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS / 2)
    store.setDraft('我在上')
    expect(fetchMock).not.toHaveBeenCalled()
    expect(store.draftStatus).toBe('pending')
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS)
    expect(fetchMock).toHaveBeenCalledTimes(1)
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/v1/interview/tok/questions/0/draft')
    expect(init.method).toBe('PUT')
    expect(JSON.parse(init.body)).toEqual({ text: '我在上' })
    expect(store.draftStatus).toBe('saved')
  })

  it('does not save a draft equal to the saved one', async () => {
    const store = await loaded()
    store.setDraft('已保存的草稿')
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS * 2)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('submits an answer with the elapsed time and re-reads the current step', async () => {
    const store = await loaded()
    fetchMock
      .mockImplementationOnce(() =>
        ok({ position: 0, attempt: 1, late: false, elapsed_ms: 6000, attempts_used: 1, attempts_allowed: 2, feedback: null, follow_up: null }, 201),
      )
      .mockImplementationOnce(() => ok(step({ attempts_used: 1, draft: null, last_answer: { attempt: 1, text: '回答', late: false } })))
    store.setDraft('回答')
    const r = await store.submitAnswer('回答')
    expect(r?.attempt).toBe(1)
    const body = JSON.parse(fetchMock.mock.calls[0][1].body)
    expect(body.text).toBe('回答')
    expect(body.client_elapsed_ms).toBeGreaterThanOrEqual(5000) // server_time - shown_at
    expect(store.question?.attempts_used).toBe(1)
    // the pending draft timer was cancelled: no PUT after the answer
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS * 2)
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('remembers when a follow-up was first seen, so a reload keeps its clock', async () => {
    const store = await loaded()
    vi.setSystemTime(new Date('2026-01-01T00:01:00Z'))
    fetchMock.mockImplementationOnce(() => ok(step({ attempts_used: 1, follow_up: { question_zh: '追问', question_en: 'f', answered: false } })))
    await store.refreshCurrent()
    const first = store.followUpAskedAt(0)
    expect(first).toBe(Date.parse('2026-01-01T00:01:00Z'))
    vi.setSystemTime(new Date('2026-01-01T00:01:30Z'))
    fetchMock.mockImplementationOnce(() => ok(step({ attempts_used: 1, follow_up: { question_zh: '追问', question_en: 'f', answered: false } })))
    await store.refreshCurrent()
    expect(store.followUpAskedAt(0)).toBe(first)
  })
})
