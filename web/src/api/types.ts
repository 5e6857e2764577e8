// Shapes of the REST API v1 (docs/openapi.yaml, docs/api-resources.md). Only what the app reads or sends.

export type Id = string
export type IsoTime = string

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface ErrorDetail {
  field?: string
  message?: string
  [extra: string]: unknown
}

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] }
}

export type Role = 'admin' | 'hr' | 'manager' | 'auditor'
export const ROLES: readonly Role[] = ['admin', 'hr', 'manager', 'auditor']

export interface User {
  id: Id
  email: string
  name: string
  role: Role
  department_ids: Id[]
  status: 'active' | 'disabled'
  created_at: IsoTime
  updated_at: IsoTime
  last_login_at: IsoTime | null
}

export interface LoginResponse {
  user: User
  csrf_token: string
}

export interface Me {
  user: User | null
  permissions: string[]
  csrf_token: string
}

export interface Department {
  id: Id
  name: string
  description: string
  created_at: IsoTime
  updated_at: IsoTime
}

export type JobStatus = 'draft' | 'open' | 'closed'
export const JOB_STATUSES: readonly JobStatus[] = ['draft', 'open', 'closed']
export type EmploymentType = 'full_time' | 'part_time' | 'intern' | 'contract'
export const EMPLOYMENT_TYPES: readonly EmploymentType[] = ['full_time', 'part_time', 'intern', 'contract']

export interface Thresholds {
  recommend: number
  review: number
}

export interface Job {
  id: Id
  title: string
  department_id: Id
  description: string
  requirements: string[]
  location: string | null
  employment_type: EmploymentType | null
  status: JobStatus
  thresholds: Thresholds
  created_at: IsoTime
  updated_at: IsoTime
}

export interface JobInput {
  title: string
  department_id: Id
  description?: string
  requirements?: string[]
  location?: string
  employment_type?: EmploymentType
  status?: JobStatus
  thresholds?: Thresholds
}

export interface CompetencyIndicator {
  key: string
  name: string
  name_en: string
  synonyms: string[]
}

export interface CompetencyDimension {
  key: string
  name: string
  name_en: string
  description: string
  weight: number
  indicators: CompetencyIndicator[]
  level_anchors: string[]
}

export interface CompetencyModel {
  job_id: Id
  version: number
  updated_at: IsoTime
  dimensions: CompetencyDimension[]
}

export type QuestionType = 'behavioural' | 'situational' | 'technical' | 'scenario'
export const QUESTION_TYPES: readonly QuestionType[] = ['behavioural', 'situational', 'technical', 'scenario']

export interface BilingualText {
  zh: string
  en: string
}

export interface KeyPoint {
  text: string
  synonyms: string[]
  dimension_key: string | null
}

export interface Question {
  id: Id
  job_id: Id | null
  type: QuestionType
  text: { zh: string | null; en: string | null }
  dimension_keys: string[]
  scenario: { title: string; context: string } | null
  rubric: { key_points: KeyPoint[]; notes: string | null }
  reference_answers: { text: string; score: number | null; language: string }[]
  think_seconds: number
  answer_seconds: number
  expected_length: { min: number; max: number }
  tags: string[]
  created_at: IsoTime
  updated_at: IsoTime
}

export interface QuestionInput {
  job_id?: Id | null
  type: QuestionType
  text: { zh?: string; en?: string }
  dimension_keys?: string[]
  scenario?: { title: string; context: string } | null
  rubric?: { key_points?: { text: string; synonyms?: string[]; dimension_key?: string | null }[]; notes?: string }
  reference_answers?: { text: string; score?: number | null; language?: 'zh' | 'en' }[]
  think_seconds?: number
  answer_seconds?: number
  expected_length?: { min?: number; max?: number }
  tags?: string[]
}

export type AnswerMode = 'text' | 'audio' | 'video'

export interface PlanSection {
  key: string
  title: string
  question_ids: Id[]
}

