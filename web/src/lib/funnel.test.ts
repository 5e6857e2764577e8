import { describe, expect, it } from 'vitest'
import { conversion, funnelSteps, PIPELINE } from './funnel'

describe('funnelSteps', () => {
  it('sums later pipeline stages into "reached" and counts exits at the top only', () => {
    const steps = funnelSteps({ new: 5, screening: 3, interview_completed: 4, hr_review: 2, hired: 1, rejected: 6, talent_pool: 1 })
    expect(steps.map((s) => s.stage)).toEqual([...PIPELINE])
    const by = Object.fromEntries(steps.map((s) => [s.stage, s]))
    expect(by.hired).toEqual({ stage: 'hired', current: 1, reached: 1 })
    expect(by.hr_review.reached).toBe(3)
    expect(by.interview_completed.reached).toBe(7)
    expect(by.screening.reached).toBe(10)
    expect(by.new).toEqual({ stage: 'new', current: 5, reached: 5 + 10 + 7 })
    // Never increasing down the funnel.
    for (let i = 1; i < steps.length; i++) expect(steps[i].reached).toBeLessThanOrEqual(steps[i - 1].reached)
  })

  it('treats missing, negative and non-numeric counts as 0', () => {
    const steps = funnelSteps({ new: -2, screening: Number.NaN, offer: 2 })
    expect(steps[0].reached).toBe(2)
    expect(steps.find((s) => s.stage === 'screening')!.current).toBe(0)
  })

  it('conversion is a percentage of the top of the funnel', () => {
    const steps = funnelSteps({ new: 2, hr_review: 1, hired: 1 })
    expect(conversion(steps, 0)).toBe(100)
    expect(conversion(steps, PIPELINE.indexOf('hr_review'))).toBe(50)
    expect(conversion(funnelSteps({}), 3)).toBe(0)
  })
})
