import { describe, expect, it } from 'vitest'
import type { InterviewScore } from '@/api/types'
import { dimensionRows, strengthsAndGaps } from './compare'

function score(dims: [string, number, number][], thresholds = { recommend: 80, review: 60 }): InterviewScore {
  return {
    version: 1,
    scorer: 'rubric',
    scorer_version: '1',
    overall: null,
    original_overall: null,
    overall_overridden: false,
    job_match: null,
    percentile: null,
    cohort_size: 0,
    recommendation: null,
    thresholds,
    flags: [],
    dimensions: dims.map(([key, weight, s]) => ({
      dimension_key: key,
      name: key.toUpperCase(),
      name_en: key,
      weight,
      score: s,
      original_score: s,
      overridden: false,
      level: 3,
      level_anchor: '',
      question_count: 1,
      answers: [],
    })),
  }
}

describe('dimensionRows', () => {
  it('builds one row per dimension, heaviest first, with the best column(s) marked', () => {
    const rows = dimensionRows([
      { applicationId: 'a', name: 'A', score: score([['comm', 30, 70], ['team', 70, 85]]) },
      { applicationId: 'b', name: 'B', score: score([['comm', 30, 90], ['team', 70, 85]]) },
      { applicationId: 'c', name: 'C', score: null },
    ])
    expect(rows.map((r) => r.key)).toEqual(['team', 'comm'])
    expect(rows[0].scores).toEqual([85, 85, null])
    expect(rows[0].best).toEqual([0, 1])
    expect(rows[1].best).toEqual([1])
  })
})

describe('strengthsAndGaps', () => {
  it('names dimensions at the recommend threshold strengths and below the review threshold gaps', () => {
    const r = strengthsAndGaps(score([['a', 25, 92], ['b', 25, 81], ['c', 25, 70], ['d', 25, 40]]))
    expect(r).toEqual({ strengths: ['a', 'b'], gaps: ['d'] })
  })

  it('names a relative strength when nothing reaches the recommend threshold but one reaches review', () => {
    const r = strengthsAndGaps(score([['a', 50, 30], ['b', 50, 65]]))
    expect(r).toEqual({ strengths: ['b'], gaps: ['a'] })
  })

  it('names no strength when every dimension is weak', () => {
    const r = strengthsAndGaps(score([['a', 50, 2.8], ['b', 50, 0.7]]))
    expect(r).toEqual({ strengths: [], gaps: ['b', 'a'] })
  })

  it('is empty without a score', () => {
    expect(strengthsAndGaps(null)).toEqual({ strengths: [], gaps: [] })
  })
})
