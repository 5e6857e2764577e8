import { describe, expect, it } from 'vitest'
import { formatClock, phasePercent, timerAt } from './timer'

const server = { remaining_think_ms: 20_000, remaining_answer_ms: 140_000 } // 20 s think + 120 s answer

describe('timerAt', () => {
  it('starts in the think phase with the server remaining time', () => {
    const s = timerAt(server, 0)
    expect(s.phase).toBe('think')
    expect(s.remainingMs).toBe(20_000)
    expect(s.answerLeftMs).toBe(140_000)
  })

  it('moves to the answer phase when the think time is used up', () => {
    const s = timerAt(server, 20_000)
    expect(s.phase).toBe('answer')
    expect(s.remainingMs).toBe(120_000)
    expect(timerAt(server, 80_500).remainingMs).toBe(59_500)
  })

  it('is over at the answer deadline, late only after the 5 s grace', () => {
    expect(timerAt(server, 140_000).phase).toBe('over')
    expect(timerAt(server, 140_000).remainingMs).toBe(0)
    expect(timerAt(server, 144_999).lateAfterGrace).toBe(false)
    expect(timerAt(server, 145_000).lateAfterGrace).toBe(true)
  })

  it('resumes from what the server says after a reload (think time already gone)', () => {
    const s = timerAt({ remaining_think_ms: 0, remaining_answer_ms: 30_000 }, 1_000)
    expect(s.phase).toBe('answer')
    expect(s.remainingMs).toBe(29_000)
  })

  it('handles questions without think time', () => {
    expect(timerAt({ remaining_think_ms: 0, remaining_answer_ms: 0 }, 0).phase).toBe('over')
  })
})

describe('formatClock', () => {
  it('rounds up to whole seconds', () => {
    expect(formatClock(0)).toBe('0:00')
    expect(formatClock(1)).toBe('0:01')
    expect(formatClock(59_001)).toBe('1:00')
    expect(formatClock(120_000)).toBe('2:00')
    expect(formatClock(3_723_000)).toBe('1:02:03')
    expect(formatClock(-5)).toBe('0:00')
  })
})

describe('phasePercent', () => {
  it('is the used share of the current phase', () => {
    expect(phasePercent(timerAt(server, 10_000), 20, 120)).toBe(50)
    expect(phasePercent(timerAt(server, 50_000), 20, 120)).toBe(25)
    expect(phasePercent(timerAt(server, 200_000), 20, 120)).toBe(100)
  })
})
