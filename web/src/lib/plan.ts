// Pure helpers of the interview-plan builder (reordering by drag or buttons, totals).
import type { PlanSection } from '@/api/types'

export interface Slot {
  section: number
  index: number
}

/**
 * Moves the question at `from` to `to` (index in the target section before the move). Returns new
 * sections; the input is not changed. Moving within a section to a later index accounts for the removal.
 */
export function moveQuestion(sections: PlanSection[], from: Slot, to: Slot): PlanSection[] {
  const out = sections.map((s) => ({ ...s, question_ids: [...s.question_ids] }))
  const src = out[from.section]
  const dst = out[to.section]
  if (!src || !dst || from.index < 0 || from.index >= src.question_ids.length) return out
  const [id] = src.question_ids.splice(from.index, 1)
  let at = to.index
  if (from.section === to.section && to.index > from.index) at -= 1
  at = Math.max(0, Math.min(at, dst.question_ids.length))
  dst.question_ids.splice(at, 0, id)
  return out
}

export interface Timing {
  think_seconds: number
  answer_seconds: number
}

export function planTotals(sections: PlanSection[], timing: (id: string) => Timing | undefined) {
  let think = 0
  let answer = 0
  let count = 0
  for (const s of sections)
    for (const id of s.question_ids) {
      const q = timing(id)
      count++
      if (q) {
        think += q.think_seconds
        answer += q.answer_seconds
      }
    }
  return { count, thinkSeconds: think, answerSeconds: answer, minutes: Math.round((think + answer) / 60) }
}

export function usedIds(sections: PlanSection[]): Set<string> {
  return new Set(sections.flatMap((s) => s.question_ids))
}
