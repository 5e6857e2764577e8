// Side-by-side comparison of candidates of one job, computed from each application's HR interview view.
import type { InterviewScore } from '@/api/types'

export interface CompareColumn {
  applicationId: string
  name: string
  score: InterviewScore | null
}

export interface DimensionRow {
  key: string
  name: string
  nameEn: string
  weight: number
  /** One cell per column, in column order; null when that candidate has no score for it. */
  scores: (number | null)[]
  /** Index of the column(s) with the highest score in this row. */
  best: number[]
}

export function dimensionRows(columns: CompareColumn[]): DimensionRow[] {
  const rows = new Map<string, DimensionRow>()
  columns.forEach((c) => {
    for (const d of c.score?.dimensions ?? []) {
      if (!rows.has(d.dimension_key))
        rows.set(d.dimension_key, {
          key: d.dimension_key,
          name: d.name,
          nameEn: d.name_en,
          weight: d.weight,
          scores: columns.map(() => null),
          best: [],
        })
    }
  })
  columns.forEach((c, i) => {
    for (const d of c.score?.dimensions ?? []) rows.get(d.dimension_key)!.scores[i] = d.score
  })
  for (const r of rows.values()) {
    const present = r.scores.filter((s): s is number => s !== null)
    if (present.length === 0) continue
    const max = Math.max(...present)
    r.best = r.scores.flatMap((s, i) => (s === max ? [i] : []))
  }
  return [...rows.values()].sort((a, b) => b.weight - a.weight)
}

export interface StrengthsGaps {
  strengths: string[] // dimension keys, best first
  gaps: string[] // dimension keys, worst first
}

/**
 * Strengths: dimensions at or above the job's recommend threshold; gaps: below its review threshold.
 * When no dimension reaches the recommend threshold, the highest-scoring one is still named a (relative)
 * strength if it reaches the review threshold and stands above the candidate's own mean.
 */
export function strengthsAndGaps(score: InterviewScore | null): StrengthsGaps {
  if (!score || score.dimensions.length === 0) return { strengths: [], gaps: [] }
  const { recommend, review } = score.thresholds
  const dims = [...score.dimensions]
  const strengths = dims
    .filter((d) => d.score >= recommend)
    .sort((a, b) => b.score - a.score)
    .map((d) => d.dimension_key)
  const gaps = dims
    .filter((d) => d.score < review)
    .sort((a, b) => a.score - b.score)
    .map((d) => d.dimension_key)
  if (strengths.length === 0) {
    const mean = dims.reduce((s, d) => s + d.score, 0) / dims.length
    const top = dims.sort((a, b) => b.score - a.score)[0]
    if (top.score > mean && top.score >= review) strengths.push(top.dimension_key)
  }
  return { strengths, gaps: gaps.filter((g) => !strengths.includes(g)) }
}

export const MAX_COMPARE = 6
