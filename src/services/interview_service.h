// The interview use cases: invitations (HR), the candidate's interview through the personal
// token, scoring at finish, HR's view with overrides and rescoring, the candidate report, the
// course catalog and HR tasks (human-review requests).
//
// Views are returned as JSON documents in the API's shape (docs/api-resources.md, "Interviews"):
// they nest scores, evidence and attempts deeply, and the HTTP layer passes them through.
// Inputs are domain values. Errors are Result values; services never name HTTP codes:
//  - unknown, expired or revoked token: kNotFound (reason "not_found", message says which);
//  - state conflicts: kConflict with reasons "consent_required", "interview_finished",
//    "not_current_question", "reanswer_limit_reached", "no_follow_up", "follow_up_answered",
//    "interview_exists", "interview_revoked", "plan_missing", "report_not_released",
//    "not_finished", "review_already_requested", "task_done";
//  - bad input: kInvalidArgument "validation_failed".
// Thread-safe: stateless apart from references to the database, cipher and scorer (all
// thread-safe), which must outlive the service.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "domain/interview.h"
#include "security/principal.h"
#include "storage/database.h"
#include "storage/page.h"

namespace zm::security {
class FieldCipher;
}
namespace zm::scoring {
class RubricScorer;
}
namespace zm::storage {
struct InterviewRecord;
}

namespace zm::services {

using security::Context;
class ModelCache;

struct InterviewSettings {
  std::string organisation = "智面";
  // Base of candidate links: <public_base_url>/interview/<token>.
  std::string public_base_url = "http://127.0.0.1:8080";
  int retention_days = 365;
  // Near-copy comparison set: at most this many other candidates' answers per question.
  int near_copy_window = 200;
};

class InterviewService {
 public:
  // `models` (may be null: rubric only) supplies the questions' active supervised models; an
  // answer to a question with one is scored by it (services/supervised_document.h).
  InterviewService(storage::Database& db, const security::FieldCipher& cipher,
                   const scoring::RubricScorer& scorer, InterviewSettings settings,
                   ModelCache* models = nullptr);

  // ---- HR: invitations (applications:write; department scope) ----
  // Creates the interview from the job's current model, plan and questions (a snapshot: later
  // edits of the job do not change a running interview) and a fresh token. The view carries
  // "token" and "link" once. kConflict "interview_exists" when the application has one (use
  // Resend), "plan_missing" when the job lacks a competency model or plan.
  // With `send_email` the link is also e-mailed to the candidate (template
  // interview_invitation, in the same transaction; sent by a notify.deliver job); the view's
  // "email" says {"queued": true, "delivery_id"} or {"queued": false, "reason"} (no enabled
  // e-mail channel, no address): the invitation stands either way.
  Result<nlohmann::json> Invite(const Context& ctx, const std::string& application_id,
                                std::optional<int> expires_in_days, bool send_email = false);
  // A new token replaces the old one (only its hash is stored, so the old link stops working);
  // a revoked or expired link becomes valid again with the plan's expiry from now.
  // `template_key` of the e-mail: interview_invitation, or interview_reminder (the sweep's
  // reminders to candidates who have not started).
  Result<nlohmann::json> Resend(const Context& ctx, const std::string& application_id,
                                bool send_email = false,
                                const std::string& template_key = "interview_invitation");
  Result<nlohmann::json> Revoke(const Context& ctx, const std::string& application_id);
  // Moves the expiry `days` (1..90) later, counted from now when already expired.
  Result<nlohmann::json> Extend(const Context& ctx, const std::string& application_id, int days);

  // ---- HR: results (applications:read; department scope) ----
  // Answers with attempts, integrity counts, the current score with evidence, flags,
  // percentile, overrides and the score version history.
  Result<nlohmann::json> GetForApplication(const Context& ctx, const std::string& application_id);
  // applications:write. Records the override (reason mandatory; the original stays visible)
  // and recomputes the effective overall and recommendation. kConflict "not_finished" before
  // the interview is scored; kInvalidArgument for a dimension the model lacks.
  Result<nlohmann::json> Override(const Context& ctx, const std::string& application_id,
                                  domain::ScoreOverride o);
  // Scores again with the current scorer as a new version; older versions stay.
  Result<nlohmann::json> Rescore(const Context& ctx, const std::string& application_id);
  // Makes the candidate report visible to the candidate.
  Result<nlohmann::json> ReleaseReport(const Context& ctx, const std::string& application_id);