export interface InterviewPlan {
  job_id: Id
  updated_at: IsoTime
  sections: PlanSection[]
  reanswer_limit: number
  feedback_enabled: boolean
  follow_ups_enabled: boolean
  answer_modes: AnswerMode[]
  expires_in_days: number
}

export type InterviewPlanPut = Omit<InterviewPlan, 'job_id' | 'updated_at'>

export interface Candidate {
  id: Id
  name: string
  email: string | null
  phone: string | null
  national_id: string | null
  resume_text: string | null
  source: string | null
  tags: string[]
  created_at: IsoTime
  updated_at: IsoTime
}

export interface CandidateInput {
  name: string
  email?: string
  phone?: string
  source?: string
  tags?: string[]
  resume_text?: string
}

export type Stage =
  | 'new'
  | 'screening'
  | 'interview_invited'
  | 'interviewing'
  | 'interview_completed'
  | 'hr_review'
  | 'second_round'
  | 'offer'
  | 'hired'
  | 'rejected'
  | 'talent_pool'

export const STAGES: readonly Stage[] = [
  'new',
  'screening',
  'interview_invited',
  'interviewing',
  'interview_completed',
  'hr_review',
  'second_round',
  'offer',
  'hired',
  'rejected',
  'talent_pool',
]

export interface Application {
  id: Id
  candidate_id: Id
  job_id: Id
  department_id: Id
  stage: Stage
  source: string | null
  candidate_name: string
  job_title: string
  created_at: IsoTime
  updated_at: IsoTime
}

export interface ApiToken {
  id: Id
  name: string
  scopes: ('read' | 'write')[]
  prefix: string
  created_by: Id
  created_at: IsoTime
  last_used_at: IsoTime | null
  revoked_at: IsoTime | null
}

export interface ApiTokenCreated extends ApiToken {
  token: string
}

export interface AuditEntry {
  seq: number
  id: Id
  at: IsoTime
  actor_type: string
  actor_id: string | null
  action: string
  target_type: string | null
  target_id: string | null
  changes: { before: unknown; after: unknown } | null
  request_id: string | null
  ip: string | null
  prev_hash: string | null
  hash: string
}

// ----- interviews: HR -----
export type InterviewStatus = 'invited' | 'in_progress' | 'completed' | 'revoked'
export type Recommendation = 'recommend' | 'review' | 'not_recommended'

export interface Interview {
  id: Id
  application_id: Id
  job_id: Id
  status: InterviewStatus
  link_active: boolean
  expires_at: IsoTime
  invitations_sent: number
  question_count: number
  current_position: number
  consented_at: IsoTime | null
  audio_video_consent: boolean
  finished_at: IsoTime | null
  revoked_at: IsoTime | null
  report_released_at: IsoTime | null
  overall: number | null
  recommendation: Recommendation | null
  score_version: number
  created_at: IsoTime
  updated_at: IsoTime
}

/** Present when `send_email` was asked for: queued, or why not (the invitation stands either way). */
export interface InvitationEmail {
  queued: boolean
  delivery_id?: string | null
  reason?: string
}

export interface InterviewInvitation extends Interview {
  token: string
  email?: InvitationEmail
  link: string
}

export interface Evidence {
  kind: string
  label: string
  part: 'answer' | 'follow_up'
  /** Offsets in Unicode code points (not UTF-16 units) into the text named by `part`. */
  begin: number
  end: number
  text: string
}

export interface ScoreFlag {
  code: string
  message_zh: string
  message_en: string
  evidence: Evidence[]
  other_interview_id?: Id
  position?: number
}

export interface IndicatorResult {
  key: string
  name: string
  name_en: string
  from_key_point: boolean
  found: boolean
  evidence: Evidence[]
}

export interface AnswerDimensionScore {
  dimension_key: string
  score: number
  level: number
  level_anchor: string
  components: { indicators: number; star: number; specificity: number; relevance: number; length: number }
  indicators: IndicatorResult[]
  explanation_zh: string
  explanation_en: string
  /** `supervised` when a trained model scored this dimension (then `model` is set); `rubric` otherwise. */
  scorer?: string
  model?: SupervisedModelUse
}

