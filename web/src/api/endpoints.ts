// Typed calls of the REST API v1, one function per operation the app uses.
import { http, queryString, request, type Query } from './client'
import type * as T from './types'

const V = '/api/v1'
const enc = encodeURIComponent

export interface ListQuery extends Query {
  limit?: number
  cursor?: string | null
}

export const auth = {
  login: (email: string, password: string) => http.post<T.LoginResponse>(`${V}/auth/login`, { email, password }),
  logout: () => http.post<void>(`${V}/auth/logout`),
  me: () => http.get<T.Me>(`${V}/me`),
}

export const departments = {
  list: (q: ListQuery = {}) => http.get<T.Page<T.Department>>(`${V}/departments`, q),
  create: (b: { name: string; description?: string }) => http.post<T.Department>(`${V}/departments`, b),
  update: (id: string, b: { name?: string; description?: string }) => http.patch<T.Department>(`${V}/departments/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/departments/${enc(id)}`),
}

export const users = {
  list: (q: ListQuery = {}) => http.get<T.Page<T.User>>(`${V}/users`, q),
  create: (b: { email: string; name: string; role: T.Role; password: string; department_ids?: string[] }) =>
    http.post<T.User>(`${V}/users`, b),
  update: (id: string, b: Partial<{ name: string; role: T.Role; department_ids: string[]; status: 'active' | 'disabled'; password: string }>) =>
    http.patch<T.User>(`${V}/users/${enc(id)}`, b),
}

export const jobs = {
  list: (q: ListQuery & { department_id?: string; status?: T.JobStatus; q?: string } = {}) => http.get<T.Page<T.Job>>(`${V}/jobs`, q),
  get: (id: string) => http.get<T.Job>(`${V}/jobs/${enc(id)}`),
  create: (b: T.JobInput) => http.post<T.Job>(`${V}/jobs`, b),
  update: (id: string, b: Partial<T.JobInput>) => http.patch<T.Job>(`${V}/jobs/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/jobs/${enc(id)}`),
  getModel: (id: string) => http.get<T.CompetencyModel>(`${V}/jobs/${enc(id)}/competency-model`),
  putModel: (id: string, dimensions: T.CompetencyDimension[]) =>
    http.put<T.CompetencyModel>(`${V}/jobs/${enc(id)}/competency-model`, { dimensions }),
  getPlan: (id: string) => http.get<T.InterviewPlan>(`${V}/jobs/${enc(id)}/interview-plan`),
  putPlan: (id: string, b: T.InterviewPlanPut) => http.put<T.InterviewPlan>(`${V}/jobs/${enc(id)}/interview-plan`, b),
}

export const questions = {
  list: (q: ListQuery & { job_id?: string; type?: T.QuestionType; dimension_key?: string; q?: string } = {}) =>
    http.get<T.Page<T.Question>>(`${V}/questions`, q),
  get: (id: string) => http.get<T.Question>(`${V}/questions/${enc(id)}`),
  create: (b: T.QuestionInput) => http.post<T.Question>(`${V}/questions`, b),
  update: (id: string, b: Partial<T.QuestionInput>) => http.patch<T.Question>(`${V}/questions/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/questions/${enc(id)}`),
}

export const candidates = {
  list: (q: ListQuery & { email?: string; phone?: string; tag?: string } = {}) => http.get<T.Page<T.Candidate>>(`${V}/candidates`, q),
  get: (id: string) => http.get<T.Candidate>(`${V}/candidates/${enc(id)}`),
  create: (b: T.CandidateInput) => http.post<T.Candidate>(`${V}/candidates`, b),
}

