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

export interface InterviewInvitation extends Interview {
  token: string
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