/** What a supervised model contributed to a dimension's score (the answer's evidence). */
export interface SupervisedModelUse {
  model_id: Id
  version: number
  dimension_key: string | null
  expected_rating: number
  rating: number
  max_rating: number
  rubric_score: number
  contributions: { feature: string; effect: number; evidence: Evidence[] }[]
}

export interface AnswerScore {
  position: number
  question_id: Id
  answer_id: Id | null
  attempt: number | null
  follow_up_answer_id: Id | null
  dimensions: AnswerDimensionScore[]
  star: { situation: boolean; task: boolean; action: boolean; result: boolean; evidence: Evidence[] }
  specifics: Evidence[]
  flags: ScoreFlag[]
  language: 'zh' | 'en' | 'mixed'
  length_chars: number
  empty: boolean
  scorer: string
  scorer_version: string
}

export interface IntegrityCounts {
  tab_hidden: number
  paste: number
  window_blur: number
  copy: number
  fullscreen_exit: number
  total: number
}

export interface AnswerAttempt {
  id: Id
  attempt: number
  text: string
  chars: number
  elapsed_ms: number
  late: boolean
  submitted_at: IsoTime
  scored?: boolean
}

export interface AnswerFeedback {
  note_zh: string
  note_en: string
}

export interface InterviewHrQuestion {
  position: number
  question_id: Id
  section: { key: string; title: string }
  type: QuestionType
  text: BilingualText
  dimension_keys: string[]
  shown_at: IsoTime | null
  completed_at: IsoTime | null
  attempts: AnswerAttempt[]
  feedback: AnswerFeedback | null
  follow_up: { question_zh: string; question_en: string; answer: AnswerAttempt | null } | null
  integrity: IntegrityCounts
  score: AnswerScore | null
}

export interface InterviewDimensionScore {
  dimension_key: string
  name: string
  name_en: string
  weight: number
  score: number
  original_score: number
  overridden: boolean
  level: number
  level_anchor: string
  question_count: number
  answers: { position: number; score: number; explanation_zh: string; explanation_en: string }[]
}

export interface InterviewScore {
  version: number
  scorer: string
  scorer_version: string
  overall: number | null
  original_overall: number | null
  overall_overridden: boolean
  job_match: number | null
  percentile: number | null
  cohort_size: number
  recommendation: Recommendation | null
  thresholds: Thresholds
  dimensions: InterviewDimensionScore[]
  flags: ScoreFlag[]
}

export interface ScoreVersion {
  version: number
  scorer: string
  scorer_version: string
  overall: number | null
  recommendation: Recommendation | null
  created_by: string
  created_at: IsoTime
  current: boolean
}

export interface ScoreOverride {
  id: Id
  dimension_key: string | null
  score: number
  original: number | null
  reason: string
  actor_id: string
  created_at: IsoTime
}

export interface InterviewHrView {
  interview: Interview
  job: { id: Id; title: string }
  consent: {
    given: boolean
    version: string | null
    at: IsoTime | null
    audio_video_analysis: boolean
    user_agent: string | null
    ip: string | null
  }
  questions: InterviewHrQuestion[]
  integrity: IntegrityCounts
  score: InterviewScore | null
  score_versions: ScoreVersion[]
  overrides: ScoreOverride[]
}