export const applications = {
  list: (q: ListQuery & { job_id?: string; department_id?: string; stage?: T.Stage; candidate_id?: string } = {}) =>
    http.get<T.Page<T.Application>>(`${V}/applications`, q),
  get: (id: string) => http.get<T.Application>(`${V}/applications/${enc(id)}`),
  create: (b: { candidate_id: string; job_id: string; stage?: T.Stage; source?: string }) => http.post<T.Application>(`${V}/applications`, b),
  setStage: (id: string, stage: T.Stage) => http.patch<T.Application>(`${V}/applications/${enc(id)}`, { stage }),
  interview: (id: string) => http.get<T.InterviewHrView>(`${V}/applications/${enc(id)}/interview`),
  invite: (id: string, o: { expires_in_days?: number; send_email?: boolean } = {}) =>
    http.post<T.InterviewInvitation>(`${V}/applications/${enc(id)}/invitation`, o.expires_in_days || o.send_email ? o : undefined),
  resend: (id: string, sendEmail = false) =>
    http.post<T.InterviewInvitation>(`${V}/applications/${enc(id)}/invitation/resend`, sendEmail ? { send_email: true } : undefined),
  revoke: (id: string) => http.post<T.Interview>(`${V}/applications/${enc(id)}/invitation/revoke`),
  extend: (id: string, days: number) => http.post<T.Interview>(`${V}/applications/${enc(id)}/invitation/extend`, { days }),
  override: (id: string, b: { dimension_key: string | null; score: number; reason: string }) =>
    http.post<T.InterviewHrView>(`${V}/applications/${enc(id)}/interview/overrides`, b),
  rescore: (id: string) => http.post<T.InterviewHrView>(`${V}/applications/${enc(id)}/interview/rescore`),
  releaseReport: (id: string) => http.post<T.Interview>(`${V}/applications/${enc(id)}/interview/release-report`),
}

/** The query of the applications table (repeated `dim`; empty values left out). */
export function applicationQuery(f: T.ApplicationFilters, limit?: number, cursor?: string | null): Query {
  return {
    limit,
    cursor: cursor ?? undefined,
    job_id: f.job_id || undefined,
    department_id: f.department_id || undefined,
    stage: f.stage || undefined,
    q: f.q?.trim() || undefined,
    candidate_id: f.candidate_id || undefined,
    interview_status: f.interview_status || undefined,
    recommendation: f.recommendation || undefined,
    min_score: f.min_score ?? undefined,
    dim: f.dim && f.dim.length ? f.dim : undefined,
    sort: f.sort || undefined,
  }
}

export const workspace = {
  list: (f: T.ApplicationFilters, limit: number, cursor?: string | null) =>
    http.get<T.ApplicationListPage>(`${V}/applications`, applicationQuery(f, limit, cursor)),
  exportUrl: (f: T.ApplicationFilters) => `${V}/applications/export.csv${queryString(applicationQuery(f))}`,
  bulk: (b: { action: 'move_stage' | 'invite'; ids: string[]; stage?: T.Stage; expires_in_days?: number; send_email?: boolean }) =>
    http.post<T.BulkResult>(`${V}/applications/bulk`, b),
  dashboard: (todoLimit = 20, activityLimit = 20) =>
    http.get<T.Dashboard>(`${V}/dashboard`, { todo_limit: todoLimit, activity_limit: activityLimit }),
  history: (id: string) => http.get<T.ApplicationHistory>(`${V}/applications/${enc(id)}/history`),
  comments: (id: string, q: ListQuery = {}) => http.get<T.Page<T.Comment>>(`${V}/applications/${enc(id)}/comments`, q),
  addComment: (id: string, body: string, mentions: string[]) =>
    http.post<T.Comment>(`${V}/applications/${enc(id)}/comments`, mentions.length ? { body, mentions } : { body }),
  mentionable: (id: string) => http.get<{ items: T.MentionableUser[] }>(`${V}/applications/${enc(id)}/mentionable-users`),
  notifications: (q: ListQuery & { unread?: boolean } = {}) => http.get<T.NotificationPage>(`${V}/notifications`, q),
  markRead: (b: { ids: string[] } | { all: true }) => http.post<{ marked: number; unread_count: number }>(`${V}/notifications/read`, b),
  reviews: (q: ListQuery & { job_id?: string; sort?: T.AppSort } = {}) => http.get<T.ApplicationListPage>(`${V}/reviews`, q),
  decide: (id: string, decision: 'approve' | 'decline', comment?: string) =>
    http.post<T.DecisionResult>(`${V}/applications/${enc(id)}/decision`, comment ? { decision, comment } : { decision }),
}

export const apiTokens = {
  list: (q: ListQuery = {}) => http.get<T.Page<T.ApiToken>>(`${V}/api-tokens`, q),
  create: (b: { name: string; scopes: ('read' | 'write')[] }) => http.post<T.ApiTokenCreated>(`${V}/api-tokens`, b),
  revoke: (id: string) => http.del<void>(`${V}/api-tokens/${enc(id)}`),
}

export const auditLog = {
  list: (q: ListQuery & { actor_id?: string; target_type?: string; target_id?: string; action?: string; since?: string; until?: string } = {}) =>
    http.get<T.Page<T.AuditEntry>>(`${V}/audit-log`, q),
}

