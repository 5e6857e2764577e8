// Repositories of the interview aggregate (interviews with their items, answers, integrity
// events, score versions and overrides), the course catalog and HR tasks.
// Personal text (answers, drafts, consent IP, override reasons, task details) arrives already
// encrypted (*_enc); documents (snapshot, feedback, score results) as JSON text encoded by the
// caller. Functions run inside the caller's transaction; errors as in database.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/page.h"

namespace zm::storage {

struct InterviewRecord {
  std::string id, application_id, job_id, department_id, status, token_hash;
  int64_t expires_at = 0;
  std::string snapshot;  // JSON: job, competency model, plan and questions at invitation time
  int64_t question_count = 0, current_position = 0, invitations_sent = 1;
  std::optional<std::string> consent_version, consent_ip_enc, consent_user_agent;
  std::optional<int64_t> consented_at, finished_at, revoked_at, report_released_at;
  bool audio_video_consent = false;
  std::optional<double> overall;
  std::optional<std::string> recommendation;
  int64_t score_version = 0;
  std::string created_by;
  int64_t created_at = 0, updated_at = 0;
};

struct InterviewItemRecord {
  std::string interview_id;
  int64_t position = 0;
  std::string question_id;
  std::optional<int64_t> shown_at;
  std::optional<std::string> draft_enc;
  std::optional<int64_t> draft_at;
  std::optional<std::string> feedback;  // JSON: last feedback and follow-up probe
  std::optional<int64_t> completed_at;
};

// Inserts the interview and one item per question (question_ids in plan order).
Status InsertInterview(Tx& tx, const InterviewRecord& r,
                       const std::vector<std::string>& question_ids);
// `for_update`: lock the row until the transaction ends (PostgreSQL).
Result<std::optional<InterviewRecord>> GetInterview(Tx& tx, const std::string& id,
                                                    bool for_update = false);
Result<std::optional<InterviewRecord>> GetInterviewByApplication(Tx& tx,
                                                                 const std::string& application_id);
Result<std::optional<InterviewRecord>> GetInterviewByToken(Tx& tx, const std::string& token_hash,
                                                           bool for_update = false);
// Writes every mutable column of the record (status .. updated_at).
Status UpdateInterview(Tx& tx, const InterviewRecord& r);

Result<std::vector<InterviewItemRecord>> ListItems(Tx& tx, const std::string& interview_id);
Status UpdateItem(Tx& tx, const InterviewItemRecord& r);

struct AnswerRecord {
  std::string id, interview_id;
  int64_t position = 0;
  std::string kind;  // "answer" | "follow_up"
  int64_t attempt = 1;
  std::string text_enc;
  int64_t text_chars = 0, elapsed_ms = 0;
  bool late = false;
  int64_t submitted_at = 0;
};
// kConflict "unique_violation" when that attempt number exists (concurrent submits).
Status InsertAnswer(Tx& tx, const AnswerRecord& r);
// Every attempt, by position, kind ("answer" first) and attempt.
Result<std::vector<AnswerRecord>> ListAnswers(Tx& tx, const std::string& interview_id);
// Encrypted last-attempt answers of other interviews to the same question (newest first, at
// most `limit`), with the interview id: the near-copy check's comparison set.
struct OtherAnswer {
  std::string interview_id, answer_id, text_enc;
};
Result<std::vector<OtherAnswer>> ListOtherAnswers(Tx& tx, const std::string& question_id,
                                                  const std::string& except_interview_id,
                                                  int limit);

struct IntegrityRecord {
  std::string id, interview_id;
  std::optional<int64_t> position;
  std::string kind;
  std::optional<int64_t> duration_ms;
  int64_t at = 0;
};
Status InsertIntegrityEvent(Tx& tx, const IntegrityRecord& r);
// Counts per (position or -1, kind).
struct IntegrityCount {
  int64_t position = -1;
  std::string kind;
  int64_t count = 0;
};
Result<std::vector<IntegrityCount>> CountIntegrityEvents(Tx& tx, const std::string& interview_id);
Result<int64_t> CountIntegrityEventsTotal(Tx& tx, const std::string& interview_id);

struct ScoreRecord {
  std::string interview_id;
  int64_t version = 0;
  std::string scorer, scorer_version;
  std::optional<double> overall;
  std::optional<std::string> recommendation;
  std::string result;  // JSON document
  std::string created_by;
  int64_t created_at = 0;
};
Status InsertScore(Tx& tx, const ScoreRecord& r);
// Newest version first; `with_result` false leaves `result` empty (version history).
Result<std::vector<ScoreRecord>> ListScores(Tx& tx, const std::string& interview_id,
                                            bool with_result);
Result<std::optional<ScoreRecord>> GetScore(Tx& tx, const std::string& interview_id,
                                            int64_t version);
// Replaces the effective per-dimension scores of an interview (used for filtering and cohort
// statistics).
Status ReplaceDimensionScores(Tx& tx, const std::string& interview_id, const std::string& job_id,
                              const std::map<std::string, double>& scores);
// Effective overall scores of the job's scored interviews (the percentile cohort).
Result<std::vector<double>> CohortOverall(Tx& tx, const std::string& job_id);

struct OverrideRecord {
  std::string id, interview_id, dimension_key;  // "" = overall
  double score = 0;
  std::optional<double> original;
  std::string reason_enc, actor_id;
  int64_t created_at = 0;
};
Status InsertOverride(Tx& tx, const OverrideRecord& r);
// Oldest first.
Result<std::vector<OverrideRecord>> ListOverrides(Tx& tx, const std::string& interview_id);

// ---- courses ----
struct CourseRecord {
  std::string id, title, title_en, url, description;
  std::vector<std::string> dimension_keys;
  int64_t max_level = 3;
  int64_t created_at = 0, updated_at = 0;
};
Status InsertCourse(Tx& tx, const CourseRecord& r);
Result<std::optional<CourseRecord>> GetCourse(Tx& tx, const std::string& id);
Status UpdateCourse(Tx& tx, const CourseRecord& r);
// kNotFound when absent.
Status DeleteCourse(Tx& tx, const std::string& id);
Result<Page<CourseRecord>> ListCourses(Tx& tx, const std::optional<std::string>& dimension_key,
                                       const PageRequest& page);
// Every course (the catalog is small); for report recommendations.
Result<std::vector<CourseRecord>> AllCourses(Tx& tx);

// ---- tasks ----
struct TaskRecord {
  std::string id, kind, status, application_id, department_id, title, detail_enc;
  std::string origin = "staff";  // "candidate", "automation" or "staff" (who opened it)
  std::optional<std::string> resolution, resolved_by;
  std::optional<int64_t> resolved_at;
  int64_t created_at = 0, updated_at = 0;
};
Status InsertTask(Tx& tx, const TaskRecord& r);
Result<std::optional<TaskRecord>> GetTask(Tx& tx, const std::string& id);
Status UpdateTask(Tx& tx, const TaskRecord& r);
struct TaskFilter {
  std::optional<std::string> status, kind, application_id;
  std::optional<std::vector<std::string>> department_scope;
  std::optional<std::string> origin;
};
Result<Page<TaskRecord>> ListTasks(Tx& tx, const TaskFilter& f, const PageRequest& page);

}  // namespace zm::storage
