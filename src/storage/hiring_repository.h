// Repositories of the hiring aggregates: jobs (with their competency model and interview plan
// documents), questions, candidates (stored encrypted) and applications.
// Nested documents are stored as JSON text; encoding them is the caller's job (services use
// the domain codec), so storage stays free of domain document rules.
// Functions run inside the caller's transaction; errors as in database.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/job.h"
#include "storage/database.h"
#include "storage/page.h"

namespace zm::storage {

// Maps a foreign-key violation of a DELETE to kConflict "in_use".
Result<int64_t> InUseOnForeignKey(Result<int64_t> r);

// ---- jobs ----
Status InsertJob(Tx& tx, const domain::Job& j);
Result<std::optional<domain::Job>> GetJob(Tx& tx, const std::string& id);
// The job, locked until the transaction ends (PostgreSQL); for writes that copy its fields.
Result<std::optional<domain::Job>> GetJobForUpdate(Tx& tx, const std::string& id);
Status UpdateJob(Tx& tx, const domain::Job& j);
// kConflict "in_use" when applications reference the job.
Status DeleteJob(Tx& tx, const std::string& id);
struct JobFilter {
  std::optional<std::string> department_id, status, q;
  std::optional<std::vector<std::string>> department_scope;  // managers
};
Result<Page<domain::Job>> ListJobs(Tx& tx, const JobFilter& filter, const PageRequest& page);

struct StoredDocument {
  std::string json;
  int64_t version = 0;
  int64_t updated_at = 0;
};
Result<std::optional<StoredDocument>> GetCompetencyModelDoc(Tx& tx, const std::string& job_id);
// Stores the document with version = previous + 1; returns the new version.
Result<int64_t> PutCompetencyModelDoc(Tx& tx, const std::string& job_id, const std::string& json,
                                      int64_t now);
Result<std::optional<StoredDocument>> GetInterviewPlanDoc(Tx& tx, const std::string& job_id);
// Also records which questions the plan uses (questions in a plan cannot be deleted).
Status PutInterviewPlanDoc(Tx& tx, const std::string& job_id, const std::string& json,
                           const std::vector<std::string>& question_ids, int64_t now);

// ---- questions ----
struct QuestionRecord {
  std::string id;
  std::optional<std::string> job_id;
  std::string type, text_zh, text_en;
  std::vector<std::string> dimension_keys;
  std::string body_json;  // the whole question document
  int64_t created_at = 0, updated_at = 0;
};
Status InsertQuestion(Tx& tx, const QuestionRecord& q);
Result<std::optional<QuestionRecord>> GetQuestion(Tx& tx, const std::string& id);
Status UpdateQuestion(Tx& tx, const QuestionRecord& q);
// kConflict "in_use" when an interview plan uses it.
Status DeleteQuestion(Tx& tx, const std::string& id);
struct QuestionFilter {
  std::optional<std::string> job_id, type, dimension_key, q;
};
Result<Page<QuestionRecord>> ListQuestions(Tx& tx, const QuestionFilter& filter,
                                           const PageRequest& page);
// Ids among `ids` that do not exist.
Result<std::vector<std::string>> MissingQuestions(Tx& tx, const std::vector<std::string>& ids);

// ---- candidates (personal fields are ciphertexts; *_bidx are keyed blind indexes) ----
struct CandidateRecord {
  std::string id;
  std::string name_enc;
  std::optional<std::string> email_enc, phone_enc, national_id_enc, resume_enc;
  std::optional<std::string> email_bidx, phone_bidx;
  // Blind index of the normalized full name (exact-name search; not unique). Null for rows
  // written before it existed, until the workspace service backfills it.
  std::optional<std::string> name_bidx;
  std::string source;
  std::vector<std::string> tags;
  int64_t created_at = 0, updated_at = 0;
};
Status InsertCandidate(Tx& tx, const CandidateRecord& c);
Result<std::optional<CandidateRecord>> GetCandidate(Tx& tx, const std::string& id);
Status UpdateCandidate(Tx& tx, const CandidateRecord& c);
// Deletes the candidate and their applications (erasure).
Status DeleteCandidate(Tx& tx, const std::string& id);
// The id of another candidate holding this e-mail or phone blind index.
Result<std::optional<std::string>> FindCandidateByBlindIndex(
    Tx& tx, const std::optional<std::string>& email_bidx,
    const std::optional<std::string>& phone_bidx, const std::string& except_id);
struct CandidateFilter {
  std::optional<std::string> email_bidx, phone_bidx, tag;
  std::optional<std::vector<std::string>> department_scope;  // managers
};
Result<Page<CandidateRecord>> ListCandidates(Tx& tx, const CandidateFilter& filter,
                                             const PageRequest& page);
// True when the candidate has an application in one of the departments.
Result<bool> CandidateInDepartments(Tx& tx, const std::string& candidate_id,
                                    const std::vector<std::string>& department_ids);

// ---- applications ----
struct ApplicationRecord {
  std::string id, candidate_id, job_id, department_id, stage, source;
  int64_t created_at = 0, updated_at = 0;
  // Joined for display.
  std::string candidate_name_enc, job_title;
};
// Reads columns 0..9 of a row laid out as: a.id, a.candidate_id, a.job_id, a.department_id,
// a.stage, a.source, a.created_at, a.updated_at, c.name_enc, j.title (further columns ignored).
ApplicationRecord ApplicationFromRow(const Row& r);
Status InsertApplication(Tx& tx, const ApplicationRecord& a);
Result<std::optional<ApplicationRecord>> GetApplication(Tx& tx, const std::string& id);
Status UpdateApplicationStage(Tx& tx, const std::string& id, const std::string& stage, int64_t now);
struct ApplicationFilter {
  std::optional<std::string> job_id, department_id, stage, candidate_id;
  std::optional<std::vector<std::string>> department_scope;  // managers
};
Result<Page<ApplicationRecord>> ListApplications(Tx& tx, const ApplicationFilter& filter,
                                                 const PageRequest& page);

}  // namespace zm::storage
