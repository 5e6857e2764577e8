// The HR workspace use cases behind the web app's console and manager view: the filtered
// applications table (and its CSV export), result-view tracking, the dashboard, comments with
// @mentions and notifications, application history, bulk actions and the manager's review
// queue with approve / decline decisions.
//
// Scope: every function applies the caller's department scope (managers); an application
// outside it answers kNotFound exactly like a missing one. Every change writes its audit entry
// in the same transaction. Free text (comments) is stored encrypted, bound to its row.
// Errors are Result values (services never name HTTP codes):
//  - bad input: kInvalidArgument "validation_failed" with one detail per problem;
//  - unknown or out-of-scope application: kNotFound;
//  - a decision in a stage that allows none: kConflict "decision_not_allowed";
//  - a bulk invite without applications:write: kPermissionDenied.
// Views are JSON documents in the API's shape (docs/api-resources.md, "HR workspace"), except
// the applications page, which the HTTP layer streams.
// Thread-safe: stateless apart from references to thread-safe collaborators, which must
// outlive the service.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "domain/application.h"
#include "security/principal.h"
#include "storage/database.h"
#include "storage/page.h"
#include "storage/workspace_repository.h"

namespace zm::security {
class FieldCipher;
}

namespace zm::services {

class CandidateService;
class InterviewService;
using security::Context;

// Query parameters of the applications table, as received (the service validates them).
struct ApplicationListParams {
  std::optional<std::string> job_id, department_id, candidate_id;
  std::vector<std::string> stages;  // each may hold several names separated by commas
  std::optional<std::string> q;     // exact full name, e-mail or phone of the candidate
  std::optional<std::string> interview_status, recommendation;
  std::optional<std::string> min_score, max_score;
  std::vector<std::string> dims;  // "key:min", e.g. "communication:80"
  std::optional<std::string> sort;
  std::optional<std::string> cursor;
  int limit = 50;
};

struct ApplicationListItem {
  domain::Application application;  // candidate_name masked without pii:read
  std::optional<storage::InterviewSummary> interview;
};

struct ApplicationListPage {
  std::vector<ApplicationListItem> items;
  std::optional<std::string> next_cursor;
  int64_t total = 0;  // matching applications, all pages
};

struct CommentCreate {
  std::string body;                   // 1..5000 characters
  std::vector<std::string> mentions;  // user ids (besides @name mentions in the body)
};

struct MarkReadRequest {
  std::optional<std::vector<std::string>> ids;
  bool all = false;
};

struct BulkRequest {
  std::string action;  // "move_stage" | "invite"
  std::vector<std::string> ids;
  std::optional<std::string> stage;    // move_stage
  std::optional<int> expires_in_days;  // invite
  bool send_email = false;             // invite: e-mail each link (InterviewService::Invite)
};

struct TalentPoolParams {
  std::optional<std::string> q;          // exact full name, e-mail or phone
  std::optional<std::string> tag;        // exact tag
  std::optional<std::string> min_score;  // best overall >= this (0..100)
  std::optional<std::string> cursor;
  int limit = 50;
};

struct ReinviteRequest {
  std::string job_id;
  std::optional<int> expires_in_days;
  bool send_email = false;
};

struct DecisionRequest {
  std::string decision;  // "approve" | "decline"
  std::string comment;   // required to decline
};

class WorkspaceService {
 public:
  static constexpr int kExportMaxRows = 20000;
  static constexpr int kBulkMaxIds = 200;
  static constexpr size_t kCommentMaxChars = 5000;
  static constexpr int kOverdueHours = 72;

  WorkspaceService(storage::Database& db, const security::FieldCipher& cipher,
                   CandidateService& candidates, InterviewService& interviews);

  // ---- the applications table (applications:read) ----
  Result<ApplicationListPage> ListApplications(const Context& ctx,
                                               const ApplicationListParams& params);
  // The same filters and order as a CSV document (UTF-8 with BOM, CRLF), at most
  // kExportMaxRows rows (more: kInvalidArgument). Names and contacts in clear only with
  // pii:read (masked like the API otherwise). Recorded in the audit log (application.export).
  Result<std::string> ExportCsv(const Context& ctx, const ApplicationListParams& params);

