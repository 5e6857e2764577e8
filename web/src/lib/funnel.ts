// The hiring funnel of one job from its applications per current stage (GET /api/v1/dashboard `funnel`).
// An application in a later pipeline stage has passed every earlier one, so "reached" sums the current
// counts of a stage and all later pipeline stages. Rejected and talent-pool applications left the pipeline
// at a stage the counts do not tell: they count as having reached only the first stage (new).
import type { Stage } from '@/api/types'

export const PIPELINE: readonly Stage[] = [
  'new',
  'screening',
  'interview_invited',
  'interviewing',
  'interview_completed',
  'hr_review',
  'second_round',
  'offer',
  'hired',
]
export const EXITS: readonly Stage[] = ['rejected', 'talent_pool']

export interface FunnelStep {
  stage: Stage
  /** Applications now in this stage. */
  current: number
  /** Applications now in this stage or a later one of the pipeline (plus, for `new`, those that left). */
  reached: number
}

export function funnelSteps(stages: Record<string, number>): FunnelStep[] {
  const n = (s: Stage) => Math.max(0, Math.floor(Number(stages[s] ?? 0)) || 0)
  const exited = EXITS.reduce((sum, s) => sum + n(s), 0)
  const steps: FunnelStep[] = []
  let below = 0
  for (let i = PIPELINE.length - 1; i >= 0; i--) {
    below += n(PIPELINE[i])
    steps.unshift({ stage: PIPELINE[i], current: n(PIPELINE[i]), reached: below })
  }
  steps[0].reached += exited
  return steps
}

/** Share of `reached` of the first step, 0..100 rounded (0 when the job has no applications). */
export function conversion(steps: FunnelStep[], i: number): number {
  const top = steps[0]?.reached ?? 0
  return top > 0 ? Math.round((steps[i].reached / top) * 100) : 0
}
