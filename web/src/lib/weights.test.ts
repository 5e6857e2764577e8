import { describe, expect, it } from 'vitest'
import type { CompetencyDimension } from '@/api/types'
import { suggestKey, validateModel, weightSum, weightsOk } from './weights'

const dim = (key: string, weight: number, extra: Partial<CompetencyDimension> = {}): CompetencyDimension => ({
  key,
  name: key,
  name_en: key,
  description: '',
  weight,
  indicators: [],
  level_anchors: ['1', '2', '3', '4', '5'],
  ...extra,
})

describe('weights', () => {
  it('sums exactly even with decimals that do not add up in floating point', () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(weightSum([{ weight: 33.33 }, { weight: 33.33 }, { weight: 33.34 }])).toBe(100)
    expect(weightsOk([{ weight: 33.33 }, { weight: 33.33 }, { weight: 33.34 }])).toBe(true)
  })

  it('accepts 100 +-0.01 and refuses more', () => {
    expect(weightsOk([{ weight: 50 }, { weight: 49.99 }])).toBe(true)
    expect(weightsOk([{ weight: 50 }, { weight: 49.98 }])).toBe(false)
    expect(weightsOk([{ weight: 60 }, { weight: 50 }])).toBe(false)
    expect(weightSum([{ weight: 60 }, { weight: 50 }])).toBe(110)
  })
})

describe('validateModel', () => {
  it('finds no issue in a valid model', () => {
    expect(validateModel([dim('communication', 40), dim('teamwork', 60)])).toEqual([])
  })

  it('reports the weight sum, bad and duplicate keys, missing anchors', () => {
    const codes = validateModel([
      dim('communication', 40),
      dim('communication', 30),
      dim('Bad-Key', 10, { level_anchors: ['1', '2', '3', '4', ''] }),
    ]).map((i) => `${i.code}:${i.dimension}`)
    expect(codes).toEqual(['weightSum:0', 'duplicateKey:2', 'key:3', 'anchors:3'])
  })

  it('checks indicator keys are valid and unique within a dimension', () => {
    const ind = (key: string) => ({ key, name: key, name_en: '', synonyms: [] })
    const issues = validateModel([dim('a', 100, { indicators: [ind('listen'), ind('listen'), ind('9x')] })])
    expect(issues.map((i) => i.params?.key)).toEqual(['listen', '9x'])
  })

  it('needs 1..12 dimensions', () => {
    expect(validateModel([]).map((i) => i.code)).toContain('count')
  })
})

describe('suggestKey', () => {
  it('makes a valid unique key', () => {
    expect(suggestKey('Team Work', [])).toBe('team_work')
    expect(suggestKey('沟通能力', [])).toBe('dim')
    expect(suggestKey('沟通能力', ['dim'])).toBe('dim_2')
    expect(suggestKey('2nd thing', [])).toBe('dim_2nd_thing')
  })
})
