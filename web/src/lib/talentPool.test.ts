import { describe, expect, it } from 'vitest'
import type { Job, TalentPoolCandidate } from '@/api/types'
import { emailOutcome, jobChoices, poolQuery } from './talentPool'

const job = (id: string, title: string, status: Job['status'] = 'open'): Job => ({
  id,
  title,
  department_id: 'D1',
  description: '',
  requirements: [],
  location: null,
  employment_type: null,
  status,
  thresholds: { recommend: 80, review: 60 },
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
})

const cand: TalentPoolCandidate = {
  candidate_id: 'C1',
  candidate_name: '张三',
  tags: ['java'],
  best_overall: 72.5,
  applications: [{ application_id: 'A1', job_id: 'J1', job_title: '后端工程师', stage: 'talent_pool', overall: 72.5, updated_at: '2026-12-01T00:00:00Z' }],
}

describe('poolQuery', () => {
  it('leaves out empty filters and trims the exact-match search', () => {
    expect(poolQuery({ q: '  ', tag: '', min_score: null }, 20)).toEqual({ limit: 20, cursor: undefined, q: undefined, tag: undefined, min_score: undefined })
    expect(poolQuery({ q: ' a@b.cn ', tag: ' java ', min_score: 0 }, 50, 'CUR')).toEqual({ limit: 50, cursor: 'CUR', q: 'a@b.cn', tag: 'java', min_score: 0 })
  })
})

describe('jobChoices', () => {
  it('offers open jobs only, jobs the candidate already applied to last and marked', () => {
    const got = jobChoices(cand, [job('J1', '后端工程师'), job('J2', '测试工程师'), job('J3', '已关闭', 'closed'), job('J4', '草稿', 'draft')])
    expect(got).toEqual([
      { id: 'J2', title: '测试工程师', applied: false },
      { id: 'J1', title: '后端工程师', applied: true },
    ])
  })
})

describe('emailOutcome', () => {
  it('tells queued, not queued with the reason, and not asked', () => {
    expect(emailOutcome(undefined)).toEqual({ kind: 'none' })
    expect(emailOutcome({ queued: true, delivery_id: 'X' })).toEqual({ kind: 'queued' })
    expect(emailOutcome({ queued: false, reason: 'no enabled notification channel of this kind' })).toEqual({
      kind: 'not_queued',
      reason: 'no enabled notification channel of this kind',
      known: 'no_channel',
    })
    expect(emailOutcome({ queued: false, reason: 'the candidate has no address for this channel' })).toMatchObject({ known: 'no_address' })
    expect(emailOutcome({ queued: false, reason: 'rate limited' })).toEqual({ kind: 'not_queued', reason: 'rate limited', known: null })
    expect(emailOutcome({ queued: false })).toEqual({ kind: 'not_queued', reason: '', known: null })
  })
})
