#include "storage/migrations.h"

#include <algorithm>

#include "common/time.h"

namespace zm::storage {

const std::vector<Migration>& AllMigrations() {
  // Conventions: BIGINT for integers and Unix-ms times, INTEGER 0/1 for booleans, TEXT for
  // strings, JSON documents and base64 ciphertexts. Ids are ULID TEXT.
  static const std::vector<Migration> kMigrations = {
      {1, "core records",
       R"sql(
CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_login_at BIGINT
);
CREATE TABLE user_departments (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  department_id TEXT NOT NULL REFERENCES departments(id),
  PRIMARY KEY (user_id, department_id)
);
CREATE INDEX user_departments_dept ON user_departments(department_id);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE login_attempts (
  key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  department_id TEXT NOT NULL REFERENCES departments(id),
  description TEXT NOT NULL DEFAULT '',
  requirements TEXT NOT NULL DEFAULT '[]',
  location TEXT NOT NULL DEFAULT '',
  employment_type TEXT NOT NULL DEFAULT 'full_time',
  status TEXT NOT NULL DEFAULT 'draft',
  threshold_recommend DOUBLE PRECISION NOT NULL DEFAULT 80,
  threshold_review DOUBLE PRECISION NOT NULL DEFAULT 60,
  competency_model TEXT,
  competency_model_version BIGINT NOT NULL DEFAULT 0,
  competency_model_updated_at BIGINT,
  interview_plan TEXT,
  interview_plan_updated_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_department ON jobs(department_id);
CREATE TABLE questions (
  id TEXT PRIMARY KEY,
  job_id TEXT REFERENCES jobs(id),
  type TEXT NOT NULL,
  text_zh TEXT NOT NULL DEFAULT '',
  text_en TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX questions_job ON questions(job_id);
CREATE TABLE question_dimensions (
  question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  dimension_key TEXT NOT NULL,
  PRIMARY KEY (question_id, dimension_key)
);
CREATE INDEX question_dimensions_key ON question_dimensions(dimension_key);
CREATE TABLE plan_questions (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  question_id TEXT NOT NULL REFERENCES questions(id),
  PRIMARY KEY (job_id, question_id)
);
CREATE INDEX plan_questions_question ON plan_questions(question_id);
CREATE TABLE candidates (
  id TEXT PRIMARY KEY,
  name_enc TEXT NOT NULL,
  email_enc TEXT,
  phone_enc TEXT,
  national_id_enc TEXT,
  resume_enc TEXT,
  email_bidx TEXT UNIQUE,
  phone_bidx TEXT UNIQUE,
  source TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE candidate_tags (
  candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (candidate_id, tag)
);
CREATE INDEX candidate_tags_tag ON candidate_tags(tag);
CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL REFERENCES jobs(id),
  department_id TEXT NOT NULL REFERENCES departments(id),
  stage TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (candidate_id, job_id)
);
CREATE INDEX applications_job ON applications(job_id, id);
CREATE INDEX applications_department ON applications(department_id, id);
CREATE INDEX applications_stage ON applications(stage, id);
CREATE INDEX applications_candidate ON applications(candidate_id);
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at BIGINT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id, seq);
CREATE INDEX audit_log_at ON audit_log(at);
)sql"},
      {2, "interviews",
       R"sql(
CREATE TABLE interviews (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL UNIQUE REFERENCES applications(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL,
  department_id TEXT NOT NULL,
  status TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  expires_at BIGINT NOT NULL,
  snapshot TEXT NOT NULL,
  question_count BIGINT NOT NULL,
  current_position BIGINT NOT NULL DEFAULT 0,
  invitations_sent BIGINT NOT NULL DEFAULT 1,
  consent_version TEXT,
  consented_at BIGINT,
  consent_ip_enc TEXT,
  consent_user_agent TEXT,
  audio_video_consent INTEGER NOT NULL DEFAULT 0,
  finished_at BIGINT,
  revoked_at BIGINT,
  report_released_at BIGINT,
  overall DOUBLE PRECISION,
  recommendation TEXT,
  score_version BIGINT NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX interviews_job ON interviews(job_id, overall);
CREATE TABLE interview_items (
  interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  question_id TEXT NOT NULL,
  shown_at BIGINT,
  draft_enc TEXT,
  draft_at BIGINT,
  feedback TEXT,
  completed_at BIGINT,
  PRIMARY KEY (interview_id, position)
);
CREATE TABLE interview_answers (
  id TEXT PRIMARY KEY,
  interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  attempt BIGINT NOT NULL,
  text_enc TEXT NOT NULL,
  text_chars BIGINT NOT NULL,
  elapsed_ms BIGINT NOT NULL,
  late INTEGER NOT NULL,
  submitted_at BIGINT NOT NULL,
  UNIQUE (interview_id, position, kind, attempt)
);
CREATE INDEX interview_answers_question ON interview_answers(interview_id, position);
CREATE TABLE integrity_events (
  id TEXT PRIMARY KEY,
  interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  position BIGINT,
  kind TEXT NOT NULL,
  duration_ms BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX integrity_events_interview ON integrity_events(interview_id);
CREATE TABLE interview_scores (
  interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  version BIGINT NOT NULL,
  scorer TEXT NOT NULL,
  scorer_version TEXT NOT NULL,
  overall DOUBLE PRECISION,
  recommendation TEXT,
  result TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (interview_id, version)
);
CREATE TABLE dimension_scores (
  interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  dimension_key TEXT NOT NULL,
  job_id TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (interview_id, dimension_key)
);
CREATE INDEX dimension_scores_job ON dimension_scores(job_id, dimension_key, score);
CREATE TABLE score_overrides (
  id TEXT PRIMARY KEY,
  interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
  dimension_key TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  original DOUBLE PRECISION,
  reason_enc TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX score_overrides_interview ON score_overrides(interview_id, id);
CREATE TABLE courses (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  title_en TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  dimension_keys TEXT NOT NULL,
  max_level BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  department_id TEXT NOT NULL,
  title TEXT NOT NULL,
  detail_enc TEXT NOT NULL,
  resolution TEXT,
  resolved_by TEXT,
  resolved_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_status ON tasks(status, id);
)sql"},
      {3, "hr workspace: result views, name search, comments, notifications",
       R"sql(
ALTER TABLE interviews ADD COLUMN viewed_at BIGINT;
ALTER TABLE interviews ADD COLUMN viewed_by TEXT;
CREATE INDEX interviews_unviewed ON interviews(finished_at, id) WHERE finished_at IS NOT NULL AND viewed_at IS NULL;
CREATE INDEX interviews_overall ON interviews(overall);
CREATE INDEX dimension_scores_key ON dimension_scores(dimension_key, score, interview_id);
ALTER TABLE candidates ADD COLUMN name_bidx TEXT;
CREATE INDEX candidates_name_bidx ON candidates(name_bidx);
CREATE INDEX applications_department_stage ON applications(department_id, stage, id);
CREATE TABLE application_comments (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  body_enc TEXT NOT NULL,
  body_chars BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX application_comments_application ON application_comments(application_id, id);
CREATE TABLE comment_mentions (
  comment_id TEXT NOT NULL REFERENCES application_comments(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (comment_id, user_id)
);
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  recipient_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  comment_id TEXT REFERENCES application_comments(id) ON DELETE CASCADE,
  actor_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_recipient ON notifications(recipient_id, id);
CREATE INDEX notifications_application ON notifications(application_id);
CREATE INDEX notifications_comment ON notifications(comment_id);
CREATE INDEX comment_mentions_user ON comment_mentions(user_id);
)sql"},
      {4, "durable job queue, automation rules",
       R"sql(
CREATE TABLE background_jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  max_attempts BIGINT NOT NULL,
  run_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX background_jobs_due ON background_jobs(state, run_at, id);
CREATE INDEX background_jobs_lease ON background_jobs(state, lease_expires_at);
CREATE INDEX background_jobs_kind ON background_jobs(kind, id);
CREATE INDEX background_jobs_state_id ON background_jobs(state, id);
CREATE TABLE automation_rules (
  id TEXT PRIMARY KEY,
  job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  trigger_type TEXT NOT NULL,
  position BIGINT NOT NULL DEFAULT 0,
  definition TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX automation_rules_job ON automation_rules(job_id, position, id);
CREATE TABLE rule_firings (
  rule_id TEXT NOT NULL,
  event_key TEXT NOT NULL,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  fired_at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (rule_id, event_key)
);
CREATE INDEX rule_firings_application ON rule_firings(application_id, fired_at);
INSERT INTO automation_rules (id, job_id, name, enabled, trigger_type, position, definition, created_by, created_at, updated_at) VALUES
('0000000000000000000000DEF1', NULL, '高分进入复试 / High scorers go to the second round', 1, 'interview_completed', 10,
 '{"trigger":{"type":"interview_completed"},"conditions":{"overall":{"gte":80},"stages":["interview_completed"]},"actions":[{"type":"move_stage","stage":"second_round"},{"type":"notify","channel":"email","to":"candidate","template":"next_round_invitation"}]}',
 'system', 0, 0),
('0000000000000000000000DEF2', NULL, '中间分数 HR 复核 / Middle scores go to HR review', 1, 'interview_completed', 20,
 '{"trigger":{"type":"interview_completed"},"conditions":{"overall":{"gte":60,"lt":80},"stages":["interview_completed"]},"actions":[{"type":"move_stage","stage":"hr_review"},{"type":"create_task","kind":"human_review","title":"AI面试完成，请复核结果 / AI interview finished: please review the result"}]}',
 'system', 0, 0),
('0000000000000000000000DEF3', NULL, '低分致谢并进入人才库 / Low scores: thank-you and talent pool', 1, 'interview_completed', 30,
 '{"trigger":{"type":"interview_completed"},"conditions":{"overall":{"lt":60},"stages":["interview_completed"]},"actions":[{"type":"talent_pool","tag":"AI面试未达标"},{"type":"notify","channel":"email","to":"candidate","template":"thank_you"}]}',
 'system', 0, 0);
)sql"},
      {5, "notifications: message templates, channels, webhook subscriptions, deliveries",
       R"sql(
CREATE TABLE message_templates (
  id TEXT PRIMARY KEY,
  template_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  subject_zh TEXT NOT NULL DEFAULT '',
  subject_en TEXT NOT NULL DEFAULT '',
  body_zh TEXT NOT NULL,
  body_en TEXT NOT NULL,
  attach_ics INTEGER NOT NULL DEFAULT 0,
  builtin INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE notify_channels (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  enabled INTEGER NOT NULL DEFAULT 1,
  config_json TEXT NOT NULL,
  secrets_enc TEXT NOT NULL,
  secret_hints_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE webhook_subscriptions (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  event_types_json TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  secret_enc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  channel_id TEXT,
  subscription_id TEXT,
  template_key TEXT,
  event_type TEXT,
  message_id TEXT NOT NULL,
  application_id TEXT,
  payload_enc TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  last_status_code BIGINT,
  last_error TEXT,
  sending_until BIGINT,
  replay_of TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX deliveries_subscription ON deliveries(subscription_id, id);
CREATE INDEX deliveries_channel ON deliveries(channel_id, id);
CREATE INDEX deliveries_status ON deliveries(status, id);
CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  attempt BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  status_code BIGINT,
  outcome TEXT NOT NULL,
  error TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
)sql"},
      {6, "supervised scoring: answer ratings and the model registry",
       R"sql(
CREATE TABLE answer_ratings (
  id TEXT PRIMARY KEY,
  question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  dimension_key TEXT NOT NULL DEFAULT '',
  label BIGINT NOT NULL,
  source TEXT NOT NULL,
  answer_id TEXT REFERENCES interview_answers(id) ON DELETE CASCADE,
  text_enc TEXT NOT NULL,
  text_chars BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (question_id, dimension_key, answer_id)
);
CREATE INDEX answer_ratings_question ON answer_ratings(question_id, dimension_key, id);
CREATE INDEX answer_ratings_answer ON answer_ratings(answer_id);
CREATE TABLE scoring_models (
  id TEXT PRIMARY KEY,
  question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  dimension_key TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  error TEXT,
  max_label BIGINT NOT NULL,
  examples BIGINT NOT NULL DEFAULT 0,
  data_hash TEXT,
  options TEXT NOT NULL,
  metrics TEXT,
  cv_qwk DOUBLE PRECISION,
  cv_pearson DOUBLE PRECISION,
  model TEXT,
  active INTEGER NOT NULL DEFAULT 0,
  activated_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  UNIQUE (question_id, version)
);
CREATE UNIQUE INDEX scoring_models_active ON scoring_models(question_id, dimension_key) WHERE active = 1;
CREATE INDEX scoring_models_status ON scoring_models(status, created_at);
)sql"},
      // Who opened a task: a candidate's own human-review request (PIPL Art. 24) must not be
      // refused because an automation rule already opened an HR review of the same result.
      {7, "task origin",
       R"sql(
ALTER TABLE tasks ADD COLUMN origin TEXT NOT NULL DEFAULT 'staff';
UPDATE tasks SET origin = 'candidate' WHERE kind = 'human_review' AND title LIKE '候选人申请人工复核%';
UPDATE tasks SET origin = 'automation' WHERE origin = 'staff';
)sql"},
  };
  return kMigrations;
}

namespace {
// Serializes migrations across processes sharing one PostgreSQL database (several server nodes
// starting together). SQLite write transactions are exclusive already.
Status LockMigrations(Tx& tx) {
  if (tx.dialect() != Dialect::kPostgres) return Ok();
  ZM_RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(7151928347)"));
  return Ok();
}
}  // namespace

Result<int> SchemaVersion(Database& db) {
  return db.WriteValue<int>([](Tx& tx) -> Result<int> {
    ZM_RETURN_IF_ERROR(LockMigrations(tx));
    ZM_RETURN_IF_ERROR(tx.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT "
        "NULL, applied_at BIGINT NOT NULL)"));
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT MAX(version) FROM schema_migrations"));
    return row ? static_cast<int>(row->Int(0)) : 0;
  });
}

Result<int> Migrate(Database& db) {
  ZM_RETURN_IF_ERROR(SchemaVersion(db));  // creates schema_migrations when missing
  // Every version not applied yet, not only those above the highest: branches merge their
  // migrations out of numeric order (a database may hold 6 before 4 and 5 arrive).
  ZM_ASSIGN_OR_RETURN(auto done_rows, db.ReadValue<QueryResult>([](Tx& tx) {
    return tx.Query("SELECT version FROM schema_migrations");
  }));
  std::vector<int64_t> done_versions;
  for (const auto& r : done_rows.rows) done_versions.push_back(r.Int(0));
  int applied = 0;
  for (const auto& m : AllMigrations()) {
    if (std::find(done_versions.begin(), done_versions.end(), m.version) != done_versions.end())
      continue;
    ZM_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
      // Re-check inside the lock: another process may have migrated meanwhile.
      ZM_RETURN_IF_ERROR(LockMigrations(tx));
      ZM_ASSIGN_OR_RETURN(
          auto done,
          tx.QueryOne("SELECT 1 FROM schema_migrations WHERE version = ?", {int64_t{m.version}}));
      if (done) return Ok();
      ZM_RETURN_IF_ERROR(tx.ExecScript(m.sql));
      ZM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                  {int64_t{m.version}, m.name, NowMillis()}));
      ++applied;
      return Ok();
    }));
  }
  return applied;
}

}  // namespace zm::storage
