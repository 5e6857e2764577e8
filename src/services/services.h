// Application services: one function per use case. Each checks the caller's scope, validates
// with the domain rules, runs one transaction and writes the audit entry inside it. Services
// speak in domain types and Result errors; they never name HTTP codes.
// Thread-safe: stateless apart from references to the (thread-safe) database and cipher, which
// must outlive the service objects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/application.h"
#include "domain/candidate.h"
#include "domain/competency_model.h"
#include "domain/department.h"
#include "domain/interview_plan.h"
#include "domain/job.h"
#include "domain/question.h"
#include "domain/user.h"
#include "security/principal.h"
#include "storage/database.h"
#include "storage/hiring_repository.h"
#include "storage/page.h"

namespace zm::security {
class FieldCipher;
}

namespace zm::services {

using security::Context;
using storage::Page;
using storage::PageRequest;

class OrgService {
 public:
  explicit OrgService(storage::Database& db) : db_(db) {}

  Result<Page<domain::Department>> ListDepartments(const Context& ctx, const PageRequest& page);
  Result<domain::Department> GetDepartment(const Context& ctx, const std::string& id);
  Result<domain::Department> CreateDepartment(const Context& ctx, domain::Department d);
  Result<domain::Department> UpdateDepartment(const Context& ctx, const std::string& id,
                                              const domain::DepartmentPatch& patch);
  Status DeleteDepartment(const Context& ctx, const std::string& id);

  struct UserFilter {
    std::optional<std::string> role, department_id, status;
  };
  Result<Page<domain::User>> ListUsers(const Context& ctx, const UserFilter& filter,
                                       const PageRequest& page);
  Result<domain::User> GetUser(const Context& ctx, const std::string& id);
  // Checks the password policy; e-mail unique (kConflict "duplicate_email").
  Result<domain::User> CreateUser(const Context& ctx, domain::UserCreate create);
  Result<domain::User> UpdateUser(const Context& ctx, const std::string& id,
                                  const domain::UserPatch& patch);
  // Creates the first admin when there are no users. Returns the generated password when one
  // had to be generated (printed once by the caller), "" when `password` was used, nullopt
  // when users already exist.
  Result<std::optional<std::string>> EnsureFirstAdmin(const std::string& email,
                                                      const std::string& password);

 private:
  storage::Database& db_;
};

class JobService {
 public:
  explicit JobService(storage::Database& db) : db_(db) {}

  struct JobFilter {
    std::optional<std::string> department_id, status, q;
  };
  Result<Page<domain::Job>> ListJobs(const Context& ctx, const JobFilter& filter,
                                     const PageRequest& page);
  Result<domain::Job> GetJob(const Context& ctx, const std::string& id);
  Result<domain::Job> CreateJob(const Context& ctx, domain::Job job);
  Result<domain::Job> UpdateJob(const Context& ctx, const std::string& id,
                                const domain::JobPatch& patch);
  Status DeleteJob(const Context& ctx, const std::string& id);

  // kNotFound when the job has no model yet.
  Result<domain::CompetencyModel> GetCompetencyModel(const Context& ctx, const std::string& job_id);
  Result<domain::CompetencyModel> PutCompetencyModel(const Context& ctx, const std::string& job_id,
                                                     domain::CompetencyModel model);
  Result<domain::InterviewPlan> GetInterviewPlan(const Context& ctx, const std::string& job_id);
  // Question ids must exist (validation_failed naming the bad ids otherwise).
  Result<domain::InterviewPlan> PutInterviewPlan(const Context& ctx, const std::string& job_id,
                                                 domain::InterviewPlan plan);

  struct QuestionFilter {
    std::optional<std::string> job_id, type, dimension_key, q;
  };
  Result<Page<domain::Question>> ListQuestions(const Context& ctx, const QuestionFilter& filter,
                                               const PageRequest& page);
  Result<domain::Question> GetQuestion(const Context& ctx, const std::string& id);
  Result<domain::Question> CreateQuestion(const Context& ctx, domain::Question q);
  Result<domain::Question> UpdateQuestion(const Context& ctx, const std::string& id,
                                          const domain::QuestionPatch& patch);
  Status DeleteQuestion(const Context& ctx, const std::string& id);

 private:
  // The job when it exists and is in the caller's scope; kNotFound otherwise.
  Result<domain::Job> ScopedJob(storage::Tx& tx, const Context& ctx, const std::string& id);
  storage::Database& db_;
};

class CandidateService {
 public:
  CandidateService(storage::Database& db, const security::FieldCipher& cipher)
      : db_(db), cipher_(cipher) {}

  struct CandidateFilter {
    std::optional<std::string> email, phone, tag;
  };
  // Personal fields come back masked unless the caller has pii:read.
  Result<Page<domain::Candidate>> ListCandidates(const Context& ctx, const CandidateFilter& filter,
                                                 const PageRequest& page);
  // With pii:read, the view is recorded in the audit log (candidate.view_pii).
  Result<domain::Candidate> GetCandidate(const Context& ctx, const std::string& id);
  // kConflict "duplicate_candidate" when the e-mail or phone belongs to another candidate.
  Result<domain::Candidate> CreateCandidate(const Context& ctx, domain::Candidate c);
  Result<domain::Candidate> UpdateCandidate(const Context& ctx, const std::string& id,
                                            const domain::CandidatePatch& patch);
  // Erases the candidate and their applications.
  Status DeleteCandidate(const Context& ctx, const std::string& id);

  struct ApplicationFilter {
    std::optional<std::string> job_id, department_id, stage, candidate_id;
  };
  Result<Page<domain::Application>> ListApplications(const Context& ctx,
                                                     const ApplicationFilter& filter,
                                                     const PageRequest& page);
  Result<domain::Application> GetApplication(const Context& ctx, const std::string& id);
  // kConflict "duplicate_application" when the candidate already applied to the job.
  Result<domain::Application> CreateApplication(const Context& ctx, domain::Application a);
  Result<domain::Application> MoveStage(const Context& ctx, const std::string& id,
                                        domain::Stage stage);

  // Decrypts a stored application into its API view; the candidate's name is masked unless
  // `show_pii`. kInternal on a corrupt stage or ciphertext. Thread-safe (reads only).
  Result<domain::Application> OpenApplication(const storage::ApplicationRecord& r,
                                              bool show_pii) const;

 private:
  Result<domain::Candidate> Open(const storage::CandidateRecord& r, bool show_pii) const;
  storage::Database& db_;
  const security::FieldCipher& cipher_;
};

}  // namespace zm::services
