// One line of text for an audit-derived activity entry (dashboard "recent activity", application
// history): which message to show and its parameters. The audit action names the event; the safe
// details (stage moves, scores, the decision) fill it in. Pure: `t` is vue-i18n's translate.
import type { ActivityEntry } from '@/api/types'

type Translate = (key: string, params?: Record<string, unknown>) => string

export const KNOWN_ACTIONS = [
  'application.create',
  'application.stage_changed',
  'application.decision',
  'application.comment',
  'interview.invite',
  'interview.resend',
  'interview.revoke',
  'interview.extend',
  'interview.consent',
  'interview.finish',
  'interview.scored',
  'interview.rescored',
  'interview.score_override',
  'interview.report_released',
  'interview.result_viewed',
  'task.create',
  'task.resolve',
] as const

/** The i18n key of an action (`activity.action.interview_finish`), or the generic one. */
export function actionKey(action: string): string {
  return (KNOWN_ACTIONS as readonly string[]).includes(action) ? `activity.action.${action.replace('.', '_')}` : 'activity.action.other'
}

const STAGE = /^[a-z_]+$/

export function activityText(e: ActivityEntry, t: Translate): string {
  const d = e.details ?? {}
  const stage = (s: unknown) => (typeof s === 'string' && STAGE.test(s) ? t('stage.' + s) : '—')
  const score = (v: unknown) => (typeof v === 'number' ? (Math.round(v * 10) / 10).toString() : '—')
  const params: Record<string, unknown> = {
    from: stage(d.from),
    to: stage(d.to),
    overall: score(d.overall),
    score: score(d.score),
    action: e.action,
  }
  if (e.action === 'application.decision')
    return t(d.decision === 'decline' ? 'activity.action.application_decline' : 'activity.action.application_approve', params)
  return t(actionKey(e.action), params)
}

/** Who did it: the user's or token's name, or the kind of actor. */
export function actorText(e: ActivityEntry, t: Translate): string {
  if (e.actor.name) return e.actor.name
  return t('activity.actor.' + (['user', 'token', 'candidate', 'system'].includes(e.actor.type) ? e.actor.type : 'system'))
}