// ----- interviews: candidate -----
export interface CandidateOverview {
  status: InterviewStatus
  organisation: string
  job_title: string
  expires_at: IsoTime
  server_time: IsoTime
  sections: { key: string; title: string; question_count: number }[]
  question_count: number
  time_limits: {
    think_seconds_total: number
    answer_seconds_total: number
    per_question: { position: number; section_key: string; think_seconds: number; answer_seconds: number }[]
  }
  dimensions: {
    key: string
    name: string
    name_en: string
    weight: number
    description: string
    indicators: { name: string; name_en: string }[]
  }[]
  how_assessed: BilingualText
  reanswer_limit: number
  feedback_enabled: boolean
  follow_ups_enabled: boolean
  answer_modes: AnswerMode[]
  audio_video_analysis: boolean
  data_use: { version: string; text_zh: string; text_en: string; retention_days: number }
  consent: { given: boolean; at: IsoTime | null; version: string | null; audio_video_analysis: boolean }
  progress: { current_position: number; answered: number; finished: boolean }
  report_available: boolean
}

export interface FollowUpQuestion {
  question_zh: string
  question_en: string
  answered: boolean
}

export interface QuestionStep {
  done: false
  position: number
  question_count: number
  section: { key: string; title: string }
  question: {
    id: Id
    type: QuestionType
    text: BilingualText
    scenario: { title: string; context: string } | null
    expected_length: { min: number; max: number }
  }
  think_seconds: number
  answer_seconds: number
  shown_at: IsoTime
  think_deadline: IsoTime
  answer_deadline: IsoTime
  server_time: IsoTime
  remaining_think_ms: number
  remaining_answer_ms: number
  attempts_used: number
  attempts_allowed: number
  draft: string | null
  last_answer: { attempt: number; text: string; late: boolean } | null
  feedback: AnswerFeedback | null
  follow_up: FollowUpQuestion | null
}

export interface DoneStep {
  done: true
  finished: boolean
  status: InterviewStatus
}

export type InterviewStep = QuestionStep | DoneStep

export interface AnswerReceipt {
  position: number
  attempt: number
  late: boolean
  elapsed_ms: number
  attempts_used: number
  attempts_allowed: number
  feedback: AnswerFeedback | null
  follow_up: FollowUpQuestion | null
}

export interface FollowUpReceipt {
  position: number
  kind: 'follow_up'
  late: boolean
  elapsed_ms: number
}

export type IntegrityKind = 'tab_hidden' | 'paste' | 'window_blur' | 'copy' | 'fullscreen_exit'

export interface FinishResult {
  status: 'completed'
  finished_at: IsoTime
  scored: boolean
  answered: number
  question_count: number
  report_available: boolean
}

export interface CourseLink {
  id: Id
  title: string
  title_en: string
  url: string
}

export interface ReportDimension {
  dimension_key: string
  name: string
  name_en: string
  weight: number
  score: number
  level: number
  level_anchor: string
  strength: boolean
  summary_zh: string
  summary_en: string
  advice_zh: string
  advice_en: string
  courses: CourseLink[]
}

export interface DimensionRef {
  dimension_key: string
  name: string
  name_en: string
}

export interface CandidateReport {
  organisation: string
  job_title: string
  finished_at: IsoTime | null
  overall: number | null
  level: number | null
  dimensions: ReportDimension[]
  strengths: DimensionRef[]
  improvements: DimensionRef[]
  recommended_courses: CourseLink[]
  human_review: BilingualText
}

export interface Course {
  id: Id
  title: string
  title_en: string
  url: string
  description: string
  dimension_keys: string[]
  max_level: number
  created_at: IsoTime
  updated_at: IsoTime
}

export interface CourseInput {
  title: string
  title_en?: string
  url: string
  description?: string
  dimension_keys: string[]
  max_level?: number
}

export interface Task {
  id: Id
  kind: 'human_review'
  status: 'open' | 'done'
  application_id: Id
  department_id: Id
  title: string
  detail: string
  resolution: string | null
  resolved_by: string | null
  resolved_at: IsoTime | null
  created_at: IsoTime
  updated_at: IsoTime
}

// ----- HR workspace (docs/openapi.yaml, tag Workspace) -----
export interface InterviewSummary {
  id: Id
  status: InterviewStatus
  finished_at: IsoTime | null
  overall: number | null
  recommendation: Recommendation | null
  score_version: number
  dimension_scores: Record<string, number>
  flags_count: number
  viewed_at: IsoTime | null
  viewed_by: string | null
}