  // ---- result views ----
  // Records the first time a staff user with applications:read looks at a finished interview's
  // result (viewed_at, viewed_by; audit interview.result_viewed). No-op for API tokens, for
  // interviews not finished and for results seen before.
  Status RecordResultView(const Context& ctx, const std::string& application_id);

  // ---- dashboard (applications:read) ----
  Result<nlohmann::json> Dashboard(const Context& ctx, int todo_limit, int activity_limit);

  // ---- comments and notifications ----
  Result<nlohmann::json> ListComments(const Context& ctx, const std::string& application_id,
                                      const storage::PageRequest& page);
  Result<nlohmann::json> AddComment(const Context& ctx, const std::string& application_id,
                                    const CommentCreate& comment);
  // Colleagues who can read the application (and so can be mentioned).
  Result<nlohmann::json> MentionableUsers(const Context& ctx, const std::string& application_id);
  Result<nlohmann::json> ListNotifications(const Context& ctx, bool unread_only,
                                           const storage::PageRequest& page);
  Result<nlohmann::json> MarkNotificationsRead(const Context& ctx, const MarkReadRequest& req);

  // ---- history (applications:read) ----
  Result<nlohmann::json> History(const Context& ctx, const std::string& application_id);

  // ---- bulk actions (applications:stage; invite also applications:write) ----
  Result<nlohmann::json> Bulk(const Context& ctx, const BulkRequest& req);

  // ---- talent pool (applications:read; re-invite also applications:write) ----
  // Past candidates kept in the pool (an application in stage talent_pool within the caller's
  // scope), newest first: tags, best effective overall score, every in-scope application with
  // job, stage and score. Names masked without pii:read.
  Result<nlohmann::json> TalentPool(const Context& ctx, const TalentPoolParams& params);
  // A new application of a pool candidate to another job (source "人才库"), invited to its AI
  // interview at once (optionally by e-mail). Checked before anything is written: the
  // candidate must be in the caller's pool (kNotFound), the job in scope with a competency
  // model and plan (kInvalidArgument / kConflict "plan_missing"), no application to that job
  // yet (kConflict "duplicate_application"). Audited as application.create + interview.invite.
  Result<nlohmann::json> Reinvite(const Context& ctx, const std::string& candidate_id,
                                  const ReinviteRequest& req);

  // ---- manager review (applications:decide) ----
  // Applications in the HR review stage, oldest first by default.
  Result<ApplicationListPage> ListReviews(const Context& ctx, ApplicationListParams params);
  // approve: to second_round; decline: to rejected. Allowed from interview_completed and
  // hr_review. A non-empty comment is stored as an application comment of kind "decision".
  Result<nlohmann::json> Decide(const Context& ctx, const std::string& application_id,
                                const DecisionRequest& req);

  // Fills the exact-name index of candidates stored before it existed. Returns how many rows
  // were indexed. Idempotent; run at start.
  Result<int> BackfillNameIndexes();

 private:
  struct ParsedQuery;
  Result<ParsedQuery> Parse(const Context& ctx, const ApplicationListParams& params) const;
  Result<ApplicationListPage> List(const Context& ctx, const ParsedQuery& q, int limit);
  Result<domain::Application> OpenApplication(const storage::ApplicationRecord& r,
                                              bool show_pii) const;
  Result<nlohmann::json> CommentJson(const storage::CommentRecord& c) const;
  // Inserts a comment with its mentions and notifications and audits it; returns the record.
  Result<storage::CommentRecord> InsertComment(storage::Tx& tx, const Context& ctx,
                                               const storage::ApplicationRecord& app,
                                               const std::string& kind, const std::string& body,
                                               const std::vector<std::string>& explicit_mentions);

  storage::Database& db_;
  const security::FieldCipher& cipher_;
  CandidateService& candidates_;
  InterviewService& interviews_;
};

}  // namespace zm::services