export const courses = {
  list: (q: ListQuery & { dimension_key?: string } = {}) => http.get<T.Page<T.Course>>(`${V}/courses`, q),
  create: (b: T.CourseInput) => http.post<T.Course>(`${V}/courses`, b),
  update: (id: string, b: Partial<T.CourseInput>) => http.patch<T.Course>(`${V}/courses/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/courses/${enc(id)}`),
}

export const tasks = {
  list: (q: ListQuery & { status?: 'open' | 'done'; kind?: string; application_id?: string } = {}) => http.get<T.Page<T.Task>>(`${V}/tasks`, q),
  resolve: (id: string, resolution: string) => http.patch<T.Task>(`${V}/tasks/${enc(id)}`, { resolution, status: 'done' }),
}

export const automation = {
  list: (q: { job_id?: string; scope?: 'organisation' } = {}) => http.get<{ items: T.AutomationRule[] }>(`${V}/automation-rules`, q),
  create: (b: T.AutomationRuleInput) => http.post<T.AutomationRule>(`${V}/automation-rules`, b),
  update: (id: string, b: Partial<Omit<T.AutomationRuleInput, 'job_id'>>) => http.patch<T.AutomationRule>(`${V}/automation-rules/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/automation-rules/${enc(id)}`),
  /** Without a rule: the job's saved rules; with one: that proposed rule alone. */
  dryRun: (jobId: string, rule?: Omit<T.AutomationRuleInput, 'job_id'>) =>
    http.post<T.AutomationDryRun>(`${V}/jobs/${enc(jobId)}/automation-rules/dry-run`, rule),
}

export const backgroundJobs = {
  list: (q: ListQuery & { state?: T.BackgroundJobState; kind?: string } = {}) => http.get<T.Page<T.BackgroundJob>>(`${V}/background-jobs`, q),
  get: (id: string) => http.get<T.BackgroundJob>(`${V}/background-jobs/${enc(id)}`),
  retry: (id: string) => http.post<T.BackgroundJob>(`${V}/background-jobs/${enc(id)}/retry`),
}

export const messageTemplates = {
  list: (q: ListQuery = {}) => http.get<T.Page<T.MessageTemplate>>(`${V}/message-templates`, q),
  create: (b: T.MessageTemplateInput) => http.post<T.MessageTemplate>(`${V}/message-templates`, b),
  update: (id: string, b: T.MessageTemplateInput) => http.patch<T.MessageTemplate>(`${V}/message-templates/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/message-templates/${enc(id)}`),
  preview: (b: { subject_zh?: string; subject_en?: string; body_zh: string; body_en: string; variables?: Record<string, string> }) =>
    http.post<T.MessageTemplatePreview>(`${V}/message-templates/preview`, b),
}

export const channels = {
  list: (q: ListQuery = {}) => http.get<T.Page<T.NotificationChannel>>(`${V}/notification-channels`, q),
  create: (b: T.NotificationChannelInput) => http.post<T.NotificationChannel>(`${V}/notification-channels`, b),
  update: (id: string, b: T.NotificationChannelInput) => http.patch<T.NotificationChannel>(`${V}/notification-channels/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/notification-channels/${enc(id)}`),
}

export const webhooks = {
  list: (q: ListQuery = {}) => http.get<T.Page<T.WebhookSubscription>>(`${V}/webhooks`, q),
  create: (b: T.WebhookSubscriptionInput) => http.post<T.WebhookSubscriptionCreated>(`${V}/webhooks`, b),
  update: (id: string, b: T.WebhookSubscriptionInput) => http.patch<T.WebhookSubscription>(`${V}/webhooks/${enc(id)}`, b),
  remove: (id: string) => http.del<void>(`${V}/webhooks/${enc(id)}`),
  test: (id: string) => http.post<T.Delivery>(`${V}/webhooks/${enc(id)}/test`),
  deliveries: (q: ListQuery & { kind?: 'message' | 'webhook'; status?: T.DeliveryStatus; subscription_id?: string } = {}) =>
    http.get<T.Page<T.Delivery>>(`${V}/deliveries`, q),
  delivery: (id: string) => http.get<T.DeliveryDetail>(`${V}/deliveries/${enc(id)}`),
  replay: (id: string) => http.post<T.Delivery>(`${V}/deliveries/${enc(id)}/replay`),
}

