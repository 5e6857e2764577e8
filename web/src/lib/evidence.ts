// Collects the evidence spans of one scored question, per text part, with a label for the tooltip.
import type { AnswerScore, Evidence } from '@/api/types'
import type { Span } from './offsets'

export interface EvidenceMark {
  label: string
  cls: string
}

const WHOLE_ANSWER_KINDS = new Set(['length', 'copy'])

/** Where spans overlap, the piece shows the most specific kind: indicator, then STAR, number, flag. */
export const MARK_PRIORITY = ['kind-indicator', 'kind-star', 'kind-specific', 'kind-flag']

export function markClass(marks: EvidenceMark[]): string {
  let best = MARK_PRIORITY.length
  for (const m of marks) best = Math.min(best, MARK_PRIORITY.indexOf(m.cls) === -1 ? best : MARK_PRIORITY.indexOf(m.cls))
  return MARK_PRIORITY[best] ?? marks[0]?.cls ?? ''
}

/** A model feature as people read it: n-gram features (`char:提升到`, `word:复盘`) as the quoted text. */
export function featureLabel(feature: string): string {
  const m = /^(?:char|word):(.*)$/s.exec(feature)
  return m ? `「${m[1]}」` : feature
}

/** The contributions worth showing: those that moved the score (effects round to 0.00 say nothing). */
export function visibleContributions<C extends { effect: number }>(cs: readonly C[]): C[] {
  return cs.filter((c) => Math.abs(c.effect) >= 0.005)
}

export interface DimensionNames {
  [key: string]: { name: string; name_en: string }
}

export function evidenceSpans(
  score: AnswerScore | null,
  part: Evidence['part'],
  names: DimensionNames,
  zh: boolean,
  kindLabel: (kind: string) => string,
): Span<EvidenceMark>[] {
  if (!score) return []
  const out: Span<EvidenceMark>[] = []
  const add = (e: Evidence, label: string, cls: string) => {
    if (e.part === part && e.end > e.begin) out.push({ begin: e.begin, end: e.end, data: { label, cls } })
  }
  for (const d of score.dimensions) {
    const dn = names[d.dimension_key]
    const dimName = dn ? (zh ? dn.name : dn.name_en || dn.name) : d.dimension_key
    for (const ind of d.indicators) {
      if (!ind.found) continue
      const indName = zh ? ind.name : ind.name_en || ind.name
      for (const e of ind.evidence) add(e, `${dimName} · ${indName}`, 'kind-indicator')
    }
  }
  // A supervised model's strongest features, where they occur in the text.
  for (const d of score.dimensions)
    for (const c of d.model?.contributions ?? []) for (const e of c.evidence) add(e, `${kindLabel(e.kind)} · ${featureLabel(c.feature)}`, 'kind-model')
  for (const e of score.star.evidence) add(e, kindLabel(e.kind), 'kind-star')
  for (const e of score.specifics) add(e, kindLabel(e.kind), 'kind-specific')
  for (const f of score.flags) {
    // Length and near-copy flags cover the whole answer: a highlight would hide the other evidence and
    // add nothing to the flag listed with the scores.
    for (const e of f.evidence) if (!WHOLE_ANSWER_KINDS.has(e.kind)) add(e, zh ? f.message_zh : f.message_en, 'kind-flag')
  }
  // Stable order: earlier first, longer first, so nested spans show the outer label first.
  return out.sort((a, b) => a.begin - b.begin || b.end - a.end)
}
