// JSON mapping of every API resource (docs/api-resources.md): response shapes and strict
// request-body parsers. Used by the HTTP routes and by the services, which store documents
// (competency models, plans, questions) in this form. Heavy header: include from .cc files only.
//
// Responses: times as ISO-8601 UTC strings, absent optionals as null, ids as strings.
// Masking (candidate PII, application candidate_name) is the caller's job: mask a copy of the
// value before calling ToJson.
//
// Parsers: the body must be a JSON object; unknown members, wrong JSON types, non-integral or
// out-of-range integers and invalid UTF-8 are refused; then the domain validation runs. Every
// problem found is reported together as kInvalidArgument "validation_failed" with FieldError
// details named by JSON path ("dimensions[1].weight"). In create/PUT bodies an optional member
// given as null counts as absent; in PATCH bodies null clears a nullable field and is refused
// ("must not be null") for the others. PATCH parsers check the present fields only: after
// Apply() the caller re-validates the whole value (domain::ValidateX), which catches rules
// across fields such as "a manager needs a department" or "recommend > review".
// All functions are pure and thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_writer.h"

#include "common/result.h"
#include "domain/api_token.h"
#include "domain/application.h"
#include "domain/candidate.h"
#include "domain/competency_model.h"
#include "domain/department.h"
#include "domain/interview.h"
#include "domain/interview_plan.h"
#include "domain/job.h"
#include "domain/question.h"
#include "domain/user.h"