export interface ApplicationListItem extends Application {
  interview: InterviewSummary | null
}

export interface ApplicationListPage extends Page<ApplicationListItem> {
  total: number
}

export type AppSort = '-created_at' | 'created_at' | '-overall' | 'overall'
export const APP_SORTS: readonly AppSort[] = ['-created_at', 'created_at', '-overall', 'overall']

export interface ApplicationFilters {
  job_id?: string
  department_id?: string
  stage?: string
  q?: string
  candidate_id?: string
  interview_status?: InterviewStatus | 'none'
  recommendation?: Recommendation
  min_score?: number
  dim?: string[]
  sort?: AppSort
}

export interface BulkResult {
  action: 'move_stage' | 'invite'
  total: number
  succeeded: number
  failed: number
  results: {
    id: Id
    ok: boolean
    error: { code: string; message: string } | null
    application?: Application
    interview?: { id: Id; status: InterviewStatus; expires_at: IsoTime; link: string; token: string; email?: InvitationEmail }
  }[]
}

// ----- talent pool (人才库) -----
export interface TalentPoolApplication {
  application_id: Id
  job_id: Id
  job_title: string
  stage: Stage
  overall: number | null
  updated_at: IsoTime
}

export interface TalentPoolCandidate {
  candidate_id: Id
  /** Masked without pii:read. */
  candidate_name: string
  tags: string[]
  best_overall: number | null
  applications: TalentPoolApplication[]
}

export interface ReinviteResult {
  application: Application
  interview: InterviewInvitation
}

export interface Actor {
  type: 'user' | 'token' | 'candidate' | 'system' | 'anonymous'
  id: string
  name: string | null
}

export type ActivityKind =
  | 'created'
  | 'stage_change'
  | 'decision'
  | 'comment'
  | 'invitation'
  | 'interview'
  | 'score'
  | 'score_override'
  | 'report'
  | 'view'
  | 'review_request'
  | 'other'

export interface ActivityDetails {
  from?: string
  to?: string
  decision?: 'approve' | 'decline'
  overall?: number | null
  recommendation?: Recommendation | null
  dimension_key?: string | null
  score?: number
  comment?: Comment
  [extra: string]: unknown
}

export interface ActivityEntry {
  id: Id
  seq: number
  at: IsoTime
  action: string
  kind: ActivityKind
  actor: Actor
  target_type: 'application' | 'interview' | 'task'
  target_id: string
  application_id?: Id | null
  job_title?: string | null
  details: ActivityDetails
}

export interface TodoItem {
  application_id: Id
  interview_id: Id
  candidate_id: Id
  candidate_name: string
  job_id: Id
  job_title: string
  department_id: Id
  stage: Stage
  finished_at: IsoTime
  age_hours: number
  overdue: boolean
  overall: number | null
  recommendation: Recommendation | null
}

export interface FunnelRow {
  job_id: Id
  job_title: string
  department_id: Id
  job_status: JobStatus
  total: number
  stages: Record<string, number>
}

export interface Dashboard {
  generated_at: IsoTime
  todo: { total: number; overdue: number; overdue_after_hours: number; items: TodoItem[] }
  funnel: FunnelRow[]
  recent_activity: ActivityEntry[]
  open_review_tasks: number
  pending_reviews: number
  unread_notifications: number
}

export interface ApplicationHistory {
  application_id: Id
  stage: Stage
  items: ActivityEntry[]
}

export interface Comment {
  id: Id
  application_id: Id
  kind: 'comment' | 'decision'
  body: string
  author: { id: string; name: string }
  mentions: { user_id: Id; name: string }[]
  created_at: IsoTime
}

export interface MentionableUser {
  id: Id
  name: string
  role: Role
}