  // ---- candidate (token) ----
  Result<nlohmann::json> Overview(const Context& ctx, const std::string& token);
  Result<nlohmann::json> Consent(const Context& ctx, const std::string& token,
                                 const domain::ConsentRequest& consent);
  // The question to answer now (marks it shown the first time: the timers start), or
  // {"done": true} when every question is answered.
  Result<nlohmann::json> Current(const Context& ctx, const std::string& token);
  Status SaveDraft(const Context& ctx, const std::string& token, int position,
                   const std::string& text);
  // An answer attempt (all kept; the last is scored). Returns the receipt with feedback and
  // the follow-up probe when the plan enables them.
  Result<nlohmann::json> Answer(const Context& ctx, const std::string& token, int position,
                                const domain::AnswerSubmission& answer);
  Result<nlohmann::json> AnswerFollowUp(const Context& ctx, const std::string& token, int position,
                                        const domain::AnswerSubmission& answer);
  // Leaves question `position` (must be the current one) for the next.
  Result<nlohmann::json> Advance(const Context& ctx, const std::string& token, int position);
  Status RecordIntegrityEvent(const Context& ctx, const std::string& token,
                              const domain::IntegrityEvent& event);
  // Scores the interview; unanswered questions score 0. kConflict "interview_finished" when
  // called twice.
  Result<nlohmann::json> Finish(const Context& ctx, const std::string& token);
  // kConflict "report_not_released" until HR releases it.
  Result<nlohmann::json> Report(const Context& ctx, const std::string& token);
  // Creates an HR task (kind human_review) for the application.
  Result<nlohmann::json> RequestHumanReview(const Context& ctx, const std::string& token,
                                            const std::string& reason);

  // ---- course catalog (read: anyone signed in; write: courses:write, admins) ----
  Result<storage::Page<domain::Course>> ListCourses(const Context& ctx,
                                                    const std::optional<std::string>& dimension,
                                                    const storage::PageRequest& page);
  Result<domain::Course> GetCourse(const Context& ctx, const std::string& id);
  Result<domain::Course> CreateCourse(const Context& ctx, domain::Course c);
  Result<domain::Course> UpdateCourse(const Context& ctx, const std::string& id,
                                      const domain::CoursePatch& patch);
  Status DeleteCourse(const Context& ctx, const std::string& id);

  // ---- HR tasks (applications:read to list; applications:write to resolve) ----
  struct TaskFilter {
    std::optional<std::string> status, kind, application_id;
  };
  Result<storage::Page<domain::Task>> ListTasks(const Context& ctx, const TaskFilter& filter,
                                                const storage::PageRequest& page);
  Result<domain::Task> ResolveTask(const Context& ctx, const std::string& id,
                                   const std::string& resolution);

  // Internal state of one loaded interview and one scoring run (defined in the .cc).
  struct Loaded;
  struct Scored;

 private:
  Result<Loaded> LoadByToken(storage::Tx& tx, const std::string& token, bool for_update);
  Result<Loaded> LoadByApplication(storage::Tx& tx, const Context& ctx,
                                   const std::string& application_id, bool for_update);
  Result<Scored> ScoreInterview(storage::Tx& tx, const Loaded& l);
  Status StoreScore(storage::Tx& tx, const Context& ctx, Loaded& l, Scored scored,
                    std::string_view action);
  Status ApplyEffectiveScores(storage::Tx& tx, Loaded& l);
  // The webhook events of the interview (interview.invited / completed / scored), about its
  // application; ids, stages and scores only.
  Status EmitInterviewEvent(storage::Tx& tx, const Loaded& l, const std::string& type,
                            nlohmann::json data);
  Status EmitScored(storage::Tx& tx, const Loaded& l, std::string_view cause);
  // Queues the e-mail carrying the link `token` of interview `rec` (see Invite).
  Result<nlohmann::json> EmailLink(storage::Tx& tx, const storage::InterviewRecord& rec,
                                   const std::string& token, const std::string& template_key);
  Result<nlohmann::json> HrView(storage::Tx& tx, const Context& ctx, const Loaded& l);
  Result<nlohmann::json> StepView(storage::Tx& tx, Loaded& l, int64_t now);
  Result<std::string> Seal(std::string_view text, const std::string& aad) const;
  Result<std::string> Open(const std::string& stored, const std::string& aad) const;

  storage::Database& db_;
  const security::FieldCipher& cipher_;
  const scoring::RubricScorer& scorer_;
  InterviewSettings settings_;
  ModelCache* models_;
};

}  // namespace zm::services