namespace zm::json {

// Parses request body text. Malformed JSON is kInvalidArgument with reason "invalid_json"
// (HTTP 400 invalid_json); an empty body is treated as malformed.
Result<nlohmann::json> ParseJsonBody(std::string_view body);

// {"items": [...], "next_cursor": "..." | null}
nlohmann::json Page(const std::vector<nlohmann::json>& items,
                    const std::optional<std::string>& next_cursor);

// --- Responses ---
nlohmann::json ToJson(const domain::Department& d);
nlohmann::json ToJson(const domain::User& u);
nlohmann::json ToJson(const domain::Job& j);
nlohmann::json ToJson(const domain::CompetencyModel& m);
nlohmann::json ToJson(const domain::Question& q);
nlohmann::json ToJson(const domain::InterviewPlan& p);
nlohmann::json ToJson(const domain::Candidate& c);
nlohmann::json ToJson(const domain::Application& a);
// Streaming form of ToJson for list pages (the hot path); ToJson is defined through it.
// Writes the application object; `more_fields`, when set, writes further keys into it.
void WriteJson(JsonWriter& w, const domain::Application& a,
               const std::function<void(JsonWriter&)>& more_fields = {});
nlohmann::json ToJson(const domain::ApiToken& t);
// The 201 answer of POST /api-tokens: the resource plus the secret "token", shown once.
nlohmann::json ApiTokenCreatedToJson(const domain::ApiToken& t, std::string_view token);

nlohmann::json ToJson(const domain::Course& c);
nlohmann::json ToJson(const domain::Task& t);

// --- Request bodies ---
// Create parsers return the value with defaults filled in; id, times and server-set fields
// (job_id of a model or plan, Application department_id/candidate_name/job_title, ApiToken
// prefix/created_by) are left empty for the service to set.

// {name, description?}
Result<domain::Department> ParseDepartmentCreate(const nlohmann::json& body);
// {name?, description?}
Result<domain::DepartmentPatch> ParseDepartmentPatch(const nlohmann::json& body);

// {email, name, role, password, department_ids?}; the password is checked against the policy.
Result<domain::UserCreate> ParseUserCreate(const nlohmann::json& body);
// {name?, role?, department_ids?, status?, password?}; the password is checked without the
// e-mail rule: the caller runs domain::ValidatePassword(password, user.email) too.
Result<domain::UserPatch> ParseUserPatch(const nlohmann::json& body);

// {title, department_id, description?, requirements?, location?, employment_type?, status?,
//  thresholds?: {recommend?, review?}}
Result<domain::Job> ParseJobCreate(const nlohmann::json& body);
// Any of the create members; thresholds merge member-wise.
Result<domain::JobPatch> ParseJobPatch(const nlohmann::json& body);

// {dimensions: [...]}: version, job_id and updated_at are left for the service.
Result<domain::CompetencyModel> ParseCompetencyModelPut(const nlohmann::json& body);

// {type, text: {zh?, en?}, job_id?, dimension_keys?, scenario?, rubric?: {key_points?, notes?},
//  reference_answers?, think_seconds?, answer_seconds?, expected_length?: {min?, max?}, tags?}
Result<domain::Question> ParseQuestionCreate(const nlohmann::json& body);
// Any of the create members; job_id and scenario may be null (cleared); text, rubric and
// expected_length merge member-wise.
Result<domain::QuestionPatch> ParseQuestionPatch(const nlohmann::json& body);

// {sections, reanswer_limit?, feedback_enabled?, follow_ups_enabled?, answer_modes?,
//  expires_in_days?}. That the question ids exist is the service's check.
Result<domain::InterviewPlan> ParseInterviewPlanPut(const nlohmann::json& body);

// {name, email?, phone?, national_id?, resume_text?, source?, tags?}, email or phone required.
Result<domain::Candidate> ParseCandidateCreate(const nlohmann::json& body);
// Any of the create members; email, phone, national_id and resume_text may be null (cleared).
Result<domain::CandidatePatch> ParseCandidatePatch(const nlohmann::json& body);

// {candidate_id, job_id, stage? (default "new"), source?}
Result<domain::Application> ParseApplicationCreate(const nlohmann::json& body);
// {stage} (required).
Result<domain::ApplicationPatch> ParseApplicationPatch(const nlohmann::json& body);

// {name, scopes}; scopes come back in canonical order (read, write).
Result<domain::ApiToken> ParseApiTokenCreate(const nlohmann::json& body);

// {title, url, dimension_keys, title_en?, description?, max_level?}
Result<domain::Course> ParseCourseCreate(const nlohmann::json& body);
// Any of the create members.
Result<domain::CoursePatch> ParseCoursePatch(const nlohmann::json& body);
// {consent_version, accept, audio_video_analysis?}
Result<domain::ConsentRequest> ParseConsent(const nlohmann::json& body);
// {text, client_elapsed_ms?}: text of at most 20,000 characters (may be empty).
Result<domain::AnswerSubmission> ParseAnswer(const nlohmann::json& body);
// {kind, position?, duration_ms?}
Result<domain::IntegrityEvent> ParseIntegrityEvent(const nlohmann::json& body);
// {dimension_key (null = overall), score, reason}
Result<domain::ScoreOverride> ParseScoreOverride(const nlohmann::json& body);

// Small action bodies of the interview endpoints.
struct InvitationRequest {
  std::optional<int> expires_in_days;  // 1..90; default: the plan's
  bool send_email = false;             // e-mail the link to the candidate (invite and resend)
};
// {expires_in_days?, send_email?}; an empty body is {}.
Result<InvitationRequest> ParseInvitationRequest(const nlohmann::json& body);
// {send_email?} -> send_email; an empty body is {}.
Result<bool> ParseResendRequest(const nlohmann::json& body);
// {days}: 1..90.
Result<int> ParseExtendRequest(const nlohmann::json& body);
// {reason?}: <= 2000 characters.
Result<std::string> ParseReviewRequest(const nlohmann::json& body);
// {resolution, status?: "done"}: resolution 1..2000 characters.
Result<std::string> ParseTaskResolve(const nlohmann::json& body);

// POST /auth/login body. No password policy here: a wrong password is the service's
// "invalid credentials", never a validation error that leaks the policy.
struct LoginRequest {
  std::string email;
  std::string password;
};
// {email, password}: non-empty strings (email <= 254 bytes, password <= 1024 bytes).
Result<LoginRequest> ParseLoginRequest(const nlohmann::json& body);

}  // namespace zm::json
