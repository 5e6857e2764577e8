// Per-dimension score thresholds of the applications table ("沟通能力 >= 80"), kept in the URL and sent
// as repeated `dim=key:min` parameters (GET /api/v1/applications).
export interface DimThreshold {
  key: string
  min: number
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/
export const MAX_THRESHOLDS = 12

/** `communication:80` -> {key, min}; null when malformed or out of 0..100. */
export function parseThreshold(s: string): DimThreshold | null {
  const i = s.lastIndexOf(':')
  if (i <= 0) return null
  const key = s.slice(0, i)
  const raw = s.slice(i + 1)
  if (!KEY.test(key) || !/^[0-9]+(\.[0-9]+)?$/.test(raw)) return null
  const min = Number(raw)
  return min >= 0 && min <= 100 ? { key, min } : null
}

export function formatThreshold(t: DimThreshold): string {
  return `${t.key}:${Math.round(t.min * 10) / 10}`
}

/** Valid thresholds from a URL value (string or list), one per key (the last wins), at most 12. */
export function thresholdsFromQuery(v: unknown): DimThreshold[] {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
  const byKey = new Map<string, DimThreshold>()
  for (const item of items) {
    const t = typeof item === 'string' ? parseThreshold(item) : null
    if (t) byKey.set(t.key, t)
  }
  return [...byKey.values()].slice(0, MAX_THRESHOLDS)
}

/** Adds or replaces the threshold of a key (the list keeps its order). */
export function upsertThreshold(list: DimThreshold[], t: DimThreshold): DimThreshold[] {
  const i = list.findIndex((x) => x.key === t.key)
  if (i >= 0) return list.map((x, j) => (j === i ? t : x))
  return list.length >= MAX_THRESHOLDS ? list : [...list, t]
}
