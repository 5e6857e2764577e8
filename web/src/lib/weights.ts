// Checks of a competency model before it is sent (the server checks the same and has the last word).
import type { CompetencyDimension } from '@/api/types'

export const WEIGHT_TOLERANCE = 0.01
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/

export function weightSum(dimensions: Pick<CompetencyDimension, 'weight'>[]): number {
  // Sum in hundredths to avoid 33.33 + 33.33 + 33.34 = 99.99999999999999.
  const hundredths = dimensions.reduce((acc, d) => acc + Math.round((Number(d.weight) || 0) * 100), 0)
  return hundredths / 100
}

export function weightsOk(dimensions: Pick<CompetencyDimension, 'weight'>[]): boolean {
  // Compare in hundredths too: 100 - 99.99 is 0.010000000000005 in floating point.
  return Math.abs(Math.round(weightSum(dimensions) * 100) - 10000) <= Math.round(WEIGHT_TOLERANCE * 100)
}

export interface ModelIssue {
  /** i18n key under `model.issue.` */
  code: string
  /** 1-based dimension number (0 for the whole model) */
  dimension: number
  params?: Record<string, string | number>
}

export function validateModel(dimensions: CompetencyDimension[]): ModelIssue[] {
  const issues: ModelIssue[] = []
  if (dimensions.length < 1 || dimensions.length > 12) issues.push({ code: 'count', dimension: 0 })
  if (!weightsOk(dimensions)) issues.push({ code: 'weightSum', dimension: 0, params: { sum: weightSum(dimensions) } })
  const keys = new Set<string>()
  dimensions.forEach((d, i) => {
    const n = i + 1
    if (!KEY_PATTERN.test(d.key)) issues.push({ code: 'key', dimension: n })
    else if (keys.has(d.key)) issues.push({ code: 'duplicateKey', dimension: n })
    keys.add(d.key)
    if (!d.name.trim()) issues.push({ code: 'name', dimension: n })
    if (!(d.weight >= 0 && d.weight <= 100)) issues.push({ code: 'weightRange', dimension: n })
    if (d.level_anchors.length !== 5 || d.level_anchors.some((a) => !a.trim()))
      issues.push({ code: 'anchors', dimension: n })
    if (d.indicators.length > 30) issues.push({ code: 'indicatorCount', dimension: n })
    const ik = new Set<string>()
    for (const ind of d.indicators) {
      if (!KEY_PATTERN.test(ind.key) || ik.has(ind.key)) {
        issues.push({ code: 'indicatorKey', dimension: n, params: { key: ind.key } })
      }
      ik.add(ind.key)
      if (!ind.name.trim()) issues.push({ code: 'indicatorName', dimension: n, params: { key: ind.key } })
      if (ind.synonyms.length > 30) issues.push({ code: 'synonymCount', dimension: n, params: { key: ind.key } })
    }
  })
  return issues
}

/** A key made from a free name: lower-case ASCII letters, digits and underscores, starting with a letter. */
export function suggestKey(name: string, taken: Iterable<string>, prefix = 'dim'): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30)
  if (!/^[a-z]/.test(base)) base = prefix + (base ? '_' + base : '')
  const used = new Set(taken)
  if (!used.has(base)) return base
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`
}
