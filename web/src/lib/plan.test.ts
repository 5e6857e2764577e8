import { describe, expect, it } from 'vitest'
import { moveQuestion, planTotals } from './plan'

const sections = () => [
  { key: 'intro', title: '自我介绍', question_ids: ['a'] },
  { key: 'main', title: '行为面试', question_ids: ['b', 'c', 'd'] },
]

describe('moveQuestion', () => {
  it('moves down within a section (dropping before the item at the target index)', () => {
    expect(moveQuestion(sections(), { section: 1, index: 0 }, { section: 1, index: 3 })[1].question_ids).toEqual(['c', 'd', 'b'])
    expect(moveQuestion(sections(), { section: 1, index: 0 }, { section: 1, index: 2 })[1].question_ids).toEqual(['c', 'b', 'd'])
  })

  it('moves up within a section', () => {
    expect(moveQuestion(sections(), { section: 1, index: 2 }, { section: 1, index: 0 })[1].question_ids).toEqual(['d', 'b', 'c'])
  })

  it('moves across sections without changing the input', () => {
    const input = sections()
    const out = moveQuestion(input, { section: 1, index: 1 }, { section: 0, index: 0 })
    expect(out[0].question_ids).toEqual(['c', 'a'])
    expect(out[1].question_ids).toEqual(['b', 'd'])
    expect(input[1].question_ids).toEqual(['b', 'c', 'd'])
  })

  it('ignores an invalid source', () => {
    expect(moveQuestion(sections(), { section: 1, index: 9 }, { section: 0, index: 0 })).toEqual(sections())
  })
})

describe('planTotals', () => {
  it('adds think and answer time of every planned question', () => {
    const timing = (id: string) => (id === 'd' ? undefined : { think_seconds: 30, answer_seconds: 150 })
    expect(planTotals(sections(), timing)).toEqual({ count: 4, thinkSeconds: 90, answerSeconds: 450, minutes: 9 })
  })
})
