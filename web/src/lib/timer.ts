// Interview timers. The server decides: it reports the remaining think and answer time (in ms, measured at
// its clock when it answered); the client only counts down from the moment it received that answer, so a
// wrong client clock does not matter and a reload continues where the server says.

export type TimerPhase = 'think' | 'answer' | 'over'

export interface ServerTimers {
  remaining_think_ms: number
  remaining_answer_ms: number // until the answer deadline (think time included)
}

export interface TimerState {
  phase: TimerPhase
  /** Time left in the current phase (0 when over). */
  remainingMs: number
  thinkLeftMs: number
  answerLeftMs: number
  /** Answers later than the deadline plus this grace are flagged late by the server. */
  lateAfterGrace: boolean
}

export const GRACE_MS = 5000

export function timerAt(server: ServerTimers, elapsedMs: number): TimerState {
  const e = Math.max(0, elapsedMs)
  const thinkLeftMs = Math.max(0, server.remaining_think_ms - e)
  const answerLeftMs = Math.max(0, server.remaining_answer_ms - e)
  const phase: TimerPhase = thinkLeftMs > 0 ? 'think' : answerLeftMs > 0 ? 'answer' : 'over'
  const remainingMs = phase === 'think' ? thinkLeftMs : phase === 'answer' ? answerLeftMs - thinkLeftMs : 0
  return {
    phase,
    remainingMs,
    thinkLeftMs,
    answerLeftMs,
    lateAfterGrace: server.remaining_answer_ms + GRACE_MS - e <= 0,
  }
}

/** "m:ss" (or "h:mm:ss"), rounding up so that 0:00 means the time is really up. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** Share of the phase already used, 0..100, for a progress bar. */
export function phasePercent(state: TimerState, thinkSeconds: number, answerSeconds: number): number {
  const total = (state.phase === 'think' ? thinkSeconds : answerSeconds) * 1000
  if (state.phase === 'over' || total <= 0) return 100
  return Math.min(100, Math.max(0, 100 - (state.remainingMs / total) * 100))
}
