import { describe, expect, it } from 'vitest'
import { codePointBoundaries, codePointLength, codePointToUtf16, highlightSegments } from './offsets'

describe('code point offsets', () => {
  it('are UTF-16 indices for BMP text (Chinese)', () => {
    const s = '我负责客户沟通'
    expect(codePointLength(s)).toBe(7)
    expect(codePointToUtf16(s, 3)).toBe(3)
  })

  it('skip both halves of a surrogate pair (emoji)', () => {
    const s = '好😀的𠀋字' // 😀 U+1F600 and 𠀋 U+2000B are two UTF-16 units each
    expect(s.length).toBe(7)
    expect(codePointLength(s)).toBe(5)
    expect(codePointBoundaries(s)).toEqual([0, 1, 3, 4, 6, 7])
    expect(codePointToUtf16(s, 2)).toBe(3)
    expect(codePointToUtf16(s, 4)).toBe(6)
    expect(codePointToUtf16(s, 99)).toBe(7)
    expect(codePointToUtf16(s, -1)).toBe(0)
  })

  it('counts a lone surrogate as one code point', () => {
    const s = 'a\ud800b'
    expect(codePointLength(s)).toBe(3)
  })
})

describe('highlightSegments', () => {
  it('marks the span the API names in code points, after an emoji', () => {
    // "😀我带领团队" : code points 😀=0 我=1 带=2 领=3 团=4 队=5; the API marks 带领 as [2,4)
    const segs = highlightSegments('😀我带领团队', [{ begin: 2, end: 4, data: 'lead' }])
    expect(segs).toEqual([
      { text: '😀我', spans: [] },
      { text: '带领', spans: ['lead'] },
      { text: '团队', spans: [] },
    ])
  })

  it('splits overlapping spans and lists every span covering a piece', () => {
    const segs = highlightSegments('abcdef', [
      { begin: 1, end: 4, data: 'x' },
      { begin: 3, end: 5, data: 'y' },
    ])
    expect(segs).toEqual([
      { text: 'a', spans: [] },
      { text: 'bc', spans: ['x'] },
      { text: 'd', spans: ['x', 'y'] },
      { text: 'e', spans: ['y'] },
      { text: 'f', spans: [] },
    ])
  })

  it('drops empty and out-of-range spans and clamps long ones', () => {
    const segs = highlightSegments('abc', [
      { begin: 2, end: 2, data: 'empty' },
      { begin: 5, end: 9, data: 'outside' },
      { begin: 1, end: 99, data: 'long' },
    ])
    expect(segs).toEqual([
      { text: 'a', spans: [] },
      { text: 'bc', spans: ['long'] },
    ])
  })

  it('keeps the text whole: the pieces join to the original', () => {
    const text = '在👩‍👩‍👧家校沟通中，我先倾听家长需求。'
    const segs = highlightSegments(text, [
      { begin: 3, end: 9, data: 1 },
      { begin: 12, end: 16, data: 2 },
    ])
    expect(segs.map((s) => s.text).join('')).toBe(text)
  })
})
