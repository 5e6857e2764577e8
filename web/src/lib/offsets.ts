// Evidence spans from the API count Unicode code points; JavaScript strings index UTF-16 code units.
// A character outside the Basic Multilingual Plane (most emoji, rare CJK extension B ideographs)
// is one code point but two UTF-16 units, so offsets must be converted before slicing.

/** UTF-16 index of every code point boundary of `text`: result[i] is where code point i starts; result[n] = text.length. */
export function codePointBoundaries(text: string): number[] {
  const out: number[] = []
  let i = 0
  while (i < text.length) {
    out.push(i)
    const c = text.charCodeAt(i)
    const isHigh = c >= 0xd800 && c <= 0xdbff
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
    i += isHigh && next >= 0xdc00 && next <= 0xdfff ? 2 : 1
  }
  out.push(text.length)
  return out
}

/** Converts a code point offset into a UTF-16 index, clamped to the text. */
export function codePointToUtf16(text: string, offset: number, boundaries = codePointBoundaries(text)): number {
  if (!Number.isFinite(offset) || offset <= 0) return 0
  const last = boundaries.length - 1
  return boundaries[Math.min(Math.floor(offset), last)]
}

/** Number of code points of a string (what the API calls "characters"). */
export function codePointLength(text: string): number {
  return codePointBoundaries(text).length - 1
}

export interface Span<T> {
  begin: number // code points
  end: number // code points, exclusive
  data: T
}

export interface Segment<T> {
  text: string
  spans: T[] // the spans covering this piece; empty for plain text
}

/**
 * Splits `text` into consecutive segments at every span boundary; each segment lists the spans that
 * cover it (spans may overlap or nest). Spans that are empty or outside the text are dropped.
 */
export function highlightSegments<T>(text: string, spans: Span<T>[]): Segment<T>[] {
  const b = codePointBoundaries(text)
  const n = b.length - 1
  const valid = spans
    .map((s) => ({ begin: Math.max(0, Math.min(s.begin, n)), end: Math.max(0, Math.min(s.end, n)), data: s.data }))
    .filter((s) => s.end > s.begin)
  const cuts = new Set<number>([0, n])
  for (const s of valid) {
    cuts.add(s.begin)
    cuts.add(s.end)
  }
  const points = [...cuts].sort((x, y) => x - y)
  const out: Segment<T>[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]
    const to = points[i + 1]
    const covering = valid.filter((s) => s.begin <= from && s.end >= to).map((s) => s.data)
    const piece = text.slice(b[from], b[to])
    const prev = out[out.length - 1]
    if (prev && prev.spans.length === 0 && covering.length === 0) prev.text += piece
    else out.push({ text: piece, spans: covering })
  }
  return out
}