export interface Notification {
  id: Id
  kind: 'mention'
  read: boolean
  read_at: IsoTime | null
  created_at: IsoTime
  application_id: Id
  candidate_name: string
  job_id: Id
  job_title: string
  comment_id: Id | null
  excerpt: string | null
  actor: { id: string; name: string | null }
}

export interface NotificationPage extends Page<Notification> {
  unread_count: number
}

export interface DecisionResult {
  decision: 'approve' | 'decline'
  application: Application
  comment: Comment | null
}

// ---- Automation, background jobs, notifications, webhooks (issue #6) ----

export type TriggerType = 'interview_completed' | 'stage_entered' | 'no_action'
export const TRIGGER_TYPES: readonly TriggerType[] = ['interview_completed', 'stage_entered', 'no_action']
export type FlagKind = 'teamwork_only_i' | 'no_example' | 'too_short' | 'near_copy_question' | 'near_copy_answer'
export const FLAG_KINDS: readonly FlagKind[] = ['teamwork_only_i', 'no_example', 'too_short', 'near_copy_question', 'near_copy_answer']
export type ActionType = 'move_stage' | 'notify' | 'talent_pool' | 'create_task'
export const ACTION_TYPES: readonly ActionType[] = ['move_stage', 'notify', 'talent_pool', 'create_task']
export type ChannelKind = 'email' | 'sms' | 'wecom' | 'dingtalk' | 'feishu'
export const CHANNEL_KINDS: readonly ChannelKind[] = ['email', 'sms', 'wecom', 'dingtalk', 'feishu']

export interface ScoreRange {
  gte?: number
  lt?: number
}

export interface AutomationTrigger {
  type: TriggerType
  stage?: Stage
  days?: number
}

export interface AutomationConditions {
  overall?: ScoreRange
  dimensions?: ({ key: string } & ScoreRange)[]
  flags_any?: FlagKind[]
  flags_none?: FlagKind[]
  stages?: Stage[]
}

export interface AutomationAction {
  type: ActionType
  stage?: Stage
  channel?: ChannelKind
  to?: 'candidate' | 'hr' | 'manager'
  template?: string
  tag?: string
  kind?: 'human_review' | 'follow_up'
  title?: string
}

export interface AutomationRule {
  id: Id
  job_id: Id | null
  name: string
  enabled: boolean
  position: number
  trigger: AutomationTrigger
  conditions: AutomationConditions
  actions: AutomationAction[]
  created_by: string
  created_at: IsoTime
  updated_at: IsoTime
}

export interface AutomationRuleInput {
  job_id?: Id | null
  name: string
  enabled?: boolean
  position?: number
  trigger: AutomationTrigger
  conditions?: AutomationConditions
  actions: AutomationAction[]
}

export interface DryRunItem {
  application_id: Id
  interview_id: Id
  stage: Stage
  overall: number | null
  rules: {
    rule_id: Id | null
    name: string
    would_fire: boolean
    already_fired: boolean
    actions: { type: string; detail: string; allowed: boolean }[]
  }[]
}

export interface AutomationDryRun {
  job_id: Id
  items: DryRunItem[]
}

export type BackgroundJobState = 'queued' | 'running' | 'done' | 'dead'
export const BACKGROUND_JOB_STATES: readonly BackgroundJobState[] = ['queued', 'running', 'done', 'dead']

export interface BackgroundJob {
  id: Id
  kind: string
  state: BackgroundJobState
  payload: Record<string, unknown>
  idempotency_key: string
  attempts: number
  max_attempts: number
  run_at: IsoTime
  lease_owner: string | null
  lease_expires_at: IsoTime | null
  last_error: string | null
  created_at: IsoTime
  updated_at: IsoTime
  finished_at: IsoTime | null
}

export interface MessageTemplate {
  id: Id
  key: string
  name: string
  description: string
  subject_zh: string
  subject_en: string
  body_zh: string
  body_en: string
  attach_ics: boolean
  builtin: boolean
  variables: string[]
  created_at: IsoTime
  updated_at: IsoTime
}

