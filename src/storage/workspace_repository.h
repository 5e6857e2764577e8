// Repositories of the HR workspace: the filtered applications table with interview summaries,
// result views, the dashboard's to-do list, pipeline counts and activity, application history,
// comments with mentions and notifications.
// Free text (comment bodies) arrives encrypted (*_enc); candidate names come back encrypted for
// the caller to open. Functions run inside the caller's transaction; errors as in database.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.h"
#include "storage/hiring_repository.h"
#include "storage/page.h"

namespace zm::storage {

// ---- the applications table ----

enum class ApplicationSort {
  kCreatedDesc,  // newest first (default)
  kCreatedAsc,   // oldest first
  kOverallDesc,  // best effective overall score first; unscored last
  kOverallAsc,   // lowest score first; unscored last
};

// A per-dimension threshold: the effective score of `key` must be >= `min`.
struct DimensionMin {
  std::string key;
  double min = 0;
};

// Every set member must hold (AND); `stages` matches any of its stages.
struct ApplicationQuery {
  std::optional<std::string> job_id, department_id, candidate_id;
  std::vector<std::string> stages;
  // Exact candidate lookups through blind indexes.
  std::optional<std::string> name_bidx, email_bidx, phone_bidx;
  std::optional<std::string> interview_status;  // an interview status, or "none" (no interview)
  std::optional<std::string> recommendation;    // effective recommendation
  std::optional<double> min_overall, max_overall;
  std::vector<DimensionMin> dimension_min;
  ApplicationSort sort = ApplicationSort::kCreatedDesc;
  std::optional<std::vector<std::string>> department_scope;  // managers
};

// A keyset position: the last row of the previous page. `score_key` is used by the overall sorts
// only: the effective overall in tenths (rounded), -10 (descending) or 10000 (ascending) for
// applications without a score.
struct ApplicationCursor {
  int64_t score_key = 0;
  std::string id;
};

struct InterviewSummary {
  std::string id, status;
  std::optional<int64_t> finished_at;
  std::optional<double> overall;
  std::optional<std::string> recommendation;
  int64_t score_version = 0;
  std::optional<int64_t> viewed_at;
  std::optional<std::string> viewed_by;
  std::map<std::string, double> dimension_scores;  // effective, by key
  int64_t flags_count = 0;                         // risk flags of the current score version
};

struct ApplicationSummary {
  ApplicationRecord application;
  std::optional<InterviewSummary> interview;
  int64_t score_key = 0;
};

struct ApplicationSummaryPage {
  std::vector<ApplicationSummary> items;
  std::optional<ApplicationCursor> next;  // set when more rows follow
};

// One page (`limit` rows after `after`) in the query's order; ties are broken by id descending.
Result<ApplicationSummaryPage> ListApplicationSummaries(
    Tx& tx, const ApplicationQuery& q, const std::optional<ApplicationCursor>& after, int limit);
// How many applications match (for the table's total and the export limit).
Result<int64_t> CountApplicationSummaries(Tx& tx, const ApplicationQuery& q);

// ---- result views ----
struct ResultViewState {
  std::string interview_id;
  bool finished = false;
  std::optional<int64_t> viewed_at;
};
// The view state of the application's interview; nullopt without an interview.
Result<std::optional<ResultViewState>> GetResultViewState(Tx& tx,
                                                          const std::string& application_id);
// Records the first view of a finished interview's result. True when this call recorded it;
// false when it was viewed already or is not finished (nothing changes then).
Result<bool> MarkResultViewed(Tx& tx, const std::string& interview_id, const std::string& user_id,
                              int64_t now);

// ---- dashboard ----
struct UnviewedResult {
  std::string application_id, interview_id, candidate_id, candidate_name_enc, job_id, job_title,
      department_id, stage;
  int64_t finished_at = 0;
  std::optional<double> overall;
  std::optional<std::string> recommendation;
};
// Finished interviews whose result nobody has viewed, oldest finish first.
Result<std::vector<UnviewedResult>> ListUnviewedResults(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope, int limit);
struct UnviewedCounts {
  int64_t total = 0;
  int64_t overdue = 0;  // finished before `overdue_before`
};
Result<UnviewedCounts> CountUnviewedResults(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope,
    int64_t overdue_before);

// Applications per (job, stage); a job with no application gives one row with stage "" and
// count 0. Jobs that are open or have applications, newest job first.
struct StageCount {
  std::string job_id, job_title, department_id, job_status, stage;
  int64_t count = 0;
};
Result<std::vector<StageCount>> PipelineStageCounts(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope);
// Open human-review tasks of applications in scope.
Result<int64_t> CountOpenReviewTasks(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope);

// An audit entry about an application, its interview or its tasks, with the actor's display
// name (users and API tokens) and the application it concerns. The candidate's per-question
// steps (interview.answer, .advance, .follow_up_answer) are left out: they are progress, not
// pipeline events.
struct ActivityRecord {
  int64_t seq = 0;
  std::string id;
  int64_t at = 0;
  std::string actor_type, actor_id;
  std::optional<std::string> actor_name;
  std::string action, target_type, target_id, changes_json;
  std::optional<std::string> application_id, job_title;
};
// The newest `limit` entries about applications and interviews in scope, newest first.
Result<std::vector<ActivityRecord>> RecentPipelineActivity(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope, int limit);
// Every entry about the application, its interview and its tasks, oldest first (at most
// `limit`).
Result<std::vector<ActivityRecord>> ApplicationActivity(Tx& tx, const std::string& application_id,
                                                        int limit);

// ---- comments ----
struct MentionRef {
  std::string user_id, name;
};
struct CommentRecord {
  std::string id, application_id, author_id, kind;  // kind: "comment" | "decision"
  std::string body_enc;
  int64_t body_chars = 0, created_at = 0;
  // Joined for reads.
  std::string author_name;
  std::vector<MentionRef> mentions;
};
// Inserts the comment and its mentions (user ids must exist).
Status InsertComment(Tx& tx, const CommentRecord& c, const std::vector<std::string>& mentioned);
// Newest first.
Result<Page<CommentRecord>> ListComments(Tx& tx, const std::string& application_id,
                                         const PageRequest& page);
// Oldest first, at most `limit`.
Result<std::vector<CommentRecord>> AllComments(Tx& tx, const std::string& application_id,
                                               int limit);
Result<std::optional<CommentRecord>> GetComment(Tx& tx, const std::string& application_id,
                                                const std::string& comment_id);

// Active staff who may be mentioned on an application of `department_id`: users with one of
// `roles`, and users with one of `scoped_roles` bound to that department. By name, then id.
struct StaffRef {
  std::string id, name, role;
};
Result<std::vector<StaffRef>> ListActiveStaff(Tx& tx, const std::vector<std::string>& roles,
                                              const std::vector<std::string>& scoped_roles,
                                              const std::string& department_id);

// ---- notifications ----
struct NotificationRecord {
  std::string id, recipient_id, kind, application_id;
  std::optional<std::string> comment_id;
  std::string actor_id;
  int64_t created_at = 0;
  std::optional<int64_t> read_at;
  // Joined for reads.
  std::optional<std::string> actor_name, comment_body_enc;
  std::string candidate_id, candidate_name_enc, job_id, job_title, department_id;
};
Status InsertNotification(Tx& tx, const NotificationRecord& n);
struct NotificationFilter {
  std::string recipient_id;
  bool unread_only = false;
  // The reader's scope: notifications about applications outside it are not listed.
  std::optional<std::vector<std::string>> department_scope;
};
// Newest first.
Result<Page<NotificationRecord>> ListNotifications(Tx& tx, const NotificationFilter& f,
                                                   const PageRequest& page);
Result<int64_t> CountUnreadNotifications(
    Tx& tx, const std::string& recipient_id,
    const std::optional<std::vector<std::string>>& department_scope);
// Marks the recipient's unread notifications read: those in `ids`, or all when nullopt. Ids of
// other recipients are ignored. Returns how many changed.
Result<int64_t> MarkNotificationsRead(Tx& tx, const std::string& recipient_id,
                                      const std::optional<std::vector<std::string>>& ids,
                                      int64_t now);

// ---- exports ----
struct CandidateContact {
  std::string id;
  std::optional<std::string> email_enc, phone_enc;
};
// Encrypted contacts of the given candidates (unknown ids are skipped).
Result<std::vector<CandidateContact>> CandidateContacts(Tx& tx,
                                                        const std::vector<std::string>& ids);
// Every department's name by id.
Result<std::map<std::string, std::string>> DepartmentNames(Tx& tx);

// ---- exact-name index backfill ----
struct NameIndexRow {
  std::string id, name_enc;
};
// Candidates whose name_bidx is NULL (written before the index existed), at most `limit`.
Result<std::vector<NameIndexRow>> CandidatesWithoutNameIndex(Tx& tx, int limit);
// "" marks a name that normalizes to nothing (never matched by a search).
Status SetCandidateNameIndex(Tx& tx, const std::string& id, const std::string& name_bidx);

// ---- talent pool ----
// Candidates with an application in stage talent_pool (in scope, for managers), newest
// candidate first, with every in-scope application of theirs (job, stage, effective overall).
struct TalentPoolQuery {
  std::optional<std::string> name_bidx, email_bidx, phone_bidx, tag;
  std::optional<double> min_best;  // best effective overall over their applications
  std::optional<std::vector<std::string>> department_scope;
};
struct TalentPoolApplication {
  std::string id, job_id, job_title, stage;
  std::optional<double> overall;
  int64_t updated_at = 0;
};
struct TalentPoolEntry {
  std::string candidate_id, name_enc;
  std::vector<std::string> tags;
  std::optional<double> best_overall;
  std::vector<TalentPoolApplication> applications;  // newest first
};
Result<Page<TalentPoolEntry>> ListTalentPool(Tx& tx, const TalentPoolQuery& q,
                                             const PageRequest& page);

}  // namespace zm::storage
