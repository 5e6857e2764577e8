// The talent pool page's query and the re-invite dialog's choices, and how an invitation's e-mail outcome
// is told to HR (queued, or the server's reason why not: no enabled e-mail channel, no address).
import type { Query } from '@/api/client'
import type { InvitationEmail, Job, TalentPoolCandidate } from '@/api/types'

export interface PoolFilters {
  q: string
  tag: string
  min_score: number | null
}

/** The GET /talent-pool query: empty filters left out; `q` trimmed (the server matches it exactly). */
export function poolQuery(f: PoolFilters, limit: number, cursor?: string | null): Query {
  return {
    limit,
    cursor: cursor ?? undefined,
    q: f.q.trim() || undefined,
    tag: f.tag.trim() || undefined,
    min_score: f.min_score ?? undefined,
  }
}

export interface JobChoice {
  id: string
  title: string
  /** The candidate already has an application to this job: the server would answer 409 duplicate_application. */
  applied: boolean
}

/** Open jobs to re-invite to, the ones the candidate never applied to first. */
export function jobChoices(c: TalentPoolCandidate, jobs: Job[]): JobChoice[] {
  const applied = new Set(c.applications.map((a) => a.job_id))
  return jobs
    .filter((j) => j.status === 'open')
    .map((j) => ({ id: j.id, title: j.title, applied: applied.has(j.id) }))
    .sort((a, b) => Number(a.applied) - Number(b.applied))
}

/** The server's reasons (English messages of src/notify) HR is told in their language; others shown as sent. */
export type KnownEmailReason = 'no_channel' | 'no_address'

export type EmailOutcome = { kind: 'none' } | { kind: 'queued' } | { kind: 'not_queued'; reason: string; known: KnownEmailReason | null }

function knownReason(reason: string): KnownEmailReason | null {
  if (/no enabled notification channel/i.test(reason)) return 'no_channel'
  if (/has no address/i.test(reason)) return 'no_address'
  return null
}

/** What became of the e-mail asked for with an invitation; `none` when none was asked for. */
export function emailOutcome(e: InvitationEmail | undefined | null): EmailOutcome {
  if (!e) return { kind: 'none' }
  if (e.queued) return { kind: 'queued' }
  const reason = e.reason ?? ''
  return { kind: 'not_queued', reason, known: knownReason(reason) }
}