export interface MessageTemplateInput {
  key?: string
  name?: string
  description?: string
  subject_zh?: string
  subject_en?: string
  body_zh?: string
  body_en?: string
  attach_ics?: boolean
}

export interface MessageTemplatePreview {
  subject_zh: string
  subject_en: string
  body_zh: string
  body_en: string
}

export interface NotificationChannel {
  id: Id
  kind: ChannelKind
  name: string
  enabled: boolean
  config: Record<string, string | number | boolean>
  secrets: Record<string, string>
  created_at: IsoTime
  updated_at: IsoTime
}

export interface NotificationChannelInput {
  kind?: ChannelKind
  name?: string
  enabled?: boolean
  config?: Record<string, string | number | boolean | null>
  secrets?: Record<string, string | null>
}

export type WebhookEventType =
  | 'application.created'
  | 'application.stage_changed'
  | 'interview.invited'
  | 'interview.completed'
  | 'interview.scored'
  | 'candidate.hired'
  | 'candidate.rejected'
  | 'message.failed'
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'application.created',
  'application.stage_changed',
  'interview.invited',
  'interview.completed',
  'interview.scored',
  'candidate.hired',
  'candidate.rejected',
  'message.failed',
]

export interface WebhookSubscription {
  id: Id
  url: string
  description: string
  event_types: WebhookEventType[]
  enabled: boolean
  created_at: IsoTime
  updated_at: IsoTime
}

export interface WebhookSubscriptionCreated extends WebhookSubscription {
  secret: string
}

export interface WebhookSubscriptionInput {
  url?: string
  description?: string
  event_types?: WebhookEventType[]
  enabled?: boolean
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed'

export interface Delivery {
  id: Id
  kind: 'message' | 'webhook'
  status: DeliveryStatus
  idempotency_key: string
  channel_id: Id | null
  subscription_id: Id | null
  template_key: string | null
  event_type: string | null
  message_id: string
  application_id: Id | null
  attempts: number
  last_status_code: number | null
  last_error: string | null
  replay_of: Id | null
  created_at: IsoTime
  updated_at: IsoTime
  delivered_at: IsoTime | null
}

export interface DeliveryAttempt {
  attempt: number
  started_at: IsoTime
  duration_ms: number
  status_code: number | null
  outcome: 'succeeded' | 'retryable' | 'permanent'
  error: string | null
}

export interface DeliveryDetail extends Delivery {
  attempt_log: DeliveryAttempt[]
  payload: { type: string; timestamp: IsoTime; data: Record<string, unknown> } | null
}

// ---- Supervised scoring (HR ratings and trained models) ----

export interface Rating {
  id: Id
  question_id: Id
  dimension_key: string | null
  label: number
  source: 'answer' | 'example' | 'import'
  answer_id: Id | null
  text: string
  text_chars: number
  created_by: string
  created_at: IsoTime
}

export interface RatingPage extends Page<Rating> {
  rating_max: number
}

export interface RatingImportReport {
  rows: number
  imported: number
  skipped: number
  problems: { line: number; message: string }[]
  dimension_key: string | null
}

export interface ScoringModel {
  id: Id
  question_id: Id
  dimension_key: string | null
  version: number
  status: 'training' | 'ready' | 'failed'
  progress: number
  error: string | null
  max_label: number
  examples: number
  data_hash: string | null
  options: Record<string, unknown>
  cv_qwk: number | null
  cv_pearson: number | null
  metrics: Record<string, unknown> | null
  active: boolean
  activated_at: IsoTime | null
  created_by: string
  created_at: IsoTime
  started_at: IsoTime | null
  finished_at: IsoTime | null
}

export interface ScoringState {
  dimension_key: string | null
  ratings: number
  min_ratings: number
  scorer: 'rubric' | 'supervised'
  active_version: number | null
  reason: string
}

export interface ScoringModelPage extends Page<ScoringModel> {
  rating_max: number
  scoring: ScoringState[]
}
