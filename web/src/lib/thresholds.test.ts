import { describe, expect, it } from 'vitest'
import { formatThreshold, parseThreshold, thresholdsFromQuery, upsertThreshold } from './thresholds'

describe('dimension thresholds', () => {
  it('parses key:min within 0..100 and refuses the rest', () => {
    expect(parseThreshold('communication:80')).toEqual({ key: 'communication', min: 80 })
    expect(parseThreshold('customer_focus:72.5')).toEqual({ key: 'customer_focus', min: 72.5 })
    for (const bad of ['communication', ':80', 'Comm:80', 'communication:101', 'communication:-1', 'a b:1', 'x:1e2', 'x:'])
      expect(parseThreshold(bad), bad).toBeNull()
  })

  it('round-trips through the URL, one threshold per key', () => {
    const list = thresholdsFromQuery(['communication:80', 'bad', 'teamwork:60', 'communication:85'])
    expect(list).toEqual([
      { key: 'communication', min: 85 },
      { key: 'teamwork', min: 60 },
    ])
    expect(list.map(formatThreshold)).toEqual(['communication:85', 'teamwork:60'])
    expect(thresholdsFromQuery('teamwork:70')).toEqual([{ key: 'teamwork', min: 70 }])
    expect(thresholdsFromQuery(undefined)).toEqual([])
  })

  it('upserts by key and stops at 12', () => {
    let list = upsertThreshold([], { key: 'a', min: 50 })
    list = upsertThreshold(list, { key: 'a', min: 60 })
    expect(list).toEqual([{ key: 'a', min: 60 }])
    for (let i = 0; i < 20; i++) list = upsertThreshold(list, { key: `k${i}`, min: i })
    expect(list).toHaveLength(12)
  })
})