export const scoringModels = {
  ratings: (qid: string, q: ListQuery & { dimension_key?: string } = {}) => http.get<T.RatingPage>(`${V}/questions/${enc(qid)}/ratings`, q),
  /** `format` picks the parser on the server: TSV or CSV. */
  importRatings: (qid: string, data: string, format: 'csv' | 'tsv', dimensionKey?: string) =>
    request<T.RatingImportReport>('POST', `${V}/questions/${enc(qid)}/ratings/import`, {
      query: { dimension_key: dimensionKey || undefined },
      raw: { contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'text/tab-separated-values; charset=utf-8', data },
    }),
  removeRating: (qid: string, id: string) => http.del<void>(`${V}/questions/${enc(qid)}/ratings/${enc(id)}`),
  list: (qid: string, q: ListQuery & { dimension_key?: string } = {}) => http.get<T.ScoringModelPage>(`${V}/questions/${enc(qid)}/models`, q),
  get: (qid: string, version: number) => http.get<T.ScoringModel>(`${V}/questions/${enc(qid)}/models/${version}`),
  train: (qid: string, dimensionKey?: string | null) =>
    http.post<T.ScoringModel>(`${V}/questions/${enc(qid)}/models`, dimensionKey ? { dimension_key: dimensionKey } : {}),
  activate: (qid: string, version: number) => http.post<T.ScoringModel>(`${V}/questions/${enc(qid)}/models/${version}/activate`),
  deactivate: (qid: string, version: number) => http.post<T.ScoringModel>(`${V}/questions/${enc(qid)}/models/${version}/deactivate`),
}

// Candidate routes: the token in the path is the credential.
const iv = (token: string) => `${V}/interview/${enc(token)}`
const anon = { anonymous: true }
export const candidateInterview = {
  overview: (token: string) => http.get<T.CandidateOverview>(iv(token), undefined, anon),
  consent: (token: string, version: string, audioVideo: boolean) =>
    http.post<T.CandidateOverview>(`${iv(token)}/consent`, { consent_version: version, accept: true, audio_video_analysis: audioVideo }, anon),
  current: (token: string) => http.get<T.InterviewStep>(`${iv(token)}/current`, undefined, anon),
  saveDraft: (token: string, position: number, text: string) => http.put<void>(`${iv(token)}/questions/${position}/draft`, { text }, anon),
  answer: (token: string, position: number, text: string, clientElapsedMs?: number) =>
    http.post<T.AnswerReceipt>(`${iv(token)}/questions/${position}/answers`, { text, client_elapsed_ms: clientElapsedMs }, anon),
  followUp: (token: string, position: number, text: string, clientElapsedMs?: number) =>
    http.post<T.FollowUpReceipt>(`${iv(token)}/questions/${position}/follow-up`, { text, client_elapsed_ms: clientElapsedMs }, anon),
  next: (token: string, position: number) => http.post<T.InterviewStep>(`${iv(token)}/questions/${position}/next`, undefined, anon),
  event: (token: string, kind: T.IntegrityKind, position?: number, durationMs?: number) =>
    http.post<void>(`${iv(token)}/events`, { kind, position, duration_ms: durationMs }, { ...anon, keepalive: true }),
  finish: (token: string) => http.post<T.FinishResult>(`${iv(token)}/finish`, undefined, anon),
  report: (token: string) => http.get<T.CandidateReport>(`${iv(token)}/report`, undefined, anon),
  requestReview: (token: string, reason?: string) =>
    http.post<{ task_id: string; status: string; created_at: string }>(`${iv(token)}/review-request`, reason ? { reason } : undefined, anon),
}

/** Follows `next_cursor` until the list ends or `max` items are read (small lists: departments, a job's questions). */
export async function listAll<I>(fetchPage: (cursor: string | null) => Promise<T.Page<I>>, max = 1000): Promise<I[]> {
  const out: I[] = []
  let cursor: string | null = null
  do {
    const page: T.Page<I> = await fetchPage(cursor)
    out.push(...page.items)
    cursor = page.next_cursor
  } while (cursor && out.length < max)
  return out
}

/** The talent pool (人才库): past candidates kept for later jobs. */
export const talentPool = {
  list: (q: ListQuery & { q?: string; tag?: string; min_score?: number }) => http.get<T.Page<T.TalentPoolCandidate>>(`${V}/talent-pool`, q),
  reinvite: (candidateId: string, b: { job_id: string; expires_in_days?: number; send_email?: boolean }) =>
    http.post<T.ReinviteResult>(`${V}/talent-pool/${enc(candidateId)}/reinvite`, b),
}
