// The contract of the repositories (org_repository.h, hiring_repository.h,
// interview_repository.h, workspace_repository.h), the audit log
// (security/audit_log.h) and staff authentication (security/auth.h), run on both adapters of
// the storage port: every function is exercised on SQLite and on PostgreSQL, each test on a
// freshly migrated database, so no SQLite-only behaviour can hide.
//
// The PostgreSQL instantiation needs ZHIMIAN_TEST_PG_URL (scripts/pg-test-cluster.sh start DIR
// prints one); each PostgreSQL test runs in a schema of its own that is dropped afterwards.
// Without the variable the PostgreSQL tests are skipped with a message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/ids.h"
#include "common/time.h"
#include "domain/department.h"
#include "domain/job.h"
#include "domain/user.h"
#include "security/audit_chain.h"
#include "security/audit_log.h"
#include "security/auth.h"
#include "security/crypto.h"
#include "security/password.h"
#include "security/principal.h"
#include "storage/contract_test_support.h"
#include "storage/database.h"
#include "storage/hiring_repository.h"
#include "storage/interview_repository.h"
#include "storage/migrations.h"
#include "storage/org_repository.h"
#include "storage/page.h"
#include "storage/workspace_repository.h"

namespace zm::storage {
namespace {

namespace fs = std::filesystem;
using domain::Department;
using domain::EmploymentType;
using domain::Job;
using domain::JobStatus;
using domain::Role;
using domain::User;
using domain::UserStatus;

#define EXPECT_OK(expr)                                                                      \
  do {                                                                                       \
    const auto& zm_r_ = (expr);                                                              \
    EXPECT_TRUE(zm_r_.has_value()) << zm_r_.error().reason << ": " << zm_r_.error().message; \
  } while (0)

// Expects `expr` (a Result or Status) to fail with this code and reason.
#define EXPECT_ERROR(expr, code_, reason_)                                               \
  do {                                                                                   \
    const auto& zm_e_ = (expr);                                                          \
    if (zm_e_.has_value()) {                                                             \
      ADD_FAILURE() << #expr << " succeeded; expected " << ErrorCodeName(code_) << " \"" \
                    << (reason_) << "\"";                                                \
    } else {                                                                             \
      EXPECT_STREQ(ErrorCodeName(zm_e_.error().code), ErrorCodeName(code_))              \
          << zm_e_.error().reason << ": " << zm_e_.error().message;                      \
      EXPECT_EQ(zm_e_.error().reason, (reason_)) << zm_e_.error().message;               \
    }                                                                                    \
  } while (0)

using namespace zm::storage::testing;  // NOLINT: test scaffolding

constexpr char kPassword[] = "Zhimian-面试-2026!";

// One argon2id hash for the whole process (hashing costs ~70 ms).
const std::string& PasswordHash() {
  static const std::string hash = [] {
    auto h = security::HashPassword(kPassword);
    EXPECT_TRUE(h.has_value());
    return h.value_or("");
  }();
  return hash;
}

template <class T, class IdOf>
std::vector<std::string> Ids(const std::vector<T>& items, IdOf id_of) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(id_of(item));
  return out;
}

template <class T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  return Ids(items, [](const T& item) { return item.id; });
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> Reversed(std::vector<std::string> v) {
  std::reverse(v.begin(), v.end());
  return v;
}

void ExpectDepartmentEq(const Department& got, const Department& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

void ExpectUserEq(const User& got, const User& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.email, want.email);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.role, want.role);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.department_ids, Sorted(want.department_ids));
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
  EXPECT_EQ(got.last_login_at, want.last_login_at);
}

void ExpectJobEq(const Job& got, const Job& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.department_id, want.department_id);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.requirements, want.requirements);
  EXPECT_EQ(got.location, want.location);
  EXPECT_EQ(got.employment_type, want.employment_type);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.thresholds.recommend, want.thresholds.recommend);
  EXPECT_EQ(got.thresholds.review, want.thresholds.review);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

void ExpectQuestionEq(const QuestionRecord& got, const QuestionRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.job_id, want.job_id);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.text_zh, want.text_zh);
  EXPECT_EQ(got.text_en, want.text_en);
  EXPECT_EQ(got.dimension_keys, Sorted(want.dimension_keys));
  EXPECT_EQ(got.body_json, want.body_json);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

void ExpectCandidateEq(const CandidateRecord& got, const CandidateRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name_enc, want.name_enc);
  EXPECT_EQ(got.email_enc, want.email_enc);
  EXPECT_EQ(got.phone_enc, want.phone_enc);
  EXPECT_EQ(got.national_id_enc, want.national_id_enc);
  EXPECT_EQ(got.resume_enc, want.resume_enc);
  EXPECT_EQ(got.email_bidx, want.email_bidx);
  EXPECT_EQ(got.phone_bidx, want.phone_bidx);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.tags, want.tags);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

// Doubles pass through the text form of each adapter; compare to within 4 ULPs.
void ExpectOptDoubleEq(const std::optional<double>& got, const std::optional<double>& want) {
  ASSERT_EQ(got.has_value(), want.has_value());
  if (got) {
    EXPECT_DOUBLE_EQ(*got, *want);
  }
}

void ExpectInterviewEq(const InterviewRecord& got, const InterviewRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.application_id, want.application_id);
  EXPECT_EQ(got.job_id, want.job_id);
  EXPECT_EQ(got.department_id, want.department_id);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.token_hash, want.token_hash);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.snapshot, want.snapshot);
  EXPECT_EQ(got.question_count, want.question_count);
  EXPECT_EQ(got.current_position, want.current_position);
  EXPECT_EQ(got.invitations_sent, want.invitations_sent);
  EXPECT_EQ(got.consent_version, want.consent_version);
  EXPECT_EQ(got.consent_ip_enc, want.consent_ip_enc);
  EXPECT_EQ(got.consent_user_agent, want.consent_user_agent);
  EXPECT_EQ(got.consented_at, want.consented_at);
  EXPECT_EQ(got.finished_at, want.finished_at);
  EXPECT_EQ(got.revoked_at, want.revoked_at);
  EXPECT_EQ(got.report_released_at, want.report_released_at);
  EXPECT_EQ(got.audio_video_consent, want.audio_video_consent);
  ExpectOptDoubleEq(got.overall, want.overall);
  EXPECT_EQ(got.recommendation, want.recommendation);
  EXPECT_EQ(got.score_version, want.score_version);
  EXPECT_EQ(got.created_by, want.created_by);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

void ExpectItemEq(const InterviewItemRecord& got, const InterviewItemRecord& want) {
  EXPECT_EQ(got.interview_id, want.interview_id);
  EXPECT_EQ(got.position, want.position);
  EXPECT_EQ(got.question_id, want.question_id);
  EXPECT_EQ(got.shown_at, want.shown_at);
  EXPECT_EQ(got.draft_enc, want.draft_enc);
  EXPECT_EQ(got.draft_at, want.draft_at);
  EXPECT_EQ(got.feedback, want.feedback);
  EXPECT_EQ(got.completed_at, want.completed_at);
}

void ExpectAnswerEq(const AnswerRecord& got, const AnswerRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.interview_id, want.interview_id);
  EXPECT_EQ(got.position, want.position);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.attempt, want.attempt);
  EXPECT_EQ(got.text_enc, want.text_enc);
  EXPECT_EQ(got.text_chars, want.text_chars);
  EXPECT_EQ(got.elapsed_ms, want.elapsed_ms);
  EXPECT_EQ(got.late, want.late);
  EXPECT_EQ(got.submitted_at, want.submitted_at);
}

void ExpectScoreEq(const ScoreRecord& got, const ScoreRecord& want, bool with_result) {
  EXPECT_EQ(got.interview_id, want.interview_id);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.scorer, want.scorer);
  EXPECT_EQ(got.scorer_version, want.scorer_version);
  ExpectOptDoubleEq(got.overall, want.overall);
  EXPECT_EQ(got.recommendation, want.recommendation);
  EXPECT_EQ(got.result, with_result ? want.result : "");
  EXPECT_EQ(got.created_by, want.created_by);
  EXPECT_EQ(got.created_at, want.created_at);
}

void ExpectOverrideEq(const OverrideRecord& got, const OverrideRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.interview_id, want.interview_id);
  EXPECT_EQ(got.dimension_key, want.dimension_key);
  EXPECT_DOUBLE_EQ(got.score, want.score);
  ExpectOptDoubleEq(got.original, want.original);
  EXPECT_EQ(got.reason_enc, want.reason_enc);
  EXPECT_EQ(got.actor_id, want.actor_id);
  EXPECT_EQ(got.created_at, want.created_at);
}

void ExpectCourseEq(const CourseRecord& got, const CourseRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.title_en, want.title_en);
  EXPECT_EQ(got.url, want.url);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.dimension_keys, want.dimension_keys);
  EXPECT_EQ(got.max_level, want.max_level);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

void ExpectTaskEq(const TaskRecord& got, const TaskRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.application_id, want.application_id);
  EXPECT_EQ(got.department_id, want.department_id);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.detail_enc, want.detail_enc);
  EXPECT_EQ(got.resolution, want.resolution);
  EXPECT_EQ(got.resolved_by, want.resolved_by);
  EXPECT_EQ(got.resolved_at, want.resolved_at);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
  EXPECT_EQ(got.origin, want.origin);
}

class RepositoryContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      base_url_ = PgTestUrl();
      if (base_url_.empty()) GTEST_SKIP() << kPgSkipMessage;
      auto schema = CreatePgSchema(base_url_, "zm_repo_test_", &url_);
      ASSERT_OK(schema);
      schema_ = *schema;
    } else {
      dir_ = fs::temp_directory_path() / ("zm_repository_test_" + UniqueSuffix());
      url_ = "sqlite:" + (dir_ / "zhimian.db").string();
    }
    auto db = Database::Open(url_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto applied = Migrate(*db_);
    ASSERT_OK(applied);
    ASSERT_EQ(*applied, static_cast<int>(AllMigrations().size()));
    now_ = NowMillis();
    id_base_ms_ = now_ - 3'600'000;
  }

  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) DropPgSchema(base_url_, schema_);
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  bool IsPostgres() const { return GetParam() == Backend::kPostgres; }

  // A fresh id, greater than every id handed out before (ids sort by creation).
  std::string NextId() {
    const int64_t n = ++id_seq_;
    return MakeId(id_base_ms_ + n, 0, static_cast<uint64_t>(n));
  }

  // Runs fn (returning a Result or Status) in a write transaction.
  template <class Fn>
  Status Write(Fn fn) {
    return db_->Write([&](Tx& tx) -> Status { return AsStatus(fn(tx)); });
  }

  // Runs fn (returning a Result<T>) in a read transaction; a failure fails the test and
  // yields T{}.
  template <class Fn>
  auto Read(Fn fn) {
    using R = std::remove_cvref_t<decltype(fn(std::declval<Tx&>()))>;
    using T = typename R::value_type;
    auto r = db_->ReadValue<T>([&](Tx& tx) -> Result<T> { return fn(tx); });
    EXPECT_TRUE(r.has_value()) << r.error().reason << ": " << r.error().message;
    return r ? std::move(*r) : T{};
  }

  int64_t Count(const std::string& table, const std::string& where = "1 = 1",
                const std::vector<Value>& params = {}) {
    return Read([&](Tx& tx) -> Result<int64_t> {
      ZM_ASSIGN_OR_RETURN(auto row,
                          tx.QueryOne("SELECT COUNT(*) FROM " + table + " WHERE " + where, params));
      return row ? row->Int(0) : -1;
    });
  }

  Status Exec(const std::string& sql, const std::vector<Value>& params = {}) {
    return Write([&](Tx& tx) { return tx.Exec(sql, params); });
  }

  // ---- factories ----
  Department MakeDepartment(const std::string& name) {
    return Department{NextId(), name, name + "：负责本部门的招聘与面试安排", now_, now_};
  }
  std::string AddDepartment(const std::string& name) {
    Department d = MakeDepartment(name);
    EXPECT_OK(Write([&](Tx& tx) { return InsertDepartment(tx, d); }));
    return d.id;
  }

  User MakeUser(const std::string& email, const std::string& name, Role role,
                std::vector<std::string> departments = {}) {
    User u;
    u.id = NextId();
    u.email = email;
    u.name = name;
    u.role = role;
    u.department_ids = std::move(departments);
    u.created_at = u.updated_at = now_;
    return u;
  }
  std::string AddUser(const std::string& email, const std::string& name, Role role,
                      std::vector<std::string> departments = {},
                      UserStatus status = UserStatus::kActive) {
    User u = MakeUser(email, name, role, std::move(departments));
    u.status = status;
    EXPECT_OK(Write([&](Tx& tx) { return InsertUser(tx, u, PasswordHash()); }));
    return u.id;
  }

  Job MakeJob(const std::string& department_id, const std::string& title,
              JobStatus status = JobStatus::kOpen) {
    Job j;
    j.id = NextId();
    j.title = title;
    j.department_id = department_id;
    j.description = "负责" + title + "相关工作，与团队紧密协作。";
    j.requirements = {"本科及以上学历", "三年以上相关经验", "良好的沟通能力"};
    j.location = "上海市浦东新区";
    j.employment_type = EmploymentType::kFullTime;
    j.status = status;
    j.created_at = j.updated_at = now_;
    return j;
  }
  std::string AddJob(const std::string& department_id, const std::string& title,
                     JobStatus status = JobStatus::kOpen) {
    Job j = MakeJob(department_id, title, status);
    EXPECT_OK(Write([&](Tx& tx) { return InsertJob(tx, j); }));
    return j.id;
  }

  QuestionRecord MakeQuestion(std::optional<std::string> job_id, const std::string& type,
                              const std::string& zh, const std::string& en,
                              std::vector<std::string> dimension_keys) {
    QuestionRecord q;
    q.id = NextId();
    q.job_id = std::move(job_id);
    q.type = type;
    q.text_zh = zh;
    q.text_en = en;
    q.dimension_keys = std::move(dimension_keys);
    q.body_json = R"({"text":{"zh":")" + zh + R"(","en":")" + en + R"("},"think_seconds":30})";
    q.created_at = q.updated_at = now_;
    return q;
  }
  std::string AddQuestion(std::optional<std::string> job_id, const std::string& type,
                          const std::string& zh, const std::string& en,
                          std::vector<std::string> dimension_keys) {
    QuestionRecord q = MakeQuestion(std::move(job_id), type, zh, en, std::move(dimension_keys));
    EXPECT_OK(Write([&](Tx& tx) { return InsertQuestion(tx, q); }));
    return q.id;
  }

  CandidateRecord MakeCandidate(const std::string& name,
                                std::optional<std::string> email_bidx = std::nullopt,
                                std::optional<std::string> phone_bidx = std::nullopt,
                                std::vector<std::string> tags = {}) {
    CandidateRecord c;
    c.id = NextId();
    c.name_enc = "v1:enc:" + security::Base64UrlEncode(name);
    c.email_bidx = std::move(email_bidx);
    c.phone_bidx = std::move(phone_bidx);
    if (c.email_bidx) c.email_enc = "v1:enc:email:" + *c.email_bidx;
    if (c.phone_bidx) c.phone_enc = "v1:enc:phone:" + *c.phone_bidx;
    c.source = "校园招聘";
    c.tags = std::move(tags);
    c.created_at = c.updated_at = now_;
    return c;
  }
  std::string AddCandidate(const std::string& name,
                           std::optional<std::string> email_bidx = std::nullopt,
                           std::optional<std::string> phone_bidx = std::nullopt,
                           std::vector<std::string> tags = {}) {
    CandidateRecord c =
        MakeCandidate(name, std::move(email_bidx), std::move(phone_bidx), std::move(tags));
    EXPECT_OK(Write([&](Tx& tx) { return InsertCandidate(tx, c); }));
    return c.id;
  }

  ApplicationRecord MakeApplication(const std::string& candidate_id, const std::string& job_id,
                                    const std::string& department_id,
                                    const std::string& stage = "new") {
    ApplicationRecord a;
    a.id = NextId();
    a.candidate_id = candidate_id;
    a.job_id = job_id;
    a.department_id = department_id;
    a.stage = stage;
    a.source = "内推";
    a.created_at = a.updated_at = now_;
    return a;
  }
  std::string AddApplication(const std::string& candidate_id, const std::string& job_id,
                             const std::string& department_id, const std::string& stage = "new") {
    ApplicationRecord a = MakeApplication(candidate_id, job_id, department_id, stage);
    EXPECT_OK(Write([&](Tx& tx) { return InsertApplication(tx, a); }));
    return a.id;
  }

  // ---- interviews ----
  // An application of a fresh candidate; returns its id.
  std::string AddApplicant(const std::string& job_id, const std::string& department_id) {
    return AddApplication(AddCandidate("应聘者" + std::to_string(id_seq_)), job_id, department_id);
  }

  InterviewRecord MakeInterview(const std::string& application_id, const std::string& job_id,
                                const std::string& department_id, int64_t question_count = 3) {
    InterviewRecord r;
    r.id = NextId();
    r.application_id = application_id;
    r.job_id = job_id;
    r.department_id = department_id;
    r.status = "invited";
    r.token_hash = security::Sha256Hex("invitation-token-" + r.id);
    r.expires_at = now_ + 7 * 86'400'000LL;
    r.snapshot = R"({"job":{"title":"后端工程师 \"Go\""},"plan":{"reanswer_limit":1}})";
    r.question_count = question_count;
    r.created_by = "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C";
    r.created_at = r.updated_at = now_;
    return r;
  }
  // Inserts an interview with one item per question; returns its id.
  std::string AddInterview(const std::string& application_id, const std::string& job_id,
                           const std::string& department_id,
                           const std::vector<std::string>& question_ids) {
    InterviewRecord r = MakeInterview(application_id, job_id, department_id,
                                      static_cast<int64_t>(question_ids.size()));
    EXPECT_OK(Write([&](Tx& tx) { return InsertInterview(tx, r, question_ids); }));
    return r.id;
  }

  AnswerRecord MakeAnswer(const std::string& interview_id, int64_t position,
                          const std::string& kind, int64_t attempt, const std::string& text) {
    AnswerRecord a;
    a.id = NextId();
    a.interview_id = interview_id;
    a.position = position;
    a.kind = kind;
    a.attempt = attempt;
    a.text_enc = "v1:enc:" + security::Base64UrlEncode(text);
    a.text_chars = static_cast<int64_t>(text.size());
    a.elapsed_ms = 1000 * attempt + position;
    a.late = false;
    a.submitted_at = now_ + id_seq_;
    return a;
  }
  AnswerRecord AddAnswer(const std::string& interview_id, int64_t position, const std::string& kind,
                         int64_t attempt, const std::string& text) {
    AnswerRecord a = MakeAnswer(interview_id, position, kind, attempt, text);
    EXPECT_OK(Write([&](Tx& tx) { return InsertAnswer(tx, a); }));
    return a;
  }

  CourseRecord MakeCourse(const std::string& title, std::vector<std::string> keys,
                          int64_t max_level = 3) {
    CourseRecord c;
    c.id = NextId();
    c.title = title;
    c.title_en = "Course " + std::to_string(id_seq_);
    c.url = "https://learn.example.cn/courses/" + c.id + "?lang=zh&ref=\"report\"";
    c.description = "面向" + title + "的系统课程";
    c.dimension_keys = std::move(keys);
    c.max_level = max_level;
    c.created_at = c.updated_at = now_;
    return c;
  }
  std::string AddCourse(const std::string& title, std::vector<std::string> keys) {
    CourseRecord c = MakeCourse(title, std::move(keys));
    EXPECT_OK(Write([&](Tx& tx) { return InsertCourse(tx, c); }));
    return c.id;
  }

  TaskRecord MakeTask(const std::string& application_id, const std::string& department_id,
                      const std::string& kind = "human_review",
                      const std::string& status = "open") {
    TaskRecord t;
    t.id = NextId();
    t.kind = kind;
    t.status = status;
    t.application_id = application_id;
    t.department_id = department_id;
    t.title = "人工复核申请 #" + std::to_string(id_seq_);
    t.detail_enc = "v1:enc:" + security::Base64UrlEncode("我认为评分有误，请人工复核");
    t.created_at = t.updated_at = now_;
    return t;
  }
  std::string AddTask(const std::string& application_id, const std::string& department_id,
                      const std::string& kind = "human_review",
                      const std::string& status = "open") {
    TaskRecord t = MakeTask(application_id, department_id, kind, status);
    EXPECT_OK(Write([&](Tx& tx) { return InsertTask(tx, t); }));
    return t.id;
  }

  // Inserts a session row directly (the repositories only delete sessions).
  void AddSession(const std::string& user_id, int64_t expires_at) {
    EXPECT_OK(Exec(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, "
        "?, ?)",
        {security::Sha256Hex(NextId()), user_id, std::string("csrf"), now_, expires_at}));
  }

  security::Context SystemContext() const {
    return security::Context{security::Principal::System(), "req-repo-test", "203.0.113.7",
                             "repository_test/1.0"};
  }

  std::string base_url_;
  std::string schema_;
  fs::path dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
  int64_t now_ = 0;
  int64_t id_base_ms_ = 0;
  int64_t id_seq_ = 0;
};

// ==== departments =============================================================================

TEST_P(RepositoryContractTest, DepartmentInsertGetUpdateDelete) {
  Department d = MakeDepartment("研发中心");
  d.description = "负责核心产品研发 — R&D, \"quoted\" and 'single' ? marks";
  ASSERT_OK(Write([&](Tx& tx) { return InsertDepartment(tx, d); }));

  auto got = Read([&](Tx& tx) { return GetDepartment(tx, d.id); });
  ASSERT_TRUE(got.has_value());
  ExpectDepartmentEq(*got, d);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetDepartment(tx, NextId()); }).has_value());

  d.name = "研发中心（北京）";
  d.description = "";
  d.updated_at = now_ + 1000;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateDepartment(tx, d); }));
  got = Read([&](Tx& tx) { return GetDepartment(tx, d.id); });
  ASSERT_TRUE(got.has_value());
  ExpectDepartmentEq(*got, d);

  Department ghost = MakeDepartment("不存在的部门");
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateDepartment(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");

  ASSERT_OK(Write([&](Tx& tx) { return DeleteDepartment(tx, d.id); }));
  EXPECT_FALSE(Read([&](Tx& tx) { return GetDepartment(tx, d.id); }).has_value());
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteDepartment(tx, d.id); }), ErrorCode::kNotFound,
               "not_found");
}

TEST_P(RepositoryContractTest, DepartmentNameIsUnique) {
  std::string hr = AddDepartment("人力资源部");
  Department twin = MakeDepartment("人力资源部");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertDepartment(tx, twin); }), ErrorCode::kConflict,
               "unique_violation");
  EXPECT_FALSE(Read([&](Tx& tx) { return GetDepartment(tx, twin.id); }).has_value());

  // Renaming another department to a taken name conflicts too and changes nothing.
  Department sales = MakeDepartment("销售部");
  ASSERT_OK(Write([&](Tx& tx) { return InsertDepartment(tx, sales); }));
  Department renamed = sales;
  renamed.name = "人力资源部";
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateDepartment(tx, renamed); }), ErrorCode::kConflict,
               "unique_violation");
  auto got = Read([&](Tx& tx) { return GetDepartment(tx, sales.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "销售部");
  // Names differing only in case or width are distinct.
  EXPECT_NE(AddDepartment("Sales"), "");
  EXPECT_NE(AddDepartment("sales"), "");
  EXPECT_EQ(Count("departments"), 4);
  (void)hr;
}

TEST_P(RepositoryContractTest, DepartmentDeleteRefusedWhileReferenced) {
  std::string with_job = AddDepartment("技术部");
  std::string with_user = AddDepartment("市场部");
  std::string job = AddJob(with_job, "后端工程师");
  User manager = MakeUser("li.manager@example.com", "李经理", Role::kManager, {with_user});
  ASSERT_OK(Write([&](Tx& tx) { return InsertUser(tx, manager, PasswordHash()); }));

  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteDepartment(tx, with_job); }), ErrorCode::kConflict,
               "in_use");
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteDepartment(tx, with_user); }), ErrorCode::kConflict,
               "in_use");
  EXPECT_EQ(Count("departments"), 2);

  ASSERT_OK(Write([&](Tx& tx) { return DeleteJob(tx, job); }));
  ASSERT_OK(Write([&](Tx& tx) { return DeleteDepartment(tx, with_job); }));
  manager.role = Role::kHr;
  manager.department_ids.clear();
  ASSERT_OK(Write([&](Tx& tx) { return UpdateUser(tx, manager, std::nullopt); }));
  ASSERT_OK(Write([&](Tx& tx) { return DeleteDepartment(tx, with_user); }));
  EXPECT_EQ(Count("departments"), 0);
}

// org_repository.h: DeleteDepartment answers kConflict "in_use" when "jobs, applications or
// users still reference it". An application whose department differs from its job's (the
// service copies the job's department without locking the job row, so a concurrent job move
// can leave one behind) makes the delete fail with "foreign_key_violation" instead.
TEST_P(RepositoryContractTest, DepartmentDeleteRefusedWhileApplicationsReferenceIt) {
  std::string old_dept = AddDepartment("旧部门");
  std::string new_dept = AddDepartment("新部门");
  std::string job = AddJob(new_dept, "测试工程师");
  std::string cand = AddCandidate("张伟", "bidx-e-1");
  AddApplication(cand, job, old_dept);
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteDepartment(tx, old_dept); }), ErrorCode::kConflict,
               "in_use");
}

TEST_P(RepositoryContractTest, DepartmentListPagesNewestFirst) {
  std::vector<std::string> inserted;
  ASSERT_OK(db_->Write([&](Tx& tx) -> Status {
    for (int i = 0; i < 120; ++i) {
      Department d = MakeDepartment("部门" + std::to_string(i));
      ZM_RETURN_IF_ERROR(InsertDepartment(tx, d));
      inserted.push_back(d.id);
    }
    return Ok();
  }));
  const std::vector<std::string> newest_first = Reversed(inserted);

  for (int limit : {50, 40, 7, 119, 120, 200}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    std::vector<std::string> seen;
    PageRequest page{.cursor = std::nullopt, .limit = limit};
    int pages = 0;
    while (true) {
      auto p = Read([&](Tx& tx) { return ListDepartments(tx, page); });
      ++pages;
      ASSERT_LE(static_cast<int>(p.items.size()), limit);
      for (const auto& d : p.items) seen.push_back(d.id);
      if (!p.next_cursor) break;
      EXPECT_EQ(static_cast<int>(p.items.size()), limit);
      ASSERT_FALSE(p.items.empty());
      EXPECT_EQ(*p.next_cursor, p.items.back().id);
      page.cursor = p.next_cursor;
      ASSERT_LE(pages, 200) << "paging does not terminate";
    }
    EXPECT_EQ(seen, newest_first);  // every row exactly once, newest first
    EXPECT_EQ(pages, (120 + limit - 1) / limit);
  }

  // Rows carry their values.
  auto first =
      Read([&](Tx& tx) { return ListDepartments(tx, {.cursor = std::nullopt, .limit = 1}); });
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].name, "部门119");
  EXPECT_EQ(first.items[0].description, "部门119：负责本部门的招聘与面试安排");
  // A cursor past the oldest row gives an empty last page.
  auto past =
      Read([&](Tx& tx) { return ListDepartments(tx, {.cursor = inserted.front(), .limit = 50}); });
  EXPECT_TRUE(past.items.empty());
  EXPECT_FALSE(past.next_cursor.has_value());
}

// ==== users ===================================================================================

TEST_P(RepositoryContractTest, UserInsertGetWithDepartmentBindings) {
  std::string d1 = AddDepartment("华东区");
  std::string d2 = AddDepartment("华南区");
  User u = MakeUser("wang.fang@example.com", "王芳", Role::kManager, {d2, d1});
  ASSERT_OK(Write([&](Tx& tx) { return InsertUser(tx, u, PasswordHash()); }));

  auto got = Read([&](Tx& tx) { return GetUser(tx, u.id); });
  ASSERT_TRUE(got.has_value());
  ExpectUserEq(*got, u);
  auto by_email = Read([&](Tx& tx) { return GetUserByEmail(tx, "wang.fang@example.com"); });
  ASSERT_TRUE(by_email.has_value());
  ExpectUserEq(*by_email, u);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetUserByEmail(tx, "nobody@example.com"); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetUser(tx, NextId()); }).has_value());

  // The hash is stored beside the user.
  auto hash = Read([&](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(auto r,
                        tx.QueryOne("SELECT password_hash FROM users WHERE id = ?", {u.id}));
    return r ? r->Text(0) : std::string();
  });
  EXPECT_EQ(hash, PasswordHash());

  // Duplicate e-mail.
  User twin = MakeUser("wang.fang@example.com", "王芳（重复）", Role::kHr);
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertUser(tx, twin, PasswordHash()); }),
               ErrorCode::kConflict, "unique_violation");
  // Unknown department: nothing of the user remains.
  User orphan = MakeUser("zhao.lei@example.com", "赵磊", Role::kManager, {d1, NextId()});
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertUser(tx, orphan, PasswordHash()); }),
               ErrorCode::kConflict, "foreign_key_violation");
  EXPECT_FALSE(Read([&](Tx& tx) { return GetUser(tx, orphan.id); }).has_value());
  EXPECT_EQ(Count("user_departments"), 2);
}

TEST_P(RepositoryContractTest, UserUpdateReplacesBindingsAndPassword) {
  std::string d1 = AddDepartment("北京分公司");
  std::string d2 = AddDepartment("上海分公司");
  std::string d3 = AddDepartment("深圳分公司");
  User u = MakeUser("chen.jing@example.com", "陈静", Role::kManager, {d1, d2});
  ASSERT_OK(Write([&](Tx& tx) { return InsertUser(tx, u, PasswordHash()); }));
  std::string other = AddUser("liu.yang@example.com", "刘洋", Role::kManager, {d1});
  AddSession(u.id, now_ + 3'600'000);
  AddSession(other, now_ + 3'600'000);

  u.name = "陈静（华南）";
  u.department_ids = {d3, d2};
  u.updated_at = now_ + 5000;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateUser(tx, u, std::nullopt); }));
  auto got = Read([&](Tx& tx) { return GetUser(tx, u.id); });
  ASSERT_TRUE(got.has_value());
  ExpectUserEq(*got, u);
  // Profile changes keep sessions; another user's bindings are untouched.
  EXPECT_EQ(Count("sessions", "user_id = ?", {u.id}), 1);
  auto other_user = Read([&](Tx& tx) { return GetUser(tx, other); });
  ASSERT_TRUE(other_user.has_value());
  EXPECT_EQ(other_user->department_ids, std::vector<std::string>{d1});

  u.role = Role::kAdmin;
  u.department_ids.clear();
  ASSERT_OK(Write([&](Tx& tx) { return UpdateUser(tx, u, std::nullopt); }));
  got = Read([&](Tx& tx) { return GetUser(tx, u.id); });
  ASSERT_TRUE(got.has_value());
  ExpectUserEq(*got, u);

  // A new password ends the user's sessions (not others').
  ASSERT_OK(Write([&](Tx& tx) { return UpdateUser(tx, u, std::string("$argon2id$new")); }));
  EXPECT_EQ(Count("sessions", "user_id = ?", {u.id}), 0);
  EXPECT_EQ(Count("sessions", "user_id = ?", {other}), 1);
  EXPECT_EQ(Count("users", "id = ? AND password_hash = ?", {u.id, std::string("$argon2id$new")}),
            1);

  // Unknown user; unknown department rolls the whole update back.
  User ghost = MakeUser("ghost@example.com", "幽灵", Role::kHr);
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateUser(tx, ghost, std::nullopt); }),
               ErrorCode::kNotFound, "not_found");
  User bad = u;
  bad.name = "不应保存";
  bad.department_ids = {NextId()};
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateUser(tx, bad, std::nullopt); }),
               ErrorCode::kConflict, "foreign_key_violation");
  got = Read([&](Tx& tx) { return GetUser(tx, u.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "陈静（华南）");
}

TEST_P(RepositoryContractTest, DisablingUserDeletesSessions) {
  std::string a = AddUser("sun.li@example.com", "孙丽", Role::kHr);
  std::string b = AddUser("zhou.qiang@example.com", "周强", Role::kHr);
  AddSession(a, now_ + 3'600'000);
  AddSession(a, now_ + 7'200'000);
  AddSession(b, now_ + 3'600'000);

  auto user = Read([&](Tx& tx) { return GetUser(tx, a); });
  ASSERT_TRUE(user.has_value());
  user->status = UserStatus::kDisabled;
  user->updated_at = now_ + 1;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateUser(tx, *user, std::nullopt); }));
  EXPECT_EQ(Count("sessions", "user_id = ?", {a}), 0);
  EXPECT_EQ(Count("sessions", "user_id = ?", {b}), 1);
  auto got = Read([&](Tx& tx) { return GetUser(tx, a); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, UserStatus::kDisabled);
}

TEST_P(RepositoryContractTest, UserListFiltersAndCount) {
  std::string d1 = AddDepartment("财务部");
  std::string d2 = AddDepartment("法务部");
  EXPECT_EQ(Read([&](Tx& tx) { return CountUsers(tx); }), 0);
  std::string admin = AddUser("admin@example.com", "管理员", Role::kAdmin);
  std::string hr = AddUser("hr@example.com", "人事专员", Role::kHr);
  std::string m1 = AddUser("m1@example.com", "经理甲", Role::kManager, {d1});
  std::string m2 = AddUser("m2@example.com", "经理乙", Role::kManager, {d2});
  std::string m12 =
      AddUser("m12@example.com", "经理丙", Role::kManager, {d1, d2}, UserStatus::kDisabled);
  std::string auditor = AddUser("audit@example.com", "审计员", Role::kAuditor);
  EXPECT_EQ(Read([&](Tx& tx) { return CountUsers(tx); }), 6);

  auto list = [&](UserFilter f, int limit = 50) {
    return Ids(Read([&](Tx& tx) {
                 return ListUsers(tx, f, {.cursor = std::nullopt, .limit = limit});
               }).items);
  };
  EXPECT_EQ(list({}), (std::vector<std::string>{auditor, m12, m2, m1, hr, admin}));
  EXPECT_EQ(list({.role = "manager"}), (std::vector<std::string>{m12, m2, m1}));
  EXPECT_EQ(list({.department_id = d1}), (std::vector<std::string>{m12, m1}));
  EXPECT_EQ(list({.status = "disabled"}), (std::vector<std::string>{m12}));
  EXPECT_EQ(list({.role = "manager", .department_id = d2, .status = "active"}),
            (std::vector<std::string>{m2}));
  EXPECT_TRUE(list({.role = "auditor", .department_id = d1}).empty());
  EXPECT_TRUE(list({.department_id = NextId()}).empty());

  // Paging with a filter.
  auto p1 = Read([&](Tx& tx) {
    return ListUsers(tx, {.status = "active"}, {.cursor = std::nullopt, .limit = 3});
  });
  EXPECT_EQ(Ids(p1.items), (std::vector<std::string>{auditor, m2, m1}));
  ASSERT_TRUE(p1.next_cursor.has_value());
  auto p2 = Read([&](Tx& tx) {
    return ListUsers(tx, {.status = "active"}, {.cursor = p1.next_cursor, .limit = 3});
  });
  EXPECT_EQ(Ids(p2.items), (std::vector<std::string>{hr, admin}));
  EXPECT_FALSE(p2.next_cursor.has_value());
  // Listed users carry their bindings.
  auto managers = Read([&](Tx& tx) {
    return ListUsers(tx, {.role = "manager"}, {.cursor = std::nullopt, .limit = 50});
  });
  ASSERT_EQ(managers.items.size(), 3u);
  EXPECT_EQ(managers.items[0].department_ids, Sorted({d1, d2}));
  EXPECT_EQ(managers.items[0].name, "经理丙");
}

// ==== jobs ====================================================================================

TEST_P(RepositoryContractTest, JobInsertGetUpdate) {
  std::string d1 = AddDepartment("智能制造事业部");
  std::string d2 = AddDepartment("供应链管理部");
  Job j = MakeJob(d1, "生产线工艺工程师");
  j.description =
      "负责生产线工艺优化；处理生产线上的突发问题。\n第二行 with \"quotes\" & 'apostrophes'";
  j.requirements = {"熟悉精益生产", "能够阅读英文技术文档", "持有 CET-6 证书者优先"};
  j.location = "苏州工业园区";
  j.employment_type = EmploymentType::kContract;
  j.status = JobStatus::kDraft;
  j.thresholds = {85, 65};
  ASSERT_OK(Write([&](Tx& tx) { return InsertJob(tx, j); }));
  auto got = Read([&](Tx& tx) { return GetJob(tx, j.id); });
  ASSERT_TRUE(got.has_value());
  ExpectJobEq(*got, j);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetJob(tx, NextId()); }).has_value());

  // Empty requirements round-trip as empty.
  Job bare = MakeJob(d2, "采购专员");
  bare.requirements.clear();
  bare.description = "";
  bare.location = "";
  bare.employment_type = EmploymentType::kIntern;
  ASSERT_OK(Write([&](Tx& tx) { return InsertJob(tx, bare); }));
  got = Read([&](Tx& tx) { return GetJob(tx, bare.id); });
  ASSERT_TRUE(got.has_value());
  ExpectJobEq(*got, bare);

  // Unknown department.
  Job orphan = MakeJob(NextId(), "无部门岗位");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertJob(tx, orphan); }), ErrorCode::kConflict,
               "foreign_key_violation");

  // Applications of the job follow a department change; others do not move.
  std::string c1 = AddCandidate("李娜", "e-li-na");
  std::string c2 = AddCandidate("王强", "e-wang-qiang");
  std::string a1 = AddApplication(c1, j.id, d1);
  std::string a2 = AddApplication(c2, j.id, d1);
  std::string a_other = AddApplication(c1, bare.id, d2);

  j.title = "高级生产线工艺工程师";
  j.department_id = d2;
  j.requirements = {"五年以上经验"};
  j.employment_type = EmploymentType::kFullTime;
  j.status = JobStatus::kOpen;
  j.thresholds = {90, 70};
  j.location = "无锡";
  j.updated_at = now_ + 60'000;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateJob(tx, j); }));
  got = Read([&](Tx& tx) { return GetJob(tx, j.id); });
  ASSERT_TRUE(got.has_value());
  ExpectJobEq(*got, j);
  for (const auto& id : {a1, a2}) {
    auto a = Read([&](Tx& tx) { return GetApplication(tx, id); });
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->department_id, d2);
    EXPECT_EQ(a->job_title, "高级生产线工艺工程师");
  }
  auto other = Read([&](Tx& tx) { return GetApplication(tx, a_other); });
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->department_id, d2);
  EXPECT_EQ(Count("applications", "department_id = ?", {d1}), 0);

  // And back again.
  j.department_id = d1;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateJob(tx, j); }));
  EXPECT_EQ(Count("applications", "department_id = ? AND job_id = ?", {d1, j.id}), 2);
  EXPECT_EQ(Count("applications", "department_id = ?", {d2}), 1);

  // Unknown job; unknown department rolls back.
  Job ghost = MakeJob(d1, "幽灵岗位");
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateJob(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");
  Job moved = j;
  moved.title = "不应保存";
  moved.department_id = NextId();
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateJob(tx, moved); }), ErrorCode::kConflict,
               "foreign_key_violation");
  got = Read([&](Tx& tx) { return GetJob(tx, j.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->title, "高级生产线工艺工程师");
  EXPECT_EQ(got->department_id, d1);
}

TEST_P(RepositoryContractTest, JobDeleteRefusedWithApplications) {
  std::string d = AddDepartment("客服中心");
  std::string job = AddJob(d, "客服主管");
  std::string cand = AddCandidate("周杰", "e-zhou");
  std::string app = AddApplication(cand, job, d);
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteJob(tx, job); }), ErrorCode::kConflict, "in_use");
  EXPECT_TRUE(Read([&](Tx& tx) { return GetJob(tx, job); }).has_value());

  // Once the applications are gone (candidate erased), the job can go; its questions stay as
  // bank questions and its plan rows disappear.
  std::string q = AddQuestion(job, "behavioural", "请描述一次你安抚愤怒客户的经历。",
                              "Describe calming an angry customer.", {"communication"});
  ASSERT_OK(
      Write([&](Tx& tx) { return PutInterviewPlanDoc(tx, job, R"({"sections":[]})", {q}, now_); }));
  ASSERT_OK(Write([&](Tx& tx) { return DeleteCandidate(tx, cand); }));
  EXPECT_FALSE(Read([&](Tx& tx) { return GetApplication(tx, app); }).has_value());
  ASSERT_OK(Write([&](Tx& tx) { return DeleteJob(tx, job); }));
  EXPECT_FALSE(Read([&](Tx& tx) { return GetJob(tx, job); }).has_value());
  auto question = Read([&](Tx& tx) { return GetQuestion(tx, q); });
  ASSERT_TRUE(question.has_value());
  EXPECT_EQ(question->job_id, std::nullopt);
  EXPECT_EQ(Count("plan_questions"), 0);
  ASSERT_OK(Write([&](Tx& tx) { return DeleteQuestion(tx, q); }));

  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteJob(tx, job); }), ErrorCode::kNotFound,
               "not_found");
}

TEST_P(RepositoryContractTest, JobListFiltersAndScope) {
  std::string tech = AddDepartment("技术部");
  std::string ops = AddDepartment("运营部");
  std::string hr = AddDepartment("人事部");
  std::string j1 = AddJob(tech, "高级 C++ 工程师", JobStatus::kOpen);
  std::string j2 = AddJob(tech, "前端工程师", JobStatus::kDraft);
  std::string j3 = AddJob(ops, "内容运营专员", JobStatus::kOpen);
  std::string j4 = AddJob(ops, "数据运营工程师", JobStatus::kClosed);
  std::string j5 = AddJob(hr, "招聘专员", JobStatus::kOpen);

  auto list = [&](JobFilter f) {
    return Ids(
        Read([&](Tx& tx) { return ListJobs(tx, f, {.cursor = std::nullopt, .limit = 50}); }).items);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{j5, j4, j3, j2, j1}));
  EXPECT_EQ(list({.department_id = tech}), (V{j2, j1}));
  EXPECT_EQ(list({.status = "open"}), (V{j5, j3, j1}));
  EXPECT_EQ(list({.q = "工程师"}), (V{j4, j2, j1}));
  EXPECT_EQ(list({.q = "运营"}), (V{j4, j3}));
  EXPECT_EQ(list({.department_id = ops, .status = "open", .q = "运营"}), (V{j3}));
  EXPECT_TRUE(list({.q = "架构师"}).empty());

  // Manager scope restricts results; an empty scope sees nothing.
  EXPECT_EQ(list({.department_scope = V{tech, hr}}), (V{j5, j2, j1}));
  EXPECT_EQ(list({.department_scope = V{ops}}), (V{j4, j3}));
  EXPECT_EQ(list({.department_id = ops, .department_scope = V{tech}}), V{});
  EXPECT_EQ(list({.status = "open", .q = "工程师", .department_scope = V{tech, ops}}), (V{j1}));
  EXPECT_TRUE(list({.department_scope = V{}}).empty());
  EXPECT_TRUE(list({.department_scope = V{NextId()}}).empty());

  // Paging within a scope.
  auto p1 = Read([&](Tx& tx) {
    return ListJobs(tx, {.department_scope = V{tech, ops}}, {.cursor = std::nullopt, .limit = 3});
  });
  EXPECT_EQ(Ids(p1.items), (V{j4, j3, j2}));
  ASSERT_TRUE(p1.next_cursor.has_value());
  auto p2 = Read([&](Tx& tx) {
    return ListJobs(tx, {.department_scope = V{tech, ops}}, {.cursor = p1.next_cursor, .limit = 3});
  });
  EXPECT_EQ(Ids(p2.items), (V{j1}));
  EXPECT_FALSE(p2.next_cursor.has_value());
}

TEST_P(RepositoryContractTest, JobSearchTreatsLikeMetacharactersLiterally) {
  std::string d = AddDepartment("平台部");
  std::string percent = AddJob(d, "100% 远程 Go 工程师");
  std::string underscore = AddJob(d, "数据_平台 工程师");
  std::string backslash = AddJob(d, R"(Windows C:\ 运维)");
  std::string plain = AddJob(d, "产品经理");
  std::string quote = AddJob(d, "O'Reilly 编辑");

  auto search = [&](const std::string& q) {
    return Ids(Read([&](Tx& tx) {
                 return ListJobs(tx, {.q = q}, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(search("%"), V{percent});
  EXPECT_EQ(search("0%"), V{percent});
  EXPECT_EQ(search("_"), V{underscore});
  EXPECT_EQ(search("据_平"), V{underscore});
  EXPECT_TRUE(search("据x平").empty());
  EXPECT_TRUE(search("数_").empty());
  EXPECT_EQ(search(R"(\)"), V{backslash});
  EXPECT_EQ(search(R"(C:\ )"), V{backslash});
  EXPECT_TRUE(search(R"(\%)").empty());
  EXPECT_TRUE(search("%%").empty());
  EXPECT_EQ(search("'"), V{quote});
  EXPECT_EQ(search("经理"), V{plain});
  EXPECT_EQ(search("工程师"), (V{underscore, percent}));
  EXPECT_EQ(search(""), (V{quote, plain, backslash, underscore, percent}));
}

// Free-text search must behave the same on both backends. SQLite's LIKE folds ASCII case
// ("go" finds "Go"), PostgreSQL's LIKE does not: the same query answers differently depending
// on the deployment. This test pins the SQLite (case-insensitive) behaviour.
TEST_P(RepositoryContractTest, TextSearchIgnoresAsciiCaseOnBothBackends) {
  std::string d = AddDepartment("平台部");
  std::string job = AddJob(d, "Senior Go Backend Engineer");
  std::string q = AddQuestion(std::nullopt, "technical", "请解释 Go 的调度器。",
                              "Explain the Go Scheduler.", {"technical_depth"});
  auto jobs = [&](const std::string& text) {
    return Ids(Read([&](Tx& tx) {
                 return ListJobs(tx, {.q = text}, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  auto questions = [&](const std::string& text) {
    return Ids(Read([&](Tx& tx) {
                 return ListQuestions(tx, {.q = text}, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  EXPECT_EQ(jobs("backend engineer"), std::vector<std::string>{job});
  EXPECT_EQ(jobs("SENIOR"), std::vector<std::string>{job});
  EXPECT_EQ(questions("go scheduler"), std::vector<std::string>{q});
}

// ==== competency model and interview plan documents ==========================================

TEST_P(RepositoryContractTest, CompetencyModelDocumentVersions) {
  std::string d = AddDepartment("销售部");
  std::string job = AddJob(d, "大客户销售经理");
  EXPECT_FALSE(Read([&](Tx& tx) { return GetCompetencyModelDoc(tx, job); }).has_value());

  const std::string v1 = R"({"dimensions":[{"key":"communication","name":"沟通能力","weight":100,)"
                         R"("description":"清晰表达观点，倾听并回应他人需求"}]})";
  const std::string v2 = R"({"dimensions":[{"key":"communication","name":"沟通能力","weight":60},)"
                         R"({"key":"negotiation","name":"谈判能力","weight":40}]})";
  auto put = [&](const std::string& json, int64_t at) {
    auto r =
        db_->WriteValue<int64_t>([&](Tx& tx) { return PutCompetencyModelDoc(tx, job, json, at); });
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.value_or(-1);
  };
  EXPECT_EQ(put(v1, now_ + 1), 1);
  auto doc = Read([&](Tx& tx) { return GetCompetencyModelDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->json, v1);
  EXPECT_EQ(doc->version, 1);
  EXPECT_EQ(doc->updated_at, now_ + 1);

  EXPECT_EQ(put(v2, now_ + 2), 2);
  EXPECT_EQ(put(v2, now_ + 3), 3);  // an identical document is still a new version
  doc = Read([&](Tx& tx) { return GetCompetencyModelDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->json, v2);
  EXPECT_EQ(doc->version, 3);
  EXPECT_EQ(doc->updated_at, now_ + 3);

  // Job updates keep the document and its version.
  auto j = Read([&](Tx& tx) { return GetJob(tx, job); });
  ASSERT_TRUE(j.has_value());
  j->title = "大客户销售总监";
  ASSERT_OK(Write([&](Tx& tx) { return UpdateJob(tx, *j); }));
  doc = Read([&](Tx& tx) { return GetCompetencyModelDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->version, 3);
  EXPECT_EQ(doc->json, v2);

  // A failed transaction does not bump the version.
  EXPECT_FALSE(db_->Write([&](Tx& tx) -> Status {
                    ZM_RETURN_IF_ERROR(PutCompetencyModelDoc(tx, job, v1, now_ + 4));
                    return Conflict("test_abort", "roll back");
                  })
                   .has_value());
  doc = Read([&](Tx& tx) { return GetCompetencyModelDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->version, 3);

  // Versions are per job.
  std::string other = AddJob(d, "销售助理");
  auto r =
      db_->WriteValue<int64_t>([&](Tx& tx) { return PutCompetencyModelDoc(tx, other, v1, now_); });
  ASSERT_OK(r);
  EXPECT_EQ(*r, 1);

  EXPECT_ERROR(db_->WriteValue<int64_t>(
                   [&](Tx& tx) { return PutCompetencyModelDoc(tx, NextId(), v1, now_); }),
               ErrorCode::kNotFound, "not_found");
  EXPECT_FALSE(Read([&](Tx& tx) { return GetCompetencyModelDoc(tx, NextId()); }).has_value());
}

TEST_P(RepositoryContractTest, InterviewPlanRecordsItsQuestions) {
  std::string d = AddDepartment("研发部");
  std::string job = AddJob(d, "嵌入式软件工程师");
  std::string other_job = AddJob(d, "硬件工程师");
  std::string q1 = AddQuestion(job, "technical", "请解释中断处理的流程。",
                               "Explain interrupt handling.", {"technical_depth"});
  std::string q2 = AddQuestion(std::nullopt, "behavioural", "请介绍一次团队协作的经历。",
                               "Tell us about teamwork.", {"teamwork"});
  std::string q3 = AddQuestion(std::nullopt, "situational", "如果需求临时变更，你会怎么做？",
                               "What if requirements change?", {"adaptability"});
  EXPECT_FALSE(Read([&](Tx& tx) { return GetInterviewPlanDoc(tx, job); }).has_value());

  const std::string plan1 = R"({"sections":[{"key":"intro","title":"自我介绍","question_ids":[")" +
                            q1 + R"(",")" + q2 + R"("]}],"reanswer_limit":1})";
  ASSERT_OK(Write([&](Tx& tx) {
    return PutInterviewPlanDoc(tx, job, plan1, {q1, q2}, now_ + 10);
  }));
  auto doc = Read([&](Tx& tx) { return GetInterviewPlanDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->json, plan1);
  EXPECT_EQ(doc->updated_at, now_ + 10);
  EXPECT_EQ(Count("plan_questions", "job_id = ?", {job}), 2);

  // Planned questions cannot be deleted; unplanned ones can.
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteQuestion(tx, q1); }), ErrorCode::kConflict,
               "in_use");
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteQuestion(tx, q2); }), ErrorCode::kConflict,
               "in_use");
  EXPECT_TRUE(Read([&](Tx& tx) { return GetQuestion(tx, q1); }).has_value());

  // Another job's plan using q2 keeps it in use after this plan drops it.
  ASSERT_OK(Write([&](Tx& tx) { return PutInterviewPlanDoc(tx, other_job, "{}", {q2}, now_); }));
  const std::string plan2 = R"({"sections":[{"key":"tech","question_ids":[")" + q3 + R"("]}]})";
  ASSERT_OK(Write([&](Tx& tx) { return PutInterviewPlanDoc(tx, job, plan2, {q3}, now_ + 20); }));
  doc = Read([&](Tx& tx) { return GetInterviewPlanDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->json, plan2);
  EXPECT_EQ(doc->updated_at, now_ + 20);
  EXPECT_EQ(Count("plan_questions", "job_id = ?", {job}), 1);
  ASSERT_OK(Write([&](Tx& tx) { return DeleteQuestion(tx, q1); }));
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteQuestion(tx, q2); }), ErrorCode::kConflict,
               "in_use");
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteQuestion(tx, q3); }), ErrorCode::kConflict,
               "in_use");

  // An unknown question id rolls the whole put back.
  EXPECT_ERROR(Write([&](Tx& tx) {
                 return PutInterviewPlanDoc(tx, job, "{\"bad\":true}", {q3, NextId()}, now_ + 30);
               }),
               ErrorCode::kConflict, "foreign_key_violation");
  doc = Read([&](Tx& tx) { return GetInterviewPlanDoc(tx, job); });
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->json, plan2);
  EXPECT_EQ(Count("plan_questions", "job_id = ?", {job}), 1);

  // An empty plan frees every question.
  ASSERT_OK(Write([&](Tx& tx) { return PutInterviewPlanDoc(tx, job, "{}", {}, now_ + 40); }));
  ASSERT_OK(Write([&](Tx& tx) { return DeleteQuestion(tx, q3); }));

  EXPECT_ERROR(Write([&](Tx& tx) { return PutInterviewPlanDoc(tx, NextId(), "{}", {}, now_); }),
               ErrorCode::kNotFound, "not_found");
}

// ==== questions ===============================================================================

TEST_P(RepositoryContractTest, QuestionInsertGetUpdateDelete) {
  std::string d = AddDepartment("客户成功部");
  std::string job = AddJob(d, "客户成功经理");
  QuestionRecord q = MakeQuestion(job, "scenario", "客户投诉交付延期，你如何处理？",
                                  "A customer complains about a late delivery. What do you do?",
                                  {"problem_solving", "communication", "customer_focus"});
  q.body_json =
      R"({"text":{"zh":"客户投诉交付延期，你如何处理？"},"scenario":{"title":"延期交付",)"
      R"("context":"客户张先生来电……"},"rubric":{"key_points":[{"text":"先倾听","synonyms":[]}]}})";
  ASSERT_OK(Write([&](Tx& tx) { return InsertQuestion(tx, q); }));
  auto got = Read([&](Tx& tx) { return GetQuestion(tx, q.id); });
  ASSERT_TRUE(got.has_value());
  ExpectQuestionEq(*got, q);
  EXPECT_EQ(Count("question_dimensions", "question_id = ?", {q.id}), 3);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetQuestion(tx, NextId()); }).has_value());

  // A bank question (no job) keeps a null job_id.
  QuestionRecord bank = MakeQuestion(std::nullopt, "behavioural", "", "Describe a failure.", {});
  ASSERT_OK(Write([&](Tx& tx) { return InsertQuestion(tx, bank); }));
  got = Read([&](Tx& tx) { return GetQuestion(tx, bank.id); });
  ASSERT_TRUE(got.has_value());
  ExpectQuestionEq(*got, bank);

  // Update replaces the dimension keys.
  q.job_id = std::nullopt;
  q.type = "situational";
  q.text_zh = "客户要求提前交付，你如何回应？";
  q.text_en = "";
  q.dimension_keys = {"negotiation", "communication"};
  q.body_json = R"({"text":{"zh":"客户要求提前交付，你如何回应？"}})";
  q.updated_at = now_ + 100;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateQuestion(tx, q); }));
  got = Read([&](Tx& tx) { return GetQuestion(tx, q.id); });
  ASSERT_TRUE(got.has_value());
  ExpectQuestionEq(*got, q);
  EXPECT_EQ(Count("question_dimensions", "question_id = ?", {q.id}), 2);

  QuestionRecord ghost = MakeQuestion(std::nullopt, "technical", "无", "none", {"x"});
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateQuestion(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");
  EXPECT_EQ(Count("question_dimensions", "question_id = ?", {ghost.id}), 0);
  QuestionRecord orphan = MakeQuestion(NextId(), "technical", "无岗位", "no job", {"x"});
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertQuestion(tx, orphan); }), ErrorCode::kConflict,
               "foreign_key_violation");
  QuestionRecord twin = bank;
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertQuestion(tx, twin); }), ErrorCode::kConflict,
               "unique_violation");

  ASSERT_OK(Write([&](Tx& tx) { return DeleteQuestion(tx, q.id); }));
  EXPECT_FALSE(Read([&](Tx& tx) { return GetQuestion(tx, q.id); }).has_value());
  EXPECT_EQ(Count("question_dimensions", "question_id = ?", {q.id}), 0);
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteQuestion(tx, q.id); }), ErrorCode::kNotFound,
               "not_found");
}

TEST_P(RepositoryContractTest, QuestionListFiltersAndMissing) {
  std::string d = AddDepartment("产品部");
  std::string job = AddJob(d, "产品经理");
  std::string q1 =
      AddQuestion(job, "behavioural", "请讲述一次你与团队成员发生冲突的经历。",
                  "Tell us about a conflict with a teammate.", {"teamwork", "communication"});
  std::string q2 =
      AddQuestion(std::nullopt, "situational", "如果上线前发现严重缺陷，你会怎么做？",
                  "A severe defect appears before launch. What do you do?", {"problem_solving"});
  std::string q3 = AddQuestion(job, "technical", "如何设计一个 A/B 实验？",
                               "How would you design an A/B experiment?", {"analysis"});
  std::string q4 =
      AddQuestion(std::nullopt, "behavioural", "描述一次 100% 投入的项目经历。", "", {"teamwork"});

  auto list = [&](QuestionFilter f) {
    return Ids(Read([&](Tx& tx) {
                 return ListQuestions(tx, f, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{q4, q3, q2, q1}));
  EXPECT_EQ(list({.job_id = job}), (V{q3, q1}));
  EXPECT_EQ(list({.type = "behavioural"}), (V{q4, q1}));
  EXPECT_EQ(list({.dimension_key = "teamwork"}), (V{q4, q1}));
  EXPECT_EQ(list({.dimension_key = "communication"}), (V{q1}));
  EXPECT_EQ(list({.dimension_key = "team"}), V{});  // keys match exactly
  EXPECT_EQ(list({.job_id = job, .dimension_key = "teamwork"}), (V{q1}));
  // Text search in Chinese and English, zh or en column.
  EXPECT_EQ(list({.q = "冲突"}), (V{q1}));
  EXPECT_EQ(list({.q = "你"}), (V{q2, q1}));
  EXPECT_EQ(list({.q = "defect"}), (V{q2}));
  EXPECT_EQ(list({.q = "A/B"}), (V{q3}));
  EXPECT_EQ(list({.q = "100%"}), (V{q4}));
  EXPECT_EQ(list({.q = "%"}), (V{q4}));
  EXPECT_EQ(list({.q = "_"}), V{});
  EXPECT_EQ(list({.type = "behavioural", .q = "项目"}), (V{q4}));

  // Listed questions carry their keys.
  auto page = Read([&](Tx& tx) {
    return ListQuestions(tx, {.job_id = job}, {.cursor = std::nullopt, .limit = 1});
  });
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, q3);
  EXPECT_EQ(page.items[0].dimension_keys, V{"analysis"});
  ASSERT_TRUE(page.next_cursor.has_value());
  page = Read([&](Tx& tx) {
    return ListQuestions(tx, {.job_id = job}, {.cursor = page.next_cursor, .limit = 1});
  });
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, q1);
  EXPECT_EQ(page.items[0].dimension_keys, (V{"communication", "teamwork"}));
  EXPECT_FALSE(page.next_cursor.has_value());

  const std::string gone1 = NextId(), gone2 = NextId();
  EXPECT_EQ(Read([&](Tx& tx) {
              return MissingQuestions(tx, {q1, gone1, q3, gone2});
            }),
            (V{gone1, gone2}));
  EXPECT_EQ(Read([&](Tx& tx) { return MissingQuestions(tx, {q1, q2, q3, q4}); }), V{});
  EXPECT_EQ(Read([&](Tx& tx) { return MissingQuestions(tx, {}); }), V{});
}

// ==== candidates ==============================================================================

TEST_P(RepositoryContractTest, CandidateInsertGetUpdateDelete) {
  CandidateRecord c =
      MakeCandidate("欧阳娜娜", "bidx-email-ouyang", "bidx-phone-ouyang", {"后端", "Go", "985"});
  c.national_id_enc = "v1:enc:national-id";
  c.resume_enc = "v1:enc:" + std::string(5000, 'R');
  ASSERT_OK(Write([&](Tx& tx) { return InsertCandidate(tx, c); }));
  auto got = Read([&](Tx& tx) { return GetCandidate(tx, c.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCandidateEq(*got, c);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetCandidate(tx, NextId()); }).has_value());

  // Optional fields stay null.
  CandidateRecord minimal = MakeCandidate("李四", std::nullopt, "bidx-phone-lisi");
  minimal.source = "";
  ASSERT_OK(Write([&](Tx& tx) { return InsertCandidate(tx, minimal); }));
  got = Read([&](Tx& tx) { return GetCandidate(tx, minimal.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCandidateEq(*got, minimal);
  EXPECT_FALSE(got->email_enc.has_value());
  EXPECT_FALSE(got->email_bidx.has_value());

  // Update, clearing fields.
  c.name_enc = "v1:enc:renamed";
  c.email_enc = std::nullopt;
  c.email_bidx = std::nullopt;
  c.resume_enc = std::nullopt;
  c.tags = {"后端开发"};
  c.source = "猎头推荐";
  c.updated_at = now_ + 1;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateCandidate(tx, c); }));
  got = Read([&](Tx& tx) { return GetCandidate(tx, c.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCandidateEq(*got, c);
  CandidateRecord ghost = MakeCandidate("无名氏");
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateCandidate(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");

  // Delete erases the candidate with their applications, not others'.
  std::string d = AddDepartment("测试部");
  std::string j1 = AddJob(d, "测试工程师");
  std::string j2 = AddJob(d, "测试开发工程师");
  std::string a1 = AddApplication(c.id, j1, d);
  std::string a2 = AddApplication(c.id, j2, d);
  std::string a3 = AddApplication(minimal.id, j1, d);
  ASSERT_OK(Write([&](Tx& tx) { return DeleteCandidate(tx, c.id); }));
  EXPECT_FALSE(Read([&](Tx& tx) { return GetCandidate(tx, c.id); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetApplication(tx, a1); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetApplication(tx, a2); }).has_value());
  EXPECT_TRUE(Read([&](Tx& tx) { return GetApplication(tx, a3); }).has_value());
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteCandidate(tx, c.id); }), ErrorCode::kNotFound,
               "not_found");
  // The blind index is free again.
  EXPECT_NE(AddCandidate("欧阳娜娜", "bidx-email-other", "bidx-phone-ouyang"), "");
}

TEST_P(RepositoryContractTest, CandidateBlindIndexesAreUnique) {
  std::string a = AddCandidate("张三", "bidx-e-zhang", "bidx-p-zhang");
  CandidateRecord same_email = MakeCandidate("张三丰", "bidx-e-zhang", "bidx-p-other");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertCandidate(tx, same_email); }), ErrorCode::kConflict,
               "unique_violation");
  CandidateRecord same_phone = MakeCandidate("张小三", "bidx-e-other", "bidx-p-zhang");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertCandidate(tx, same_phone); }), ErrorCode::kConflict,
               "unique_violation");
  EXPECT_EQ(Count("candidates"), 1);

  // Several candidates without e-mail (or phone) coexist.
  std::string b = AddCandidate("王五", std::nullopt, "bidx-p-wang");
  std::string c = AddCandidate("赵六", std::nullopt, "bidx-p-zhao");
  std::string e = AddCandidate("钱七", "bidx-e-qian", std::nullopt);
  std::string f = AddCandidate("孙八", "bidx-e-sun", std::nullopt);
  EXPECT_EQ(Count("candidates"), 5);

  // Updating onto another candidate's index conflicts too.
  auto cb = Read([&](Tx& tx) { return GetCandidate(tx, b); });
  ASSERT_TRUE(cb.has_value());
  cb->email_bidx = "bidx-e-zhang";
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateCandidate(tx, *cb); }), ErrorCode::kConflict,
               "unique_violation");

  auto find = [&](std::optional<std::string> email, std::optional<std::string> phone,
                  const std::string& except) {
    return Read([&](Tx& tx) { return FindCandidateByBlindIndex(tx, email, phone, except); });
  };
  EXPECT_EQ(find("bidx-e-zhang", std::nullopt, ""), a);
  EXPECT_EQ(find(std::nullopt, "bidx-p-zhang", ""), a);
  EXPECT_EQ(find("bidx-e-zhang", std::nullopt, a), std::nullopt);  // except_id: itself
  EXPECT_EQ(find("bidx-e-nobody", "bidx-p-wang", a), b);           // phone when e-mail misses
  EXPECT_EQ(find("bidx-e-qian", "bidx-p-zhao", ""), e);            // e-mail first
  EXPECT_EQ(find("bidx-e-qian", "bidx-p-zhao", e), c);             // then phone
  EXPECT_EQ(find(std::nullopt, std::nullopt, ""), std::nullopt);
  EXPECT_EQ(find("bidx-e-nobody", "bidx-p-nobody", ""), std::nullopt);
  (void)f;
}

TEST_P(RepositoryContractTest, CandidateListFiltersTagsAndScope) {
  std::string d1 = AddDepartment("研发一部");
  std::string d2 = AddDepartment("研发二部");
  std::string d3 = AddDepartment("研发三部");
  std::string j1 = AddJob(d1, "Go 工程师");
  std::string j2 = AddJob(d2, "Java 工程师");
  std::string c1 = AddCandidate("陈一", "e1", "p1", {"后端", "Go"});
  std::string c2 = AddCandidate("陈二", "e2", "p2", {"后端开发", "Golang"});
  std::string c3 = AddCandidate("陈三", "e3", std::nullopt, {"前端", "100%_远程"});
  std::string c4 = AddCandidate("陈四", std::nullopt, "p4", {});
  AddApplication(c1, j1, d1);
  AddApplication(c2, j1, d1);
  AddApplication(c2, j2, d2);
  AddApplication(c3, j2, d2);

  auto list = [&](CandidateFilter f) {
    return Ids(Read([&](Tx& tx) {
                 return ListCandidates(tx, f, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{c4, c3, c2, c1}));
  EXPECT_EQ(list({.email_bidx = "e2"}), (V{c2}));
  EXPECT_EQ(list({.phone_bidx = "p4"}), (V{c4}));
  EXPECT_EQ(list({.email_bidx = "e1", .phone_bidx = "p2"}), V{});
  // Tags match exactly: not a prefix or part of another tag.
  EXPECT_EQ(list({.tag = "后端"}), (V{c1}));
  EXPECT_EQ(list({.tag = "后端开发"}), (V{c2}));
  EXPECT_EQ(list({.tag = "Go"}), (V{c1}));
  EXPECT_EQ(list({.tag = "Golang"}), (V{c2}));
  EXPECT_EQ(list({.tag = "后"}), V{});
  EXPECT_EQ(list({.tag = "100%_远程"}), (V{c3}));
  EXPECT_EQ(list({.tag = "%"}), V{});
  EXPECT_EQ(list({.tag = "_"}), V{});
  // Scope: candidates with an application in the departments.
  EXPECT_EQ(list({.department_scope = V{d1}}), (V{c2, c1}));
  EXPECT_EQ(list({.department_scope = V{d2}}), (V{c3, c2}));
  EXPECT_EQ(list({.department_scope = V{d1, d2}}), (V{c3, c2, c1}));  // c2 once
  EXPECT_EQ(list({.department_scope = V{d3}}), V{});
  EXPECT_EQ(list({.department_scope = V{}}), V{});
  EXPECT_EQ(list({.tag = "后端", .department_scope = V{d2}}), V{});
  EXPECT_EQ(list({.tag = "Golang", .department_scope = V{d2}}), (V{c2}));

  // Paging within a scope.
  auto p1 = Read([&](Tx& tx) {
    return ListCandidates(tx, {.department_scope = V{d1, d2}},
                          {.cursor = std::nullopt, .limit = 2});
  });
  EXPECT_EQ(Ids(p1.items), (V{c3, c2}));
  ASSERT_TRUE(p1.next_cursor.has_value());
  auto p2 = Read([&](Tx& tx) {
    return ListCandidates(tx, {.department_scope = V{d1, d2}},
                          {.cursor = p1.next_cursor, .limit = 2});
  });
  EXPECT_EQ(Ids(p2.items), (V{c1}));
  EXPECT_FALSE(p2.next_cursor.has_value());

  auto in = [&](const std::string& c, V depts) {
    return Read([&](Tx& tx) { return CandidateInDepartments(tx, c, depts); });
  };
  EXPECT_TRUE(in(c1, {d1}));
  EXPECT_FALSE(in(c1, {d2}));
  EXPECT_TRUE(in(c2, {d3, d2}));
  EXPECT_FALSE(in(c4, {d1, d2, d3}));
  EXPECT_FALSE(in(c1, {}));
  EXPECT_FALSE(in(NextId(), {d1}));
}

// "tag" filters on one exact tag. SQLite's LIKE folds ASCII case, so on SQLite the filter
// "go" also returns a candidate tagged only "Go" (PostgreSQL answers correctly).
TEST_P(RepositoryContractTest, CandidateTagFilterIsCaseSensitive) {
  std::string go = AddCandidate("陈一", "e1", std::nullopt, {"Go"});
  std::string lower = AddCandidate("陈二", "e2", std::nullopt, {"go"});
  auto list = [&](const std::string& tag) {
    return Ids(Read([&](Tx& tx) {
                 return ListCandidates(tx, {.tag = tag}, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  EXPECT_EQ(list("Go"), std::vector<std::string>{go});
  EXPECT_EQ(list("go"), std::vector<std::string>{lower});
  EXPECT_TRUE(list("GO").empty());
}

// The tag filter matches the quoted JSON element as a substring of the stored array, so a
// tag containing `","` contains another "element": a candidate tagged only `A","B` is
// returned for the tag "B" (both backends).
TEST_P(RepositoryContractTest, CandidateTagFilterIgnoresQuotesInsideTags) {
  std::string tricky = AddCandidate("陈一", "e1", std::nullopt, {R"(A","B)"});
  std::string plain = AddCandidate("陈二", "e2", std::nullopt, {"B"});
  auto list = [&](const std::string& tag) {
    return Ids(Read([&](Tx& tx) {
                 return ListCandidates(tx, {.tag = tag}, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  EXPECT_EQ(list("B"), std::vector<std::string>{plain});
  EXPECT_EQ(list("A"), std::vector<std::string>{});
  EXPECT_EQ(list(R"(A","B)"), std::vector<std::string>{tricky});
}

// ==== applications ============================================================================

TEST_P(RepositoryContractTest, ApplicationInsertGetStage) {
  std::string d = AddDepartment("售后服务部");
  std::string job = AddJob(d, "售后技术支持工程师");
  CandidateRecord c = MakeCandidate("黄晓明", "e-huang");
  c.name_enc = "v1:enc:黄晓明-ciphertext";
  ASSERT_OK(Write([&](Tx& tx) { return InsertCandidate(tx, c); }));
  ApplicationRecord a = MakeApplication(c.id, job, d);
  a.source = "BOSS直聘";
  ASSERT_OK(Write([&](Tx& tx) { return InsertApplication(tx, a); }));

  auto got = Read([&](Tx& tx) { return GetApplication(tx, a.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, a.id);
  EXPECT_EQ(got->candidate_id, c.id);
  EXPECT_EQ(got->job_id, job);
  EXPECT_EQ(got->department_id, d);
  EXPECT_EQ(got->stage, "new");
  EXPECT_EQ(got->source, "BOSS直聘");
  EXPECT_EQ(got->created_at, now_);
  EXPECT_EQ(got->updated_at, now_);
  EXPECT_EQ(got->job_title, "售后技术支持工程师");
  EXPECT_EQ(got->candidate_name_enc, "v1:enc:黄晓明-ciphertext");
  EXPECT_FALSE(Read([&](Tx& tx) { return GetApplication(tx, NextId()); }).has_value());

  // One application per candidate and job.
  ApplicationRecord twin = MakeApplication(c.id, job, d, "screening");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertApplication(tx, twin); }), ErrorCode::kConflict,
               "unique_violation");
  ApplicationRecord same_id = MakeApplication(c.id, AddJob(d, "另一个岗位"), d);
  same_id.id = a.id;
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertApplication(tx, same_id); }), ErrorCode::kConflict,
               "unique_violation");
  ApplicationRecord bad_job = MakeApplication(c.id, NextId(), d);
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertApplication(tx, bad_job); }), ErrorCode::kConflict,
               "foreign_key_violation");
  ApplicationRecord bad_cand = MakeApplication(NextId(), job, d);
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertApplication(tx, bad_cand); }), ErrorCode::kConflict,
               "foreign_key_violation");
  EXPECT_EQ(Count("applications"), 1);

  // Stage updates.
  for (const char* stage : {"screening", "interview_invited", "hr_review", "offer", "hired"}) {
    ASSERT_OK(Write([&](Tx& tx) { return UpdateApplicationStage(tx, a.id, stage, now_ + 1000); }));
    got = Read([&](Tx& tx) { return GetApplication(tx, a.id); });
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->stage, stage);
    EXPECT_EQ(got->updated_at, now_ + 1000);
    EXPECT_EQ(got->created_at, now_);
  }
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateApplicationStage(tx, NextId(), "offer", now_); }),
               ErrorCode::kNotFound, "not_found");
}

TEST_P(RepositoryContractTest, ApplicationListFiltersScopeAndPaging) {
  std::string d1 = AddDepartment("华北大区");
  std::string d2 = AddDepartment("华中大区");
  std::string j1 = AddJob(d1, "区域销售");
  std::string j2 = AddJob(d2, "渠道经理");
  std::string c1 = AddCandidate("甲", "e1");
  std::string c2 = AddCandidate("乙", "e2");
  std::string c3 = AddCandidate("丙", "e3");
  std::string c4 = AddCandidate("丁", "e4");
  std::string a1 = AddApplication(c1, j1, d1, "new");
  std::string a2 = AddApplication(c2, j1, d1, "screening");
  std::string a3 = AddApplication(c3, j1, d1, "new");
  std::string a4 = AddApplication(c1, j2, d2, "offer");
  std::string a5 = AddApplication(c2, j2, d2, "new");
  std::string a6 = AddApplication(c3, j2, d2, "rejected");
  std::string a7 = AddApplication(c4, j2, d2, "new");

  auto list = [&](ApplicationFilter f) {
    return Ids(Read([&](Tx& tx) {
                 return ListApplications(tx, f, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{a7, a6, a5, a4, a3, a2, a1}));
  EXPECT_EQ(list({.job_id = j1}), (V{a3, a2, a1}));
  EXPECT_EQ(list({.department_id = d2}), (V{a7, a6, a5, a4}));
  EXPECT_EQ(list({.stage = "new"}), (V{a7, a5, a3, a1}));
  EXPECT_EQ(list({.candidate_id = c1}), (V{a4, a1}));
  EXPECT_EQ(list({.job_id = j2, .stage = "new"}), (V{a7, a5}));
  EXPECT_EQ(list({.stage = "hired"}), V{});
  EXPECT_EQ(list({.department_scope = V{d1}}), (V{a3, a2, a1}));
  EXPECT_EQ(list({.stage = "new", .department_scope = V{d2}}), (V{a7, a5}));
  EXPECT_EQ(list({.department_id = d1, .department_scope = V{d2}}), V{});
  EXPECT_EQ(list({.department_scope = V{d1, d2}}), (V{a7, a6, a5, a4, a3, a2, a1}));
  EXPECT_EQ(list({.department_scope = V{}}), V{});

  // Joined columns in lists.
  auto one = Read([&](Tx& tx) {
    return ListApplications(tx, {.candidate_id = c4}, {.cursor = std::nullopt, .limit = 50});
  });
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].job_title, "渠道经理");
  EXPECT_EQ(one.items[0].candidate_name_enc, "v1:enc:" + security::Base64UrlEncode("丁"));

  // Paging, with and without filters.
  const std::vector<std::pair<ApplicationFilter, V>> cases = {
      {ApplicationFilter{}, V{a7, a6, a5, a4, a3, a2, a1}},
      {ApplicationFilter{.department_scope = V{d2}}, V{a7, a6, a5, a4}},
      {ApplicationFilter{.stage = "new"}, V{a7, a5, a3, a1}}};
  for (const auto& [filter_ref, want] : cases) {
    const ApplicationFilter filter = filter_ref;
    for (int limit : {1, 2, 3, 4, 7}) {
      SCOPED_TRACE("limit " + std::to_string(limit));
      V seen;
      PageRequest page{.cursor = std::nullopt, .limit = limit};
      for (int i = 0; i < 20; ++i) {
        auto p = Read([&](Tx& tx) { return ListApplications(tx, filter, page); });
        for (const auto& a : p.items) seen.push_back(a.id);
        if (!p.next_cursor) break;
        page.cursor = p.next_cursor;
      }
      EXPECT_EQ(seen, want);
    }
  }
}

// ==== audit log ===============================================================================

TEST_P(RepositoryContractTest, AuditConcurrentAppendsFormOneChain) {
  constexpr int kThreads = 4, kTotal = 50;
  std::atomic<int> next{0};
  std::vector<std::string> errors;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      security::Context ctx = SystemContext();
      ctx.principal.kind = security::Principal::Kind::kUser;
      ctx.principal.id = "user-" + std::to_string(t);
      for (int i = next++; i < kTotal; i = next++) {
        auto st = db_->Write([&](Tx& tx) {
          return security::AppendAudit(
              tx, ctx,
              {"job.update", "job", "job-" + std::to_string(i),
               R"({"before":{"title":"旧标题"},"after":{"title":"新标题"}})"});
        });
        if (!st) {
          std::lock_guard lock(mu);
          errors.push_back(st.error().reason + ": " + st.error().message);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(errors.empty()) << errors.front();

  auto entries = Read([&](Tx& tx) { return security::ListAudit(tx, {.limit = 200}); });
  ASSERT_EQ(entries.size(), static_cast<size_t>(kTotal));
  std::set<std::string> targets, actors, ids;
  for (int i = 0; i < kTotal; ++i) {
    const auto& e = entries[static_cast<size_t>(i)];
    EXPECT_EQ(e.seq, kTotal - i);  // newest first, 50..1 contiguous
    if (i + 1 < kTotal) {
      EXPECT_EQ(e.prev_hash, entries[static_cast<size_t>(i) + 1].hash);
    }
    EXPECT_EQ(e.hash.size(), 64u);
    EXPECT_EQ(e.action, "job.update");
    EXPECT_EQ(e.actor_type, "user");
    EXPECT_EQ(e.ip, "203.0.113.7");
    EXPECT_EQ(e.request_id, "req-repo-test");
    EXPECT_EQ(e.changes_json, R"({"before":{"title":"旧标题"},"after":{"title":"新标题"}})");
    targets.insert(e.target_id);
    actors.insert(e.actor_id);
    ids.insert(e.id);
  }
  EXPECT_EQ(entries.back().prev_hash, std::string(security::kGenesisHash));
  EXPECT_EQ(targets.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kTotal));
  EXPECT_GE(actors.size(), 2u);

  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries_checked, kTotal);
  EXPECT_FALSE(v->first_broken_seq.has_value());
}

class AuditTamperTest : public RepositoryContractTest {
 protected:
  void AppendEntries(int n) {
    security::Context ctx = SystemContext();
    ASSERT_OK(db_->Write([&](Tx& tx) -> Status {
      for (int i = 1; i <= n; ++i)
        ZM_RETURN_IF_ERROR(security::AppendAudit(
            tx, ctx, {"candidate.update", "candidate", "cand-" + std::to_string(i), ""}));
      return Ok();
    }));
  }
};

TEST_P(RepositoryContractTest, AuditVerifyEmptyLog) {
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries_checked, 0);
}

TEST_P(AuditTamperTest, ModifiedActionIsReported) {
  AppendEntries(50);
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;

  ASSERT_OK(Exec("UPDATE audit_log SET action = ? WHERE seq = ?",
                 {std::string("candidate.delete"), int64_t{17}}));
  v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken_seq, 17);
  EXPECT_EQ(v->entries_checked, 17);
  EXPECT_NE(v->problem.find("modified"), std::string::npos) << v->problem;
}

TEST_P(AuditTamperTest, VerifyPagesThroughLongLogs) {
  AppendEntries(1050);  // more than one verification page of 1000
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries_checked, 1050);
  ASSERT_OK(Exec("UPDATE audit_log SET target_id = ? WHERE seq = ?",
                 {std::string("cand-x"), int64_t{1020}}));
  v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken_seq, 1020);
  EXPECT_EQ(v->entries_checked, 1020);
}

TEST_P(AuditTamperTest, RehashedEntryBreaksTheNextLink) {
  AppendEntries(10);
  // Recomputing the tampered entry's own hash moves the break to its successor.
  auto e = Read([&](Tx& tx) { return security::ListAudit(tx, {.before_seq = 5, .limit = 1}); });
  ASSERT_EQ(e.size(), 1u);
  security::AuditRecord rec{e[0].seq,         e[0].id,        e[0].at_ms,
                            e[0].actor_type,  e[0].actor_id,  "candidate.view_pii",
                            e[0].target_type, e[0].target_id, e[0].changes_json,
                            e[0].request_id,  e[0].ip,        e[0].prev_hash};
  ASSERT_OK(Exec("UPDATE audit_log SET action = ?, hash = ? WHERE seq = 4",
                 {std::string("candidate.view_pii"), security::ComputeAuditHash(rec)}));
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken_seq, 5);
}

TEST_P(AuditTamperTest, DeletedLastEntryIsReported) {
  AppendEntries(50);
  ASSERT_OK(Exec("DELETE FROM audit_log WHERE seq = 50"));
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->entries_checked, 49);
  EXPECT_EQ(v->first_broken_seq, 50);
  EXPECT_NE(v->problem.find("head"), std::string::npos) << v->problem;
}

TEST_P(AuditTamperTest, DeletedMiddleEntryIsReported) {
  AppendEntries(30);
  ASSERT_OK(Exec("DELETE FROM audit_log WHERE seq = 21"));
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_broken_seq, 22);
  EXPECT_NE(v->problem.find("expected 21"), std::string::npos) << v->problem;
}

TEST_P(RepositoryContractTest, AuditAppendRollsBackWithItsTransaction) {
  security::Context ctx = SystemContext();
  ASSERT_OK(db_->Write([&](Tx& tx) {
    return security::AppendAudit(tx, ctx, {"department.create", "department", "d1", ""});
  }));
  auto failed = db_->Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, ctx, {"department.delete", "department", "d1", ""}));
    return Conflict("in_use", "department still has jobs");
  });
  EXPECT_FALSE(failed.has_value());
  ASSERT_OK(db_->Write([&](Tx& tx) {
    return security::AppendAudit(tx, ctx, {"department.update", "department", "d1", ""});
  }));
  auto entries = Read([&](Tx& tx) { return security::ListAudit(tx, {}); });
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].seq, 2);
  EXPECT_EQ(entries[0].action, "department.update");
  EXPECT_EQ(entries[1].action, "department.create");
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST_P(RepositoryContractTest, AuditListFilters) {
  security::Context alice = SystemContext();
  alice.principal.kind = security::Principal::Kind::kUser;
  alice.principal.id = "alice";
  security::Context bot = SystemContext();
  bot.principal.kind = security::Principal::Kind::kToken;
  bot.principal.id = "token-1";
  bot.ip = "198.51.100.9";
  auto append = [&](const security::Context& ctx, const std::string& action,
                    const std::string& type, const std::string& id) {
    EXPECT_OK(db_->Write([&](Tx& tx) {
      return security::AppendAudit(tx, ctx, {action, type, id, ""});
    }));
  };
  append(alice, "job.create", "job", "j1");                // 1
  append(alice, "job.update", "job", "j1");                // 2
  append(bot, "candidate.create", "candidate", "c1");      // 3
  append(alice, "candidate.view_pii", "candidate", "c1");  // 4
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  const int64_t mid = NowMillis();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  append(bot, "job.update", "job", "j2");    // 5
  append(alice, "job.update", "job", "j1");  // 6

  auto seqs = [&](security::AuditFilter f) {
    std::vector<int64_t> out;
    for (const auto& e : Read([&](Tx& tx) { return security::ListAudit(tx, f); }))
      out.push_back(e.seq);
    return out;
  };
  using S = std::vector<int64_t>;
  EXPECT_EQ(seqs({}), (S{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(seqs({.actor_id = "alice"}), (S{6, 4, 2, 1}));
  EXPECT_EQ(seqs({.target_type = "candidate"}), (S{4, 3}));
  EXPECT_EQ(seqs({.target_type = "job", .target_id = "j1"}), (S{6, 2, 1}));
  EXPECT_EQ(seqs({.action = "job.update"}), (S{6, 5, 2}));
  EXPECT_EQ(seqs({.actor_id = "token-1", .action = "job.update"}), (S{5}));
  EXPECT_EQ(seqs({.since_ms = mid}), (S{6, 5}));
  EXPECT_EQ(seqs({.until_ms = mid}), (S{4, 3, 2, 1}));
  EXPECT_EQ(seqs({.action = "job.update", .since_ms = mid, .until_ms = NowMillis() + 1}),
            (S{6, 5}));
  EXPECT_EQ(seqs({.before_seq = 5, .limit = 2}), (S{4, 3}));
  EXPECT_EQ(seqs({.actor_id = "alice", .before_seq = 4}), (S{2, 1}));
  EXPECT_EQ(seqs({.limit = 1}), (S{6}));
  EXPECT_EQ(seqs({.actor_id = "nobody"}), S{});

  auto token_entries =
      Read([&](Tx& tx) { return security::ListAudit(tx, {.actor_id = "token-1", .limit = 1}); });
  ASSERT_EQ(token_entries.size(), 1u);
  EXPECT_EQ(token_entries[0].actor_type, "token");
  EXPECT_EQ(token_entries[0].ip, "198.51.100.9");
  EXPECT_EQ(token_entries[0].target_id, "j2");
}

// VerifyAuditChain reads the entries and then the head row in separate read transactions, so
// an append committed in between (normal operation of a running server) is reported as
// "chain head does not match the last entry (entries were deleted)": a false tamper alarm.
TEST_P(RepositoryContractTest, AuditVerifyDuringAppendsReportsNoTampering) {
  security::Context ctx = SystemContext();
  std::atomic<bool> done{false};
  std::thread appender([&] {
    for (int i = 0; i < 300 && !done; ++i) {
      (void)db_->Write([&](Tx& tx) {
        return security::AppendAudit(tx, ctx, {"job.update", "job", "j" + std::to_string(i), ""});
      });
    }
    done = true;
  });
  int runs = 0, false_alarms = 0;
  std::string problem;
  while (!done) {
    auto v = security::VerifyAuditChain(*db_);
    ++runs;
    if (v && !v->ok) {
      ++false_alarms;
      problem = v->problem;
    }
  }
  appender.join();
  EXPECT_EQ(false_alarms, 0) << false_alarms << " of " << runs << " runs: " << problem;
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;
}

// ==== security::Auth on the same database =====================================================

class AuthContractTest : public RepositoryContractTest {
 protected:
  void SetUp() override {
    RepositoryContractTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dept_ = AddDepartment("招聘中心");
    manager_ = AddUser("zhang.wei@example.com", "张伟", Role::kManager, {dept_});
    hr_ = AddUser("hr.li@example.com", "李人事", Role::kHr);
  }

  security::Context Ctx(const std::string& ip = "203.0.113.7") const {
    return security::Context{security::Principal{}, "req-login", ip, "Mozilla/5.0 测试"};
  }

  int64_t FailuresOf(const std::string& email) {
    return Read([&](Tx& tx) -> Result<int64_t> {
      ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT failures FROM login_attempts WHERE key = ?",
                                              {"acct:" + security::Sha256Hex(email)}));
      return r ? r->Int(0) : 0;
    });
  }

  security::Auth MakeAuth() { return security::Auth(*db_, security::AuthOptions{}); }

  // One failed sign-in per address in `ips`, in parallel, while a transaction holds the audit
  // head row: each attempt reads and writes login_attempts, then waits for the head row, so
  // all of them have read login_attempts before the first commits. Returns each attempt's
  // error reason ("ok" on success).
  std::vector<std::string> ParallelFailedLogins(security::Auth& auth, const std::string& email,
                                                const std::vector<std::string>& ips) {
    std::vector<std::string> results(ips.size());
    std::vector<std::thread> threads;
    Status held = db_->Write([&](Tx& tx) -> Status {
      ZM_RETURN_IF_ERROR(tx.Query(std::string("SELECT seq FROM audit_head WHERE id = 1") +
                                  std::string(tx.ForUpdate())));
      for (size_t i = 0; i < ips.size(); ++i) {
        threads.emplace_back([&, i] {
          auto r = auth.Login(Ctx(ips[i]), email, "Wrong-Password-" + std::to_string(i));
          results[i] = r ? std::string("ok") : r.error().reason;
        });
      }
      WaitForLockWaiters(static_cast<int>(ips.size()));
      return Ok();
    });
    for (auto& th : threads) th.join();
    EXPECT_OK(held);
    return results;
  }

  // PostgreSQL: waits (up to 10 s) until `n` sessions wait for a lock on login_attempts or
  // audit_head. SQLite: writers queue on the database lock; a pause lets them all arrive.
  void WaitForLockWaiters(int n) {
    if (!IsPostgres()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto waiting = db_->ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
        ZM_ASSIGN_OR_RETURN(
            auto r, tx.QueryOne("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = "
                                "'Lock' AND (query LIKE '%login_attempts%' OR query LIKE "
                                "'%audit_head%')"));
        return r ? r->Int(0) : 0;
      });
      if (waiting && *waiting >= n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  std::string dept_, manager_, hr_;
};

TEST_P(AuthContractTest, ApiTokensCreateResolveRevoke) {
  security::Auth auth = MakeAuth();
  security::Context admin = SystemContext();
  admin.principal.kind = security::Principal::Kind::kUser;
  admin.principal.id = hr_;

  auto created = auth.CreateToken(admin, "招聘系统集成", {"write"});
  ASSERT_OK(created);
  auto [info, secret] = *created;
  EXPECT_EQ(secret.rfind("zmk_", 0), 0u);
  EXPECT_EQ(info.prefix, secret.substr(0, 12));
  EXPECT_EQ(info.scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(info.created_by, hr_);
  EXPECT_EQ(info.name, "招聘系统集成");
  // Only the hash is stored.
  EXPECT_EQ(Count("api_tokens", "token_hash = ?", {security::Sha256Hex(secret)}), 1);
  EXPECT_EQ(Count("api_tokens", "token_hash = ?", {secret}), 0);

  auto p = auth.FromBearer(secret);
  ASSERT_OK(p);
  EXPECT_EQ(p->kind, security::Principal::Kind::kToken);
  EXPECT_EQ(p->id, info.id);
  EXPECT_TRUE(p->Has(security::Permission::kJobsWrite));
  EXPECT_TRUE(p->Has(security::Permission::kCandidatesRead));
  EXPECT_FALSE(p->Has(security::Permission::kTokensManage));

  auto read_only = auth.CreateToken(admin, "BI 报表", {"read"});
  ASSERT_OK(read_only);
  auto rp = auth.FromBearer(read_only->second);
  ASSERT_OK(rp);
  EXPECT_FALSE(rp->Has(security::Permission::kJobsWrite));
  EXPECT_TRUE(rp->Has(security::Permission::kJobsRead));

  auto tokens = auth.ListTokens(std::nullopt, 10);
  ASSERT_OK(tokens);
  ASSERT_EQ(tokens->size(), 2u);
  std::map<std::string, security::ApiTokenInfo> by_id;
  for (const auto& t : *tokens) by_id[t.id] = t;
  ASSERT_TRUE(by_id.count(info.id));
  EXPECT_TRUE(by_id[info.id].last_used_at_ms.has_value());  // FromBearer recorded the use
  EXPECT_FALSE(by_id[info.id].revoked_at_ms.has_value());
  EXPECT_EQ(by_id[info.id].scopes, (std::vector<std::string>{"read", "write"}));
  auto older = auth.ListTokens(tokens->front().id, 10);
  ASSERT_OK(older);
  EXPECT_EQ(older->size(), 1u);

  ASSERT_OK(auth.RevokeToken(admin, info.id));
  EXPECT_ERROR(auth.FromBearer(secret), ErrorCode::kUnauthenticated, "unauthenticated");
  EXPECT_ERROR(auth.RevokeToken(admin, info.id), ErrorCode::kNotFound, "not_found");
  EXPECT_ERROR(auth.RevokeToken(admin, NextId()), ErrorCode::kNotFound, "not_found");
  EXPECT_OK(auth.FromBearer(read_only->second));  // the other token still works
  EXPECT_ERROR(auth.FromBearer("zmk_" + security::RandomToken(32)), ErrorCode::kUnauthenticated,
               "unauthenticated");
  EXPECT_ERROR(auth.FromBearer("Bearer nonsense"), ErrorCode::kUnauthenticated, "unauthenticated");
  EXPECT_ERROR(auth.CreateToken(admin, "", {"admin"}), ErrorCode::kInvalidArgument,
               "validation_failed");

  auto audit = Read([&](Tx& tx) { return security::ListAudit(tx, {.target_type = "api_token"}); });
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "api_token.revoke");
  EXPECT_EQ(audit[0].target_id, info.id);
  EXPECT_EQ(audit[2].action, "api_token.create");
  EXPECT_EQ(audit[2].actor_id, hr_);
  EXPECT_EQ(audit[2].changes_json.find(secret), std::string::npos);
  auto v = security::VerifyAuditChain(*db_);
  ASSERT_OK(v);
  EXPECT_TRUE(v->ok) << v->problem;
}

TEST_P(AuthContractTest, LoginSessionLogout) {
  security::Auth auth = MakeAuth();
  // E-mail is matched after trimming and lower-casing.
  auto login = auth.Login(Ctx(), "  Zhang.Wei@Example.com ", kPassword);
  ASSERT_OK(login);
  EXPECT_EQ(login->user_id, manager_);
  EXPECT_FALSE(login->session_token.empty());
  EXPECT_FALSE(login->csrf_token.empty());
  EXPECT_GT(login->expires_at_ms, NowMillis() + 479 * 60 * 1000);
  // The session is stored by hash only.
  EXPECT_EQ(Count("sessions", "id = ?", {security::Sha256Hex(login->session_token)}), 1);
  EXPECT_EQ(Count("sessions", "id = ?", {login->session_token}), 0);
  auto user = Read([&](Tx& tx) { return GetUser(tx, manager_); });
  ASSERT_TRUE(user.has_value());
  EXPECT_TRUE(user->last_login_at.has_value());

  auto p = auth.FromSession(login->session_token);
  ASSERT_OK(p);
  EXPECT_EQ(p->kind, security::Principal::Kind::kUser);
  EXPECT_EQ(p->id, manager_);
  EXPECT_EQ(p->role, Role::kManager);
  EXPECT_EQ(p->department_scope, std::vector<std::string>{dept_});
  EXPECT_EQ(p->csrf_token, login->csrf_token);
  EXPECT_EQ(p->session_id, security::Sha256Hex(login->session_token));
  EXPECT_TRUE(p->Has(security::Permission::kApplicationsStage));
  EXPECT_FALSE(p->Has(security::Permission::kPiiRead));

  // A second session of the same user is independent.
  auto second = auth.Login(Ctx("198.51.100.20"), "zhang.wei@example.com", kPassword);
  ASSERT_OK(second);
  EXPECT_NE(second->session_token, login->session_token);

  security::Context ctx = Ctx();
  ctx.principal = *p;
  ASSERT_OK(auth.Logout(ctx));
  EXPECT_ERROR(auth.FromSession(login->session_token), ErrorCode::kUnauthenticated,
               "unauthenticated");
  EXPECT_OK(auth.FromSession(second->session_token));
  EXPECT_ERROR(auth.FromSession("not-a-session"), ErrorCode::kUnauthenticated, "unauthenticated");

  auto audit = Read([&](Tx& tx) { return security::ListAudit(tx, {.actor_id = manager_}); });
  std::vector<std::string> actions;
  for (const auto& e : audit) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"auth.logout", "auth.login", "auth.login"}));
}

TEST_P(AuthContractTest, WrongPasswordAndDisabledUser) {
  security::Auth auth = MakeAuth();
  EXPECT_ERROR(auth.Login(Ctx(), "hr.li@example.com", "wrong-password-1"),
               ErrorCode::kUnauthenticated, "invalid_credentials");
  EXPECT_ERROR(auth.Login(Ctx("198.51.100.1"), "nobody@example.com", kPassword),
               ErrorCode::kUnauthenticated, "invalid_credentials");
  EXPECT_EQ(FailuresOf("hr.li@example.com"), 1);
  EXPECT_EQ(Count("sessions"), 0);

  // A successful sign-in clears the account's failures.
  auto ok = auth.Login(Ctx(), "hr.li@example.com", kPassword);
  ASSERT_OK(ok);
  EXPECT_EQ(FailuresOf("hr.li@example.com"), 0);
  auto p = auth.FromSession(ok->session_token);
  ASSERT_OK(p);
  EXPECT_EQ(p->role, Role::kHr);
  EXPECT_FALSE(p->department_scope.has_value());

  // Disabling the user ends the session and refuses sign-in like a wrong password.
  auto user = Read([&](Tx& tx) { return GetUser(tx, hr_); });
  ASSERT_TRUE(user.has_value());
  user->status = UserStatus::kDisabled;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateUser(tx, *user, std::nullopt); }));
  EXPECT_ERROR(auth.FromSession(ok->session_token), ErrorCode::kUnauthenticated, "unauthenticated");
  EXPECT_ERROR(auth.Login(Ctx(), "hr.li@example.com", kPassword), ErrorCode::kUnauthenticated,
               "invalid_credentials");
  EXPECT_ERROR(
      db_->ReadValue<security::Principal>([&](Tx& tx) { return auth.LoadUserPrincipal(tx, hr_); }),
      ErrorCode::kUnauthenticated, "unauthenticated");

  auto audit =
      Read([&](Tx& tx) { return security::ListAudit(tx, {.action = "auth.login_failed"}); });
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].target_id, hr_);  // the disabled user's attempt
  EXPECT_EQ(audit[1].target_id, "unknown");
  EXPECT_EQ(audit[2].target_id, hr_);
}

TEST_P(AuthContractTest, FiveFailuresLockTheAccount) {
  security::Auth auth = MakeAuth();
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE("failure " + std::to_string(i + 1));
    EXPECT_ERROR(auth.Login(Ctx(), "zhang.wei@example.com", "Wrong-Password-" + std::to_string(i)),
                 ErrorCode::kUnauthenticated, "invalid_credentials");
  }
  EXPECT_EQ(FailuresOf("zhang.wei@example.com"), 5);
  // The sixth attempt is refused before the password is checked, even the right one.
  EXPECT_ERROR(auth.Login(Ctx(), "zhang.wei@example.com", kPassword), ErrorCode::kTooManyRequests,
               "too_many_requests");
  // The lock is per account: from another address too.
  EXPECT_ERROR(auth.Login(Ctx("198.51.100.77"), "zhang.wei@example.com", kPassword),
               ErrorCode::kTooManyRequests, "too_many_requests");
  // ... and per address: another account from the locked address.
  EXPECT_ERROR(auth.Login(Ctx(), "hr.li@example.com", kPassword), ErrorCode::kTooManyRequests,
               "too_many_requests");
  // Another account from another address is fine.
  EXPECT_OK(auth.Login(Ctx("198.51.100.78"), "hr.li@example.com", kPassword));
  EXPECT_EQ(Count("sessions", "user_id = ?", {manager_}), 0);

  // Once the lock has expired, the right password works again.
  ASSERT_OK(Exec("UPDATE login_attempts SET locked_until = ?, window_start = ?",
                 {NowMillis() - 1, NowMillis() - 16 * 60 * 1000}));
  EXPECT_OK(auth.Login(Ctx(), "zhang.wei@example.com", kPassword));
}

TEST_P(AuthContractTest, ExpiredSessionIsRejected) {
  security::Auth auth = MakeAuth();
  auto login = auth.Login(Ctx(), "zhang.wei@example.com", kPassword);
  ASSERT_OK(login);
  ASSERT_OK(auth.FromSession(login->session_token));
  ASSERT_OK(Exec("UPDATE sessions SET expires_at = ? WHERE id = ?",
                 {NowMillis() - 1, security::Sha256Hex(login->session_token)}));
  EXPECT_ERROR(auth.FromSession(login->session_token), ErrorCode::kUnauthenticated,
               "unauthenticated");

  // A session inserted already expired is refused as well; one far in the future is accepted.
  const std::string expired = security::RandomToken(32), valid = security::RandomToken(32);
  ASSERT_OK(
      Exec("INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at) VALUES "
           "(?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
           {security::Sha256Hex(expired), manager_, std::string("c1"), now_ - 10, now_ - 5,
            security::Sha256Hex(valid), manager_, std::string("c2"), now_, now_ + 3'600'000}));
  EXPECT_ERROR(auth.FromSession(expired), ErrorCode::kUnauthenticated, "unauthenticated");
  auto p = auth.FromSession(valid);
  ASSERT_OK(p);
  EXPECT_EQ(p->csrf_token, "c2");

  // The next sign-in sweeps the user's expired sessions.
  ASSERT_OK(auth.Login(Ctx(), "zhang.wei@example.com", kPassword));
  EXPECT_EQ(Count("sessions", "expires_at < ?", {NowMillis()}), 0);
  EXPECT_EQ(Count("sessions", "user_id = ?", {manager_}), 2);
}

// Auth::Login stores ctx.user_agent.substr(0, 300): a valid UTF-8 user agent whose 300th
// byte falls inside a multi-byte character becomes invalid UTF-8, which both adapters refuse
// (kInvalidArgument "validation_failed"), so the sign-in fails after the password matched.
TEST_P(AuthContractTest, LongUserAgentDoesNotBreakLogin) {
  security::Auth auth = MakeAuth();
  security::Context ctx = Ctx();
  ctx.user_agent = "Mozilla/5.0 " + std::string(287, 'x') + "浏览器";  // byte 300 inside 浏
  ASSERT_GT(ctx.user_agent.size(), 300u);
  auto login = auth.Login(ctx, "zhang.wei@example.com", kPassword);
  ASSERT_OK(login);
  EXPECT_OK(auth.FromSession(login->session_token));
}

// Failed sign-ins must all be counted, also when they arrive in parallel (a brute-force
// client does exactly that). Auth::Login reads login_attempts and writes back failures + 1
// without locking the row (no SELECT ... FOR UPDATE, no atomic UPDATE ... SET failures =
// failures + 1): on PostgreSQL (READ COMMITTED) parallel failures overwrite each other, so
// fewer failures are counted than made and the lockout can be evaded; and when the row does
// not exist yet, every parallel attempt INSERTs it and all but one Login answer kConflict
// "unique_violation" instead of kUnauthenticated "invalid_credentials". SQLite is not affected
// (its write transactions are exclusive). The attempts are lined up deterministically by
// holding the audit head row while they run (ParallelFailedLogins).
TEST_P(AuthContractTest, ParallelFailuresAreAllCounted) {
  security::Auth auth = MakeAuth();
  // A fresh account key: every attempt must be answered invalid_credentials and counted.
  auto fresh = ParallelFailedLogins(auth, "hr.li@example.com",
                                    {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"});
  EXPECT_EQ(fresh, std::vector<std::string>(4, "invalid_credentials"));
  EXPECT_EQ(FailuresOf("hr.li@example.com"), 4);

  // An existing key: 1 + 4 failures reach the limit of 5 and lock the account.
  EXPECT_ERROR(auth.Login(Ctx("192.0.2.9"), "zhang.wei@example.com", "Wrong-Password"),
               ErrorCode::kUnauthenticated, "invalid_credentials");
  auto more = ParallelFailedLogins(auth, "zhang.wei@example.com",
                                   {"192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14"});
  EXPECT_EQ(more, std::vector<std::string>(4, "invalid_credentials"));
  EXPECT_EQ(FailuresOf("zhang.wei@example.com"), 5);
  EXPECT_ERROR(auth.Login(Ctx("192.0.2.20"), "zhang.wei@example.com", kPassword),
               ErrorCode::kTooManyRequests, "too_many_requests");
}

// Several server processes starting together on one database: every Migrate succeeds and
// each migration is applied exactly once.
TEST_P(RepositoryContractTest, ConcurrentMigrationsApplyEachVersionOnce) {
  std::string url;
  std::string schema;
  if (GetParam() == Backend::kPostgres) {
    auto created = CreatePgSchema(base_url_, "zm_repo_mig_", &url);
    ASSERT_OK(created);
    schema = *created;
  } else {
    url = "sqlite:" + (dir_ / "concurrent_migrations.db").string();
  }
  std::vector<std::thread> threads;
  std::vector<Result<int>> results(4, 0);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      auto db = Database::Open(url, {.pool_size = 1});
      if (!db) {
        results[i] = std::unexpected(db.error());
        return;
      }
      results[i] = Migrate(**db);
    });
  }
  for (auto& t : threads) t.join();
  int applied = 0;
  for (const auto& r : results) {
    ASSERT_OK(r);
    applied += *r;
  }
  EXPECT_EQ(applied, static_cast<int>(AllMigrations().size()));
  auto db = Database::Open(url, {.pool_size = 1});
  ASSERT_TRUE(db);
  auto rows = (*db)->ReadValue<QueryResult>(
      [](Tx& tx) { return tx.Query("SELECT version FROM schema_migrations ORDER BY version"); });
  ASSERT_OK(rows);
  EXPECT_EQ(rows->rows.size(), AllMigrations().size());
  db->reset();
  if (!schema.empty()) DropPgSchema(base_url_, schema);
}

// ==== interviews (interview_repository.h) =====================================================

TEST_P(RepositoryContractTest, InterviewInsertGetUpdateRoundTrip) {
  std::string d = AddDepartment("技术部");
  std::string j = AddJob(d, "后端工程师");
  std::string app = AddApplicant(j, d);
  InterviewRecord r = MakeInterview(app, j, d);
  const std::vector<std::string> questions = {NextId(), NextId(), NextId()};
  ASSERT_OK(Write([&](Tx& tx) { return InsertInterview(tx, r, questions); }));

  // Fresh: optional columns null, defaults as given.
  auto by_id = Read([&](Tx& tx) { return GetInterview(tx, r.id); });
  ASSERT_TRUE(by_id.has_value());
  ExpectInterviewEq(*by_id, r);
  EXPECT_FALSE(by_id->consent_version.has_value());
  EXPECT_FALSE(by_id->consented_at.has_value());
  EXPECT_FALSE(by_id->overall.has_value());
  EXPECT_FALSE(by_id->recommendation.has_value());
  EXPECT_FALSE(by_id->audio_video_consent);
  auto by_app = Read([&](Tx& tx) { return GetInterviewByApplication(tx, app); });
  ASSERT_TRUE(by_app.has_value());
  ExpectInterviewEq(*by_app, r);
  auto by_token = Read([&](Tx& tx) { return GetInterviewByToken(tx, r.token_hash); });
  ASSERT_TRUE(by_token.has_value());
  ExpectInterviewEq(*by_token, r);
  // Locking reads inside a write transaction answer the same.
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto locked, GetInterview(tx, r.id, true));
    EXPECT_TRUE(locked.has_value());
    if (locked) ExpectInterviewEq(*locked, r);
    ZM_ASSIGN_OR_RETURN(auto locked_token, GetInterviewByToken(tx, r.token_hash, true));
    EXPECT_TRUE(locked_token.has_value());
    if (locked_token) {
      EXPECT_EQ(locked_token->id, r.id);
    }
    return Ok();
  }));

  // Absent keys.
  EXPECT_FALSE(Read([&](Tx& tx) { return GetInterview(tx, NextId()); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetInterviewByApplication(tx, NextId()); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) {
                 return GetInterviewByToken(tx, security::Sha256Hex("other"));
               }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) {
                 return GetInterviewByToken(tx, r.token_hash.substr(0, 10));
               }).has_value());

  // Every mutable column set.
  r.status = "completed";
  r.token_hash = security::Sha256Hex("reissued");
  r.expires_at = now_ + 30 * 86'400'000LL;
  r.current_position = 2;
  r.invitations_sent = 3;
  r.consent_version = "2026-11-v1";
  r.consent_ip_enc = "v1:enc:" + security::Base64UrlEncode("203.0.113.9");
  r.consent_user_agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) 微信/8.0";
  r.consented_at = now_ + 1000;
  r.finished_at = now_ + 2000;
  r.revoked_at = now_ + 3000;
  r.report_released_at = now_ + 4000;
  r.audio_video_consent = true;
  r.overall = 78.45;
  r.recommendation = "review";
  r.score_version = 4;
  r.updated_at = now_ + 5000;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateInterview(tx, r); }));
  by_id = Read([&](Tx& tx) { return GetInterview(tx, r.id); });
  ASSERT_TRUE(by_id.has_value());
  ExpectInterviewEq(*by_id, r);
  EXPECT_TRUE(by_id->audio_video_consent);
  // Lookups follow the new token; the old one no longer finds it.
  by_token = Read([&](Tx& tx) { return GetInterviewByToken(tx, r.token_hash); });
  ASSERT_TRUE(by_token.has_value());
  EXPECT_EQ(by_token->id, r.id);
  EXPECT_FALSE(Read([&](Tx& tx) {
                 return GetInterviewByToken(tx, security::Sha256Hex("invitation-token-" + r.id));
               }).has_value());

  // Update does not touch the immutable columns.
  InterviewRecord tampered = r;
  tampered.application_id = NextId();
  tampered.job_id = "other-job";
  tampered.snapshot = "{}";
  tampered.question_count = 99;
  tampered.created_by = "someone";
  tampered.created_at = 1;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateInterview(tx, tampered); }));
  by_id = Read([&](Tx& tx) { return GetInterview(tx, r.id); });
  ASSERT_TRUE(by_id.has_value());
  ExpectInterviewEq(*by_id, r);

  // Clearing the optional columns again, with an exact and a fractional score.
  r.consent_version = r.consent_ip_enc = r.consent_user_agent = std::nullopt;
  r.consented_at = r.finished_at = r.revoked_at = r.report_released_at = std::nullopt;
  r.audio_video_consent = false;
  r.overall = std::nullopt;
  r.recommendation = std::nullopt;
  r.updated_at = now_ + 6000;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateInterview(tx, r); }));
  by_id = Read([&](Tx& tx) { return GetInterview(tx, r.id); });
  ASSERT_TRUE(by_id.has_value());
  ExpectInterviewEq(*by_id, r);
  for (double overall : {0.0, 100.0, 66.7, 0.1}) {
    r.overall = overall;
    ASSERT_OK(Write([&](Tx& tx) { return UpdateInterview(tx, r); }));
    by_id = Read([&](Tx& tx) { return GetInterview(tx, r.id); });
    ASSERT_TRUE(by_id.has_value());
    ExpectOptDoubleEq(by_id->overall, overall);
  }

  // Updating a missing interview.
  InterviewRecord ghost = MakeInterview(app, j, d);
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateInterview(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");
}

TEST_P(RepositoryContractTest, InterviewTokenHashAndApplicationAreUnique) {
  std::string d = AddDepartment("市场部");
  std::string j = AddJob(d, "市场专员");
  std::string app1 = AddApplicant(j, d);
  std::string app2 = AddApplicant(j, d);
  InterviewRecord first = MakeInterview(app1, j, d);
  ASSERT_OK(Write([&](Tx& tx) { return InsertInterview(tx, first, {NextId()}); }));

  // One interview per application.
  InterviewRecord same_app = MakeInterview(app1, j, d);
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertInterview(tx, same_app, {NextId()}); }),
               ErrorCode::kConflict, "unique_violation");
  // Token hashes are unique across applications.
  InterviewRecord same_token = MakeInterview(app2, j, d);
  same_token.token_hash = first.token_hash;
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertInterview(tx, same_token, {NextId()}); }),
               ErrorCode::kConflict, "unique_violation");
  // Nothing of the refused inserts remains (items included).
  EXPECT_EQ(Count("interviews"), 1);
  EXPECT_EQ(Count("interview_items"), 1);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetInterviewByApplication(tx, app2); }).has_value());

  // An update cannot take another interview's token.
  InterviewRecord second = MakeInterview(app2, j, d);
  ASSERT_OK(Write([&](Tx& tx) { return InsertInterview(tx, second, {NextId()}); }));
  second.token_hash = first.token_hash;
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateInterview(tx, second); }), ErrorCode::kConflict,
               "unique_violation");

  // The application must exist.
  InterviewRecord orphan = MakeInterview(NextId(), j, d);
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertInterview(tx, orphan, {}); }), ErrorCode::kConflict,
               "foreign_key_violation");
}

TEST_P(RepositoryContractTest, InterviewItemsInPositionOrderAndUpdated) {
  std::string d = AddDepartment("产品部");
  std::string j = AddJob(d, "产品经理");
  // Twelve questions: position 10 and 11 must sort after 9 (numeric, not text order).
  std::vector<std::string> questions;
  for (int i = 0; i < 12; ++i) questions.push_back(NextId());
  std::reverse(questions.begin(), questions.end());  // question ids not in position order
  std::string iv = AddInterview(AddApplicant(j, d), j, d, questions);
  const std::string other_question = NextId();
  std::string other = AddInterview(AddApplicant(j, d), j, d, {other_question});

  auto items = Read([&](Tx& tx) { return ListItems(tx, iv); });
  ASSERT_EQ(items.size(), 12u);
  for (size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE("position " + std::to_string(i));
    ExpectItemEq(items[i], InterviewItemRecord{.interview_id = iv,
                                               .position = static_cast<int64_t>(i),
                                               .question_id = questions[i]});
  }
  EXPECT_EQ(Read([&](Tx& tx) { return ListItems(tx, other); }).size(), 1u);
  EXPECT_TRUE(Read([&](Tx& tx) { return ListItems(tx, NextId()); }).empty());

  // Every column of one item set, the others untouched.
  InterviewItemRecord item = items[10];
  item.shown_at = now_ + 10;
  item.draft_enc = "v1:enc:" + security::Base64UrlEncode("我的草稿：先分析需求，再…");
  item.draft_at = now_ + 20;
  item.feedback = R"({"feedback":"请补充具体数据","follow_up":{"zh":"能举个例子吗？"}})";
  item.completed_at = now_ + 30;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateItem(tx, item); }));
  auto after = Read([&](Tx& tx) { return ListItems(tx, iv); });
  ASSERT_EQ(after.size(), 12u);
  ExpectItemEq(after[10], item);
  ExpectItemEq(after[9], items[9]);
  ExpectItemEq(after[11], items[11]);
  auto other_items = Read([&](Tx& tx) { return ListItems(tx, other); });
  ASSERT_EQ(other_items.size(), 1u);
  ExpectItemEq(
      other_items[0],
      InterviewItemRecord{.interview_id = other, .position = 0, .question_id = other_question});

  // Cleared again.
  item.shown_at = item.draft_at = item.completed_at = std::nullopt;
  item.draft_enc = item.feedback = std::nullopt;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateItem(tx, item); }));
  ExpectItemEq(Read([&](Tx& tx) { return ListItems(tx, iv); }).at(10), items[10]);

  // A position the interview does not have; an unknown interview.
  InterviewItemRecord missing = item;
  missing.position = 12;
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateItem(tx, missing); }), ErrorCode::kNotFound,
               "not_found");
  missing = item;
  missing.interview_id = other + "x";
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateItem(tx, missing); }), ErrorCode::kNotFound,
               "not_found");
}

TEST_P(RepositoryContractTest, InterviewAnswersOrderAndAttemptUniqueness) {
  std::string d = AddDepartment("运营部");
  std::string j = AddJob(d, "运营专员");
  std::string iv = AddInterview(AddApplicant(j, d), j, d, {NextId(), NextId(), NextId()});
  std::string other = AddInterview(AddApplicant(j, d), j, d, {NextId()});

  // Inserted out of order.
  AnswerRecord p1a1 = MakeAnswer(iv, 1, "answer", 1, "第二题的回答");
  AnswerRecord p0f1 = MakeAnswer(iv, 0, "follow_up", 1, "追问的回答");
  AnswerRecord p0a2 = MakeAnswer(iv, 0, "answer", 2, "重答：更完整的版本 😀");
  p0a2.late = true;
  p0a2.text_chars = 13;
  AnswerRecord p0a1 = MakeAnswer(iv, 0, "answer", 1, "");
  p0a1.text_chars = 0;
  AnswerRecord p10a1 = MakeAnswer(iv, 10, "answer", 1, "position ten");
  AnswerRecord p2a1 = MakeAnswer(iv, 2, "answer", 1, "third");
  AnswerRecord elsewhere = MakeAnswer(other, 0, "answer", 1, "另一场面试");
  for (const AnswerRecord* a : {&p1a1, &p0f1, &p0a2, &p0a1, &p10a1, &p2a1, &elsewhere})
    ASSERT_OK(Write([&](Tx& tx) { return InsertAnswer(tx, *a); }));

  auto got = Read([&](Tx& tx) { return ListAnswers(tx, iv); });
  const std::vector<const AnswerRecord*> want = {&p0a1, &p0a2, &p0f1, &p1a1, &p2a1, &p10a1};
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("answer " + std::to_string(i));
    ExpectAnswerEq(got[i], *want[i]);
  }
  EXPECT_TRUE(got[1].late);
  EXPECT_FALSE(got[0].late);
  EXPECT_TRUE(Read([&](Tx& tx) { return ListAnswers(tx, NextId()); }).empty());

  // The same (interview, position, kind, attempt) twice: a concurrent submit.
  AnswerRecord dup = MakeAnswer(iv, 0, "answer", 2, "并发提交");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertAnswer(tx, dup); }), ErrorCode::kConflict,
               "unique_violation");
  // Differing in any one of the four is allowed.
  EXPECT_OK(Write([&](Tx& tx) { return InsertAnswer(tx, MakeAnswer(iv, 0, "answer", 3, "x")); }));
  EXPECT_OK(
      Write([&](Tx& tx) { return InsertAnswer(tx, MakeAnswer(iv, 0, "follow_up", 2, "x")); }));
  EXPECT_OK(Write([&](Tx& tx) { return InsertAnswer(tx, MakeAnswer(iv, 1, "answer", 2, "x")); }));
  EXPECT_OK(
      Write([&](Tx& tx) { return InsertAnswer(tx, MakeAnswer(other, 0, "answer", 2, "x")); }));
  EXPECT_EQ(Read([&](Tx& tx) { return ListAnswers(tx, iv); }).size(), 9u);
  // A duplicate id is refused too; an unknown interview is a foreign-key violation.
  AnswerRecord same_id = MakeAnswer(iv, 2, "answer", 2, "x");
  same_id.id = p0a1.id;
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertAnswer(tx, same_id); }), ErrorCode::kConflict,
               "unique_violation");
  EXPECT_ERROR(
      Write([&](Tx& tx) { return InsertAnswer(tx, MakeAnswer(NextId(), 0, "answer", 1, "x")); }),
      ErrorCode::kConflict, "foreign_key_violation");
}

TEST_P(RepositoryContractTest, InterviewOtherAnswersAreLastAttemptsOfOtherInterviews) {
  std::string d = AddDepartment("研发部");
  std::string j = AddJob(d, "算法工程师");
  const std::string q = NextId();  // the question compared
  const std::string q_other = NextId();
  // The interview being checked has q at position 1.
  std::string self = AddInterview(AddApplicant(j, d), j, d, {q_other, q});
  // Others: q at position 0 or 2; one without q.
  std::string b = AddInterview(AddApplicant(j, d), j, d, {q, q_other});
  std::string c = AddInterview(AddApplicant(j, d), j, d, {q_other, NextId(), q});
  std::string e = AddInterview(AddApplicant(j, d), j, d, {q, q_other});
  std::string none = AddInterview(AddApplicant(j, d), j, d, {q_other});

  AddAnswer(self, 1, "answer", 1, "self answer");
  AnswerRecord b1 = AddAnswer(b, 0, "answer", 1, "b first attempt");
  AnswerRecord c1 = AddAnswer(c, 2, "answer", 1, "c only attempt");
  AnswerRecord b2 = AddAnswer(b, 0, "answer", 2, "b second attempt");
  // Follow-ups (even with a higher attempt number) are not compared, nor do they hide answers.
  AddAnswer(b, 0, "follow_up", 3, "b follow-up");
  AddAnswer(c, 2, "follow_up", 1, "c follow-up");
  // Answers to other questions are not compared.
  AddAnswer(b, 1, "answer", 1, "b other question");
  AddAnswer(c, 0, "answer", 1, "c other question");
  AddAnswer(none, 0, "answer", 1, "none other question");
  // e: three attempts; only the third counts. Its first attempt is older than c1.
  AnswerRecord e1 = AddAnswer(e, 0, "answer", 1, "e1");
  AnswerRecord e2 = AddAnswer(e, 0, "answer", 2, "e2");
  AnswerRecord e3 = AddAnswer(e, 0, "answer", 3, "e3");

  auto ids = [](const std::vector<OtherAnswer>& v) {
    std::vector<std::string> out;
    for (const auto& o : v) out.push_back(o.answer_id);
    return out;
  };
  using V = std::vector<std::string>;
  auto all = Read([&](Tx& tx) { return ListOtherAnswers(tx, q, self, 50); });
  EXPECT_EQ(ids(all), (V{e3.id, b2.id, c1.id}));  // newest first
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].interview_id, e);
  EXPECT_EQ(all[0].text_enc, e3.text_enc);
  EXPECT_EQ(all[1].interview_id, b);
  EXPECT_EQ(all[1].text_enc, b2.text_enc);
  EXPECT_EQ(all[2].interview_id, c);
  EXPECT_EQ(all[2].text_enc, c1.text_enc);
  // The limit keeps the newest.
  EXPECT_EQ(ids(Read([&](Tx& tx) { return ListOtherAnswers(tx, q, self, 2); })), (V{e3.id, b2.id}));
  EXPECT_EQ(ids(Read([&](Tx& tx) { return ListOtherAnswers(tx, q, self, 1); })), (V{e3.id}));
  // Excluding another interview brings the first one back in.
  auto without_b = Read([&](Tx& tx) { return ListOtherAnswers(tx, q, b, 50); });
  EXPECT_EQ(Sorted(ids(without_b)),
            Sorted(V{e3.id, c1.id, Read([&](Tx& tx) { return ListAnswers(tx, self); }).at(0).id}));
  // Another question; an unknown one.
  auto for_other_q = Read([&](Tx& tx) { return ListOtherAnswers(tx, q_other, self, 50); });
  EXPECT_EQ(for_other_q.size(), 3u);  // b position 1, c position 0, none position 0
  EXPECT_TRUE(Read([&](Tx& tx) { return ListOtherAnswers(tx, NextId(), self, 50); }).empty());
  (void)b1;
  (void)e1;
  (void)e2;
}

TEST_P(RepositoryContractTest, InterviewIntegrityCountsByPositionAndKind) {
  std::string d = AddDepartment("风控部");
  std::string j = AddJob(d, "风控专员");
  std::string iv = AddInterview(AddApplicant(j, d), j, d, {NextId(), NextId()});
  std::string other = AddInterview(AddApplicant(j, d), j, d, {NextId()});
  EXPECT_TRUE(Read([&](Tx& tx) { return CountIntegrityEvents(tx, iv); }).empty());
  EXPECT_EQ(Read([&](Tx& tx) { return CountIntegrityEventsTotal(tx, iv); }), 0);

  auto add = [&](const std::string& interview, std::optional<int64_t> position,
                 const std::string& kind, std::optional<int64_t> duration) {
    IntegrityRecord e{NextId(), interview, position, kind, duration, now_ + id_seq_};
    EXPECT_OK(Write([&](Tx& tx) { return InsertIntegrityEvent(tx, e); }));
  };
  add(iv, 0, "tab_hidden", 4200);
  add(iv, 1, "paste", std::nullopt);
  add(iv, 0, "paste", std::nullopt);
  add(iv, std::nullopt, "window_blur", 100);
  add(iv, 0, "tab_hidden", 300);
  add(iv, std::nullopt, "window_blur", std::nullopt);
  add(iv, std::nullopt, "copy", std::nullopt);
  add(other, 0, "tab_hidden", 1);
  add(other, std::nullopt, "window_blur", 1);

  auto counts = Read([&](Tx& tx) { return CountIntegrityEvents(tx, iv); });
  std::vector<std::tuple<int64_t, std::string, int64_t>> got;
  for (const auto& c : counts) got.emplace_back(c.position, c.kind, c.count);
  using T = std::tuple<int64_t, std::string, int64_t>;
  EXPECT_EQ(got, (std::vector<T>{T{-1, "copy", 1}, T{-1, "window_blur", 2}, T{0, "paste", 1},
                                 T{0, "tab_hidden", 2}, T{1, "paste", 1}}));
  EXPECT_EQ(Read([&](Tx& tx) { return CountIntegrityEventsTotal(tx, iv); }), 7);
  EXPECT_EQ(Read([&](Tx& tx) { return CountIntegrityEventsTotal(tx, other); }), 2);
  EXPECT_EQ(Read([&](Tx& tx) { return CountIntegrityEventsTotal(tx, NextId()); }), 0);

  // The optional columns are stored as given.
  EXPECT_EQ(Count("integrity_events", "interview_id = ? AND position IS NULL", {iv}), 3);
  EXPECT_EQ(Count("integrity_events", "interview_id = ? AND duration_ms = ?", {iv, int64_t{4200}}),
            1);
  EXPECT_EQ(Count("integrity_events", "interview_id = ? AND duration_ms IS NULL", {iv}), 4);
}

TEST_P(RepositoryContractTest, InterviewScoreVersions) {
  std::string d = AddDepartment("财务部");
  std::string j = AddJob(d, "会计");
  std::string iv = AddInterview(AddApplicant(j, d), j, d, {NextId()});
  std::string other = AddInterview(AddApplicant(j, d), j, d, {NextId()});
  EXPECT_TRUE(Read([&](Tx& tx) { return ListScores(tx, iv, true); }).empty());

  auto make = [&](const std::string& interview, int64_t version, std::optional<double> overall,
                  std::optional<std::string> rec) {
    return ScoreRecord{
        interview,
        version,
        "rubric",
        "1." + std::to_string(version) + ".0",
        overall,
        std::move(rec),
        R"({"version":)" + std::to_string(version) +
            R"(,"dimensions":[{"key":"communication","score":72.5,"evidence":"“清晰”"}]})",
        version == 1 ? "system" : "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C",
        now_ + version};
  };
  ScoreRecord v1 = make(iv, 1, 72.5, "review");
  ScoreRecord v2 = make(iv, 2, std::nullopt, std::nullopt);
  ScoreRecord v3 = make(iv, 3, 81.25, "recommend");
  ScoreRecord o1 = make(other, 1, 40, "not_recommended");
  for (const ScoreRecord* s : {&v2, &v1, &o1, &v3})  // out of order
    ASSERT_OK(Write([&](Tx& tx) { return InsertScore(tx, *s); }));

  for (bool with_result : {true, false}) {
    SCOPED_TRACE(with_result ? "with result" : "without result");
    auto list = Read([&](Tx& tx) { return ListScores(tx, iv, with_result); });
    ASSERT_EQ(list.size(), 3u);
    ExpectScoreEq(list[0], v3, with_result);
    ExpectScoreEq(list[1], v2, with_result);
    ExpectScoreEq(list[2], v1, with_result);
  }
  auto got = Read([&](Tx& tx) { return GetScore(tx, iv, 2); });
  ASSERT_TRUE(got.has_value());
  ExpectScoreEq(*got, v2, true);
  EXPECT_FALSE(got->overall.has_value());
  EXPECT_FALSE(got->recommendation.has_value());
  got = Read([&](Tx& tx) { return GetScore(tx, iv, 1); });
  ASSERT_TRUE(got.has_value());
  ExpectScoreEq(*got, v1, true);
  got = Read([&](Tx& tx) { return GetScore(tx, other, 1); });
  ASSERT_TRUE(got.has_value());
  ExpectScoreEq(*got, o1, true);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetScore(tx, iv, 4); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetScore(tx, other, 2); }).has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetScore(tx, iv, 0); }).has_value());

  // A version is written once.
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertScore(tx, make(iv, 3, 10, "review")); }),
               ErrorCode::kConflict, "unique_violation");
}

TEST_P(RepositoryContractTest, InterviewDimensionScoresReplacedAndCohort) {
  std::string d = AddDepartment("人力资源部");
  std::string j1 = AddJob(d, "招聘专员");
  std::string j2 = AddJob(d, "培训专员");
  std::string iv = AddInterview(AddApplicant(j1, d), j1, d, {NextId()});
  std::string other = AddInterview(AddApplicant(j1, d), j1, d, {NextId()});

  using Scores = std::map<std::string, double>;
  auto stored = [&](const std::string& interview) {
    return Read([&](Tx& tx) -> Result<Scores> {
      ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT dimension_key, score, job_id FROM "
                                            "dimension_scores WHERE interview_id = ?",
                                            {interview}));
      Scores out;
      for (const auto& r : rs.rows) {
        EXPECT_EQ(r.Text(2), j1);
        out[r.Text(0)] = r.Double(1);
      }
      return out;
    });
  };
  ASSERT_OK(Write([&](Tx& tx) {
    return ReplaceDimensionScores(tx, iv, j1, {{"communication", 50}, {"teamwork", 60.5}});
  }));
  ASSERT_OK(Write([&](Tx& tx) {
    return ReplaceDimensionScores(tx, other, j1, {{"communication", 90}});
  }));
  EXPECT_EQ(stored(iv), (Scores{{"communication", 50}, {"teamwork", 60.5}}));
  // Replaced, not merged: a key left out disappears.
  ASSERT_OK(Write([&](Tx& tx) {
    return ReplaceDimensionScores(tx, iv, j1, {{"teamwork", 70.25}, {"learning", 88}});
  }));
  EXPECT_EQ(stored(iv), (Scores{{"learning", 88}, {"teamwork", 70.25}}));
  EXPECT_EQ(stored(other), (Scores{{"communication", 90}}));
  ASSERT_OK(Write([&](Tx& tx) { return ReplaceDimensionScores(tx, iv, j1, {}); }));
  EXPECT_EQ(stored(iv), Scores{});
  EXPECT_EQ(stored(other), (Scores{{"communication", 90}}));

  // Cohort: non-null overall scores of the job's interviews only.
  auto cohort = [&](const std::string& job) {
    auto v = Read([&](Tx& tx) { return CohortOverall(tx, job); });
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_TRUE(cohort(j1).empty());
  auto set_overall = [&](const std::string& id, std::optional<double> overall) {
    ASSERT_OK(Write([&](Tx& tx) -> Status {
      ZM_ASSIGN_OR_RETURN(auto r, GetInterview(tx, id, true));
      if (!r) return NotFound("interview");
      r->overall = overall;
      return UpdateInterview(tx, *r);
    }));
  };
  set_overall(iv, 80.5);
  set_overall(other, 0);  // zero is a score, not "unscored"
  std::string unscored = AddInterview(AddApplicant(j1, d), j1, d, {NextId()});
  set_overall(unscored, std::nullopt);
  std::string in_j2 = AddInterview(AddApplicant(j2, d), j2, d, {NextId()});
  set_overall(in_j2, 99);
  EXPECT_EQ(cohort(j1), (std::vector<double>{0, 80.5}));
  EXPECT_EQ(cohort(j2), (std::vector<double>{99}));
  EXPECT_TRUE(cohort(NextId()).empty());
}

TEST_P(RepositoryContractTest, InterviewOverridesOldestFirst) {
  std::string d = AddDepartment("法务部");
  std::string j = AddJob(d, "法务专员");
  std::string iv = AddInterview(AddApplicant(j, d), j, d, {NextId()});
  std::string other = AddInterview(AddApplicant(j, d), j, d, {NextId()});
  EXPECT_TRUE(Read([&](Tx& tx) { return ListOverrides(tx, iv); }).empty());

  OverrideRecord first{NextId(),
                       iv,
                       "communication",
                       85,
                       72.5,
                       "v1:enc:" + security::Base64UrlEncode("面试官复核：表达清晰"),
                       "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C",
                       now_ + 1};
  OverrideRecord second{NextId(),
                        iv,
                        "",
                        77.75,
                        std::nullopt,
                        "v1:enc:" + security::Base64UrlEncode("overall adjusted"),
                        "01JD5M1Z8Q3V4W5X6Y7Z8A9B0D",
                        now_ + 2};
  OverrideRecord third{NextId(), iv, "teamwork", 0, 100, "v1:enc:x", "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C",
                       now_ + 3};
  OverrideRecord elsewhere{NextId(), other, "communication", 50, 50, "v1:enc:y", "a", now_ + 4};
  for (const OverrideRecord* o : {&third, &elsewhere, &first, &second})  // out of order
    ASSERT_OK(Write([&](Tx& tx) { return InsertOverride(tx, *o); }));

  auto list = Read([&](Tx& tx) { return ListOverrides(tx, iv); });
  ASSERT_EQ(list.size(), 3u);
  ExpectOverrideEq(list[0], first);
  ExpectOverrideEq(list[1], second);
  ExpectOverrideEq(list[2], third);
  EXPECT_EQ(list[1].dimension_key, "");  // overall
  EXPECT_FALSE(list[1].original.has_value());
  auto others = Read([&](Tx& tx) { return ListOverrides(tx, other); });
  ASSERT_EQ(others.size(), 1u);
  ExpectOverrideEq(others[0], elsewhere);
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertOverride(tx, first); }), ErrorCode::kConflict,
               "unique_violation");
}

// ==== courses =================================================================================

TEST_P(RepositoryContractTest, CourseInsertGetUpdateDelete) {
  CourseRecord c = MakeCourse("结构化沟通", {"communication", "teamwork"}, 2);
  c.title_en = "Structured communication";
  c.description = "三周课程 — \"MECE\" 与金字塔原理; 'quotes' ? marks";
  ASSERT_OK(Write([&](Tx& tx) { return InsertCourse(tx, c); }));
  auto got = Read([&](Tx& tx) { return GetCourse(tx, c.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCourseEq(*got, c);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetCourse(tx, NextId()); }).has_value());

  // Empty optional texts, one key.
  CourseRecord minimal = MakeCourse("学习力", {"learning"});
  minimal.title_en = "";
  minimal.description = "";
  ASSERT_OK(Write([&](Tx& tx) { return InsertCourse(tx, minimal); }));
  got = Read([&](Tx& tx) { return GetCourse(tx, minimal.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCourseEq(*got, minimal);

  c.title = "结构化沟通（进阶）";
  c.title_en = "";
  c.url = "http://learn.example.cn/advanced";
  c.description = "";
  c.dimension_keys = {"communication", "leadership", "influence"};
  c.max_level = 5;
  c.updated_at = now_ + 100;
  CourseRecord sent = c;
  sent.created_at = 1;  // not written by an update
  ASSERT_OK(Write([&](Tx& tx) { return UpdateCourse(tx, sent); }));
  got = Read([&](Tx& tx) { return GetCourse(tx, c.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCourseEq(*got, c);
  got = Read([&](Tx& tx) { return GetCourse(tx, minimal.id); });
  ASSERT_TRUE(got.has_value());
  ExpectCourseEq(*got, minimal);

  CourseRecord ghost = MakeCourse("不存在", {"x"});
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateCourse(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertCourse(tx, minimal); }), ErrorCode::kConflict,
               "unique_violation");

  ASSERT_OK(Write([&](Tx& tx) { return DeleteCourse(tx, c.id); }));
  EXPECT_FALSE(Read([&](Tx& tx) { return GetCourse(tx, c.id); }).has_value());
  EXPECT_TRUE(Read([&](Tx& tx) { return GetCourse(tx, minimal.id); }).has_value());
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteCourse(tx, c.id); }), ErrorCode::kNotFound,
               "not_found");
  EXPECT_ERROR(Write([&](Tx& tx) { return DeleteCourse(tx, NextId()); }), ErrorCode::kNotFound,
               "not_found");
}

TEST_P(RepositoryContractTest, CourseListDimensionFilterMatchesWholeKeysOnly) {
  std::string teamwork = AddCourse("协作", {"teamwork"});
  std::string team = AddCourse("团队", {"team", "x"});
  std::string team_last = AddCourse("沟通与团队", {"communication", "team"});
  std::string a_b = AddCourse("下划线", {"a_b"});
  std::string axb = AddCourse("字母", {"axb"});
  std::string steam = AddCourse("蒸汽", {"steam", "team2"});
  std::string pct = AddCourse("百分", {"a1b"});

  auto list = [&](std::optional<std::string> key) {
    return Ids(Read([&](Tx& tx) {
                 return ListCourses(tx, key, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list(std::nullopt), (V{pct, steam, axb, a_b, team_last, team, teamwork}));
  EXPECT_EQ(list("team"), (V{team_last, team}));
  EXPECT_EQ(list("teamwork"), (V{teamwork}));
  EXPECT_EQ(list("team2"), (V{steam}));
  EXPECT_EQ(list("steam"), (V{steam}));
  EXPECT_EQ(list("communication"), (V{team_last}));
  EXPECT_EQ(list("x"), (V{team}));
  // '_' is literal, not a one-character wildcard.
  EXPECT_EQ(list("a_b"), (V{a_b}));
  EXPECT_EQ(list("axb"), (V{axb}));
  EXPECT_EQ(list("a1b"), (V{pct}));
  // Substrings, prefixes and suffixes of keys match nothing.
  EXPECT_EQ(list("tea"), V{});
  EXPECT_EQ(list("eam"), V{});
  EXPECT_EQ(list("work"), V{});
  EXPECT_EQ(list("a"), V{});
  EXPECT_EQ(list("b"), V{});
  EXPECT_EQ(list("a%"), V{});
  EXPECT_EQ(list("%"), V{});
  EXPECT_EQ(list("_"), V{});
  EXPECT_EQ(list(""), V{});

  // Paging with the filter.
  for (int limit : {1, 2}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    V seen;
    PageRequest page{.cursor = std::nullopt, .limit = limit};
    for (int i = 0; i < 10; ++i) {
      auto p = Read([&](Tx& tx) { return ListCourses(tx, std::string("team"), page); });
      for (const auto& c : p.items) seen.push_back(c.id);
      if (!p.next_cursor) break;
      page.cursor = p.next_cursor;
    }
    EXPECT_EQ(seen, (V{team_last, team}));
  }
}

TEST_P(RepositoryContractTest, CourseListPagesNewestFirstAndAllCourses) {
  using V = std::vector<std::string>;
  EXPECT_TRUE(Read([&](Tx& tx) { return AllCourses(tx); }).empty());
  auto empty = Read(
      [&](Tx& tx) { return ListCourses(tx, std::nullopt, {.cursor = std::nullopt, .limit = 10}); });
  EXPECT_TRUE(empty.items.empty());
  EXPECT_FALSE(empty.next_cursor.has_value());

  V ids;
  for (int i = 0; i < 5; ++i) ids.push_back(AddCourse("课程" + std::to_string(i), {"learning"}));
  for (int limit : {1, 2, 4, 5, 6}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    V seen;
    int pages = 0;
    PageRequest page{.cursor = std::nullopt, .limit = limit};
    for (int i = 0; i < 10; ++i) {
      auto p = Read([&](Tx& tx) { return ListCourses(tx, std::nullopt, page); });
      ++pages;
      EXPECT_LE(static_cast<int>(p.items.size()), limit);
      for (const auto& c : p.items) seen.push_back(c.id);
      if (!p.next_cursor) break;
      EXPECT_EQ(*p.next_cursor, p.items.back().id);
      page.cursor = p.next_cursor;
    }
    EXPECT_EQ(seen, Reversed(ids));
    EXPECT_EQ(pages, (5 + limit - 1) / limit);
  }
  // Every course, oldest first, with all columns.
  auto all = Read([&](Tx& tx) { return AllCourses(tx); });
  EXPECT_EQ(Ids(all), ids);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[2].title, "课程2");
  EXPECT_EQ(all[2].dimension_keys, V{"learning"});
  EXPECT_EQ(all[2].max_level, 3);
}

// ==== tasks ===================================================================================

TEST_P(RepositoryContractTest, TaskInsertGetUpdate) {
  std::string d = AddDepartment("客服部");
  std::string j = AddJob(d, "客服专员");
  std::string app = AddApplicant(j, d);
  TaskRecord t = MakeTask(app, d);
  ASSERT_OK(Write([&](Tx& tx) { return InsertTask(tx, t); }));
  auto got = Read([&](Tx& tx) { return GetTask(tx, t.id); });
  ASSERT_TRUE(got.has_value());
  ExpectTaskEq(*got, t);
  EXPECT_FALSE(got->resolution.has_value());
  EXPECT_FALSE(got->resolved_by.has_value());
  EXPECT_FALSE(got->resolved_at.has_value());
  EXPECT_FALSE(Read([&](Tx& tx) { return GetTask(tx, NextId()); }).has_value());

  // Resolved.
  t.status = "done";
  t.resolution = "已人工复核，维持原评分；\"理由\"见报告";
  t.resolved_by = "01JD5M1Z8Q3V4W5X6Y7Z8A9B0C";
  t.resolved_at = now_ + 500;
  t.updated_at = now_ + 500;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateTask(tx, t); }));
  got = Read([&](Tx& tx) { return GetTask(tx, t.id); });
  ASSERT_TRUE(got.has_value());
  ExpectTaskEq(*got, t);

  // Only status, resolution and times change.
  TaskRecord sent = t;
  sent.kind = "other";
  sent.title = "changed";
  sent.detail_enc = "changed";
  sent.application_id = NextId();
  sent.department_id = NextId();
  sent.created_at = 1;
  sent.resolution = std::nullopt;
  sent.resolved_by = std::nullopt;
  sent.resolved_at = std::nullopt;
  sent.status = "open";
  sent.updated_at = now_ + 600;
  ASSERT_OK(Write([&](Tx& tx) { return UpdateTask(tx, sent); }));
  got = Read([&](Tx& tx) { return GetTask(tx, t.id); });
  ASSERT_TRUE(got.has_value());
  t.status = "open";
  t.resolution = t.resolved_by = std::nullopt;
  t.resolved_at = std::nullopt;
  t.updated_at = now_ + 600;
  ExpectTaskEq(*got, t);

  TaskRecord ghost = MakeTask(app, d);
  EXPECT_ERROR(Write([&](Tx& tx) { return UpdateTask(tx, ghost); }), ErrorCode::kNotFound,
               "not_found");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertTask(tx, t); }), ErrorCode::kConflict,
               "unique_violation");
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertTask(tx, MakeTask(NextId(), d)); }),
               ErrorCode::kConflict, "foreign_key_violation");
}

TEST_P(RepositoryContractTest, TaskListFiltersScopeAndPaging) {
  std::string d1 = AddDepartment("华东区");
  std::string d2 = AddDepartment("华南区");
  std::string d3 = AddDepartment("西北区");
  std::string j1 = AddJob(d1, "销售代表");
  std::string j2 = AddJob(d2, "销售主管");
  std::string a1 = AddApplicant(j1, d1);
  std::string a2 = AddApplicant(j2, d2);
  std::string t1 = AddTask(a1, d1);
  std::string t2 = AddTask(a1, d1, "human_review", "done");
  std::string t3 = AddTask(a2, d2);
  std::string t4 = AddTask(a2, d2, "data_request", "open");
  std::string t5 = AddTask(a1, d1, "data_request", "done");
  TaskRecord by_candidate = MakeTask(a1, d1);
  by_candidate.origin = "candidate";
  ASSERT_OK(Write([&](Tx& tx) { return InsertTask(tx, by_candidate); }));

  auto list = [&](TaskFilter f) {
    return Ids(Read([&](Tx& tx) {
                 return ListTasks(tx, f, {.cursor = std::nullopt, .limit = 50});
               }).items);
  };
  using V = std::vector<std::string>;
  // Who opened the task is a filter of its own (a candidate's request vs a rule's review task).
  EXPECT_EQ(
      list({.status = "open", .kind = "human_review", .application_id = a1, .origin = "candidate"}),
      (V{by_candidate.id}));
  EXPECT_EQ(list({.origin = "automation"}), V{});
  ASSERT_OK(Exec("DELETE FROM tasks WHERE id = ?", {by_candidate.id}));
  EXPECT_EQ(list({}), (V{t5, t4, t3, t2, t1}));
  EXPECT_EQ(list({.status = "open"}), (V{t4, t3, t1}));
  EXPECT_EQ(list({.status = "done"}), (V{t5, t2}));
  EXPECT_EQ(list({.kind = "human_review"}), (V{t3, t2, t1}));
  EXPECT_EQ(list({.kind = "data_request", .application_id = a1}), (V{t5}));
  EXPECT_EQ(list({.status = "open", .kind = "human_review"}), (V{t3, t1}));
  EXPECT_EQ(list({.application_id = a2}), (V{t4, t3}));
  EXPECT_EQ(list({.application_id = NextId()}), V{});
  EXPECT_EQ(list({.status = "archived"}), V{});
  // A manager sees the tasks of their departments only.
  EXPECT_EQ(list({.department_scope = V{d1}}), (V{t5, t2, t1}));
  EXPECT_EQ(list({.department_scope = V{d2, d3}}), (V{t4, t3}));
  EXPECT_EQ(list({.department_scope = V{d3}}), V{});
  EXPECT_EQ(list({.department_scope = V{d1, d2}}), (V{t5, t4, t3, t2, t1}));
  EXPECT_EQ(list({.status = "open", .department_scope = V{d1}}), (V{t1}));
  EXPECT_EQ(list({.application_id = a2, .department_scope = V{d1}}), V{});
  EXPECT_EQ(list({.department_scope = V{}}), V{});
  EXPECT_EQ(list({.status = "open", .department_scope = V{}}), V{});

  // Full rows in lists.
  auto one = Read([&](Tx& tx) {
    return ListTasks(tx, {.kind = "data_request"}, {.cursor = std::nullopt, .limit = 1});
  });
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].id, t5);
  EXPECT_EQ(one.items[0].status, "done");
  EXPECT_EQ(one.items[0].application_id, a1);
  EXPECT_EQ(one.items[0].department_id, d1);
  EXPECT_EQ(one.next_cursor, t5);

  // Paging, with and without filters.
  const std::vector<std::pair<TaskFilter, V>> cases = {
      {TaskFilter{}, V{t5, t4, t3, t2, t1}},
      {TaskFilter{.status = "open"}, V{t4, t3, t1}},
      {TaskFilter{.department_scope = V{d1}}, V{t5, t2, t1}}};
  for (const auto& [filter_ref, want] : cases) {
    const TaskFilter filter = filter_ref;
    for (int limit : {1, 2, 3, 5}) {
      SCOPED_TRACE("limit " + std::to_string(limit));
      V seen;
      PageRequest page{.cursor = std::nullopt, .limit = limit};
      for (int i = 0; i < 10; ++i) {
        auto p = Read([&](Tx& tx) { return ListTasks(tx, filter, page); });
        for (const auto& t : p.items) seen.push_back(t.id);
        if (!p.next_cursor) break;
        page.cursor = p.next_cursor;
      }
      EXPECT_EQ(seen, want);
    }
  }
}

// ==== erasure =================================================================================

// Deleting a candidate (erasure) takes their interviews with everything hanging off them, and
// their tasks; another candidate's rows stay.
TEST_P(RepositoryContractTest, CandidateDeletionCascadesToInterviewsAndTasks) {
  std::string d = AddDepartment("设计部");
  std::string j1 = AddJob(d, "视觉设计师");
  std::string j2 = AddJob(d, "交互设计师");
  CandidateRecord gone = MakeCandidate("待删除的候选人", "bidx-gone");
  CandidateRecord kept = MakeCandidate("保留的候选人", "bidx-kept");
  ASSERT_OK(Write([&](Tx& tx) { return InsertCandidate(tx, gone); }));
  ASSERT_OK(Write([&](Tx& tx) { return InsertCandidate(tx, kept); }));
  // `gone` has two applications with interviews; `kept` one.
  std::vector<std::string> gone_interviews;
  std::string kept_interview;
  const std::string q1 = NextId();
  const std::string q2 = NextId();
  auto fill = [&](const std::string& candidate, const std::string& job) {
    std::string app = AddApplication(candidate, job, d);
    std::string iv = AddInterview(app, job, d, {q1, q2});
    AddAnswer(iv, 0, "answer", 1, "回答一");
    AddAnswer(iv, 0, "follow_up", 1, "追问回答");
    AddAnswer(iv, 1, "answer", 1, "回答二");
    IntegrityRecord e{NextId(), iv, 0, "paste", std::nullopt, now_};
    EXPECT_OK(Write([&](Tx& tx) { return InsertIntegrityEvent(tx, e); }));
    ScoreRecord s{iv, 1, "rubric", "1.0.0", 70, "review", "{}", "system", now_};
    EXPECT_OK(Write([&](Tx& tx) { return InsertScore(tx, s); }));
    EXPECT_OK(Write([&](Tx& tx) {
      return ReplaceDimensionScores(tx, iv, job, {{"communication", 70}, {"teamwork", 65}});
    }));
    OverrideRecord o{NextId(), iv, "", 75, 70, "v1:enc:r", "actor", now_};
    EXPECT_OK(Write([&](Tx& tx) { return InsertOverride(tx, o); }));
    AddTask(app, d);
    EXPECT_OK(Write([&](Tx& tx) -> Status {
      ZM_ASSIGN_OR_RETURN(auto r, GetInterview(tx, iv));
      if (!r) return NotFound("interview");
      r->overall = 75;
      return UpdateInterview(tx, *r);
    }));
    return iv;
  };
  gone_interviews.push_back(fill(gone.id, j1));
  gone_interviews.push_back(fill(gone.id, j2));
  kept_interview = fill(kept.id, j1);

  const std::vector<std::string> tables = {"interview_items",  "interview_answers",
                                           "integrity_events", "interview_scores",
                                           "dimension_scores", "score_overrides"};
  const std::map<std::string, int64_t> per_interview = {
      {"interview_items", 2},  {"interview_answers", 3}, {"integrity_events", 1},
      {"interview_scores", 1}, {"dimension_scores", 2},  {"score_overrides", 1}};
  for (const auto& table : tables) {
    EXPECT_EQ(Count(table), 3 * per_interview.at(table)) << table;
  }
  EXPECT_EQ(Count("interviews"), 3);
  EXPECT_EQ(Count("tasks"), 3);

  ASSERT_OK(Write([&](Tx& tx) { return DeleteCandidate(tx, gone.id); }));
  for (const auto& iv : gone_interviews) {
    EXPECT_FALSE(Read([&](Tx& tx) { return GetInterview(tx, iv); }).has_value());
    for (const auto& table : tables) EXPECT_EQ(Count(table, "interview_id = ?", {iv}), 0) << table;
  }
  EXPECT_EQ(Count("applications", "candidate_id = ?", {gone.id}), 0);
  for (const auto& table : tables) {
    EXPECT_EQ(Count(table), per_interview.at(table)) << table;
    EXPECT_EQ(Count(table, "interview_id = ?", {kept_interview}), per_interview.at(table)) << table;
  }
  EXPECT_EQ(Count("interviews"), 1);
  EXPECT_TRUE(Read([&](Tx& tx) { return GetInterview(tx, kept_interview); }).has_value());
  EXPECT_EQ(Count("tasks"), 1);
  EXPECT_EQ(Read([&](Tx& tx) {
              return ListTasks(tx, {}, {.cursor = std::nullopt, .limit = 50});
            }).items.size(),
            1u);
  // The kept interview's answers are still comparable; the erased ones are not.
  auto others = Read([&](Tx& tx) { return ListOtherAnswers(tx, q1, NextId(), 50); });
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0].interview_id, kept_interview);
  EXPECT_EQ(Read([&](Tx& tx) { return CohortOverall(tx, j2); }), std::vector<double>{});
  EXPECT_EQ(Read([&](Tx& tx) { return CohortOverall(tx, j1); }), std::vector<double>{75});
}

// ==== HR workspace (workspace_repository.h) ===================================================

class WorkspaceRepositoryTest : public RepositoryContractTest {
 protected:
  // A finished, scored interview of `app` with the given effective scores; returns its id.
  std::string AddScored(const std::string& app, const std::string& job, const std::string& dept,
                        std::optional<double> overall, const std::string& recommendation,
                        const std::map<std::string, double>& dims, int flags_per_answer = 0,
                        int64_t finished_at = 0) {
    std::string iv = AddInterview(app, job, dept, {NextId()});
    EXPECT_OK(Write([&](Tx& tx) -> Status {
      ZM_ASSIGN_OR_RETURN(auto r, GetInterview(tx, iv));
      if (!r) return NotFound("interview");
      r->status = "completed";
      r->finished_at = finished_at ? finished_at : now_;
      r->overall = overall;
      if (!recommendation.empty()) r->recommendation = recommendation;
      r->score_version = 1;
      ZM_RETURN_IF_ERROR(UpdateInterview(tx, *r));
      std::string flags = "[";
      for (int i = 0; i < flags_per_answer; ++i)
        flags += std::string(i ? "," : "") + R"({"code":"only_i","message_zh":"只说我"})";
      flags += "]";
      ScoreRecord s;
      s.interview_id = iv;
      s.version = 1;
      s.scorer = "rubric";
      s.scorer_version = "1";
      s.overall = overall;
      // Two answers with flags, one without a flags member: all must count.
      s.result = R"({"answers":[{"position":0,"flags":)" + flags + R"(},{"position":1,"flags":)" +
                 flags + R"(},{"position":2}],"dimensions":[]})";
      s.created_by = "candidate:" + iv;
      s.created_at = now_;
      ZM_RETURN_IF_ERROR(InsertScore(tx, s));
      return ReplaceDimensionScores(tx, iv, job, dims);
    }));
    return iv;
  }

  std::vector<std::string> ListIds(const ApplicationQuery& q, int limit = 50) {
    auto page = Read([&](Tx& tx) { return ListApplicationSummaries(tx, q, std::nullopt, limit); });
    std::vector<std::string> out;
    for (const auto& s : page.items) out.push_back(s.application.id);
    return out;
  }

  // Every id following the cursors, `limit` at a time.
  std::vector<std::string> PagedIds(const ApplicationQuery& q, int limit) {
    std::vector<std::string> out;
    std::optional<ApplicationCursor> after;
    for (int i = 0; i < 50; ++i) {
      auto page = Read([&](Tx& tx) { return ListApplicationSummaries(tx, q, after, limit); });
      for (const auto& s : page.items) out.push_back(s.application.id);
      if (!page.next) break;
      after = page.next;
    }
    return out;
  }

  int64_t CountQuery(const ApplicationQuery& q) {
    return Read([&](Tx& tx) { return CountApplicationSummaries(tx, q); });
  }
};

TEST_P(WorkspaceRepositoryTest, ApplicationTableFiltersSortsAndPages) {
  using V = std::vector<std::string>;
  std::string d1 = AddDepartment("研发中心"), d2 = AddDepartment("销售中心");
  std::string j1 = AddJob(d1, "后端工程师"), j2 = AddJob(d2, "客户经理");
  std::string c_zhang = AddCandidate("张伟", "e-zhang", "p-zhang");
  ASSERT_OK(Exec("UPDATE candidates SET name_bidx = 'n-zhangwei' WHERE id = ?", {c_zhang}));
  // a1..a6 in creation order.
  std::string a1 = AddApplication(c_zhang, j1, d1, "interview_completed");
  std::string a2 = AddApplication(AddCandidate("李娜"), j1, d1, "hr_review");
  std::string a3 = AddApplication(AddCandidate("王芳"), j1, d1, "interview_completed");
  std::string a4 = AddApplication(AddCandidate("刘洋"), j2, d2, "hr_review");
  std::string a5 = AddApplication(AddCandidate("陈静"), j1, d1, "new");
  std::string a6 = AddApplication(AddCandidate("杨帆"), j2, d2, "interview_completed");
  AddScored(a1, j1, d1, 88, "recommend", {{"communication", 85}, {"teamwork", 90}}, 1);
  AddScored(a2, j1, d1, 72, "review", {{"communication", 79.9}, {"teamwork", 95}});
  AddScored(a3, j1, d1, 91, "recommend", {{"communication", 80}, {"teamwork", 70}}, 2);
  AddScored(a4, j2, d2, 60, "not_recommended", {{"communication", 95}, {"teamwork", 85}});
  std::string iv6 = AddInterview(a6, j2, d2, {NextId()});  // invited, not scored

  EXPECT_EQ(ListIds({}), (V{a6, a5, a4, a3, a2, a1}));
  EXPECT_EQ(ListIds({.job_id = j1}), (V{a5, a3, a2, a1}));
  EXPECT_EQ(ListIds({.department_id = d2}), (V{a6, a4}));
  EXPECT_EQ(ListIds({.candidate_id = c_zhang}), V{a1});
  EXPECT_EQ(ListIds({.stages = {"hr_review", "new"}}), (V{a5, a4, a2}));
  // Dimension thresholds: >= is inclusive, several must all hold.
  EXPECT_EQ(ListIds({.dimension_min = {{"communication", 80}}}), (V{a4, a3, a1}));
  EXPECT_EQ(ListIds({.dimension_min = {{"communication", 80}, {"teamwork", 85}}}), (V{a4, a1}));
  EXPECT_EQ(ListIds({.dimension_min = {{"communication", 80}, {"teamwork", 95.5}}}), V{});
  EXPECT_EQ(ListIds({.dimension_min = {{"leadership", 0}}}), V{});
  EXPECT_EQ(ListIds({.min_overall = 72, .max_overall = 88}), (V{a2, a1}));
  EXPECT_EQ(ListIds({.recommendation = "recommend"}), (V{a3, a1}));
  EXPECT_EQ(ListIds({.interview_status = "none"}), V{a5});
  EXPECT_EQ(ListIds({.interview_status = "invited"}), V{a6});
  EXPECT_EQ(ListIds({.interview_status = "completed"}), (V{a4, a3, a2, a1}));
  EXPECT_EQ(ListIds({.name_bidx = "n-zhangwei"}), V{a1});
  EXPECT_EQ(ListIds({.email_bidx = "e-zhang"}), V{a1});
  EXPECT_EQ(ListIds({.phone_bidx = "p-zhang"}), V{a1});
  EXPECT_EQ(ListIds({.name_bidx = "n-nobody"}), V{});
  // Managers: only their departments, whatever the filters say.
  EXPECT_EQ(ListIds({.department_scope = V{d2}}), (V{a6, a4}));
  EXPECT_EQ(ListIds({.job_id = j1, .department_scope = V{d2}}), V{});
  EXPECT_EQ(ListIds({.department_scope = V{}}), V{});
  EXPECT_EQ(CountQuery({.dimension_min = {{"communication", 80}}, .department_scope = V{d1}}), 2);
  EXPECT_EQ(CountQuery({.stages = {"hr_review"}}), 2);
  EXPECT_EQ(CountQuery({.name_bidx = "n-zhangwei"}), 1);

  // Sorts: unscored last in both directions; paging visits every row once in order.
  const V desc = {a3, a1, a2, a4, a6, a5};  // 91 88 72 60, then a6 and a5 (unscored, newest first)
  const V asc = {a4, a2, a1, a3, a6, a5};
  const V oldest = {a1, a2, a3, a4, a5, a6};
  for (auto [sort, want] : std::vector<std::pair<ApplicationSort, V>>{
           {ApplicationSort::kOverallDesc, desc},
           {ApplicationSort::kOverallAsc, asc},
           {ApplicationSort::kCreatedAsc, oldest},
           {ApplicationSort::kCreatedDesc, V{a6, a5, a4, a3, a2, a1}}}) {
    ApplicationQuery q{.sort = sort};
    EXPECT_EQ(ListIds(q), want);
    for (int limit : {1, 2, 4, 6}) {
      SCOPED_TRACE("limit " + std::to_string(limit));
      EXPECT_EQ(PagedIds(q, limit), want);
    }
  }
  // Equal scores (to 0.1) break ties by id, newest first, across pages.
  std::string a7 = AddApplication(AddCandidate("赵敏"), j1, d1, "new");
  AddScored(a7, j1, d1, 88.04, "recommend", {});
  EXPECT_EQ(PagedIds({.sort = ApplicationSort::kOverallDesc}, 1), (V{a3, a7, a1, a2, a4, a6, a5}));

  // The summary: interview fields, effective dimension scores and flags (JSON counted by the
  // database on both backends).
  auto page = Read([&](Tx& tx) {
    return ListApplicationSummaries(tx, {.job_id = j1, .sort = ApplicationSort::kCreatedAsc},
                                    std::nullopt, 50);
  });
  ASSERT_EQ(page.items.size(), 5u);
  const auto& s1 = page.items[0];
  EXPECT_EQ(s1.application.id, a1);
  EXPECT_EQ(s1.application.job_title, "后端工程师");
  EXPECT_EQ(s1.application.stage, "interview_completed");
  ASSERT_TRUE(s1.interview.has_value());
  EXPECT_EQ(s1.interview->status, "completed");
  EXPECT_EQ(s1.interview->overall, 88);
  EXPECT_EQ(s1.interview->recommendation, "recommend");
  EXPECT_EQ(s1.interview->score_version, 1);
  EXPECT_EQ(s1.interview->finished_at, now_);
  EXPECT_EQ(s1.interview->dimension_scores,
            (std::map<std::string, double>{{"communication", 85}, {"teamwork", 90}}));
  EXPECT_EQ(s1.interview->flags_count, 2);  // one flag in each of two answers
  EXPECT_EQ(page.items[2].interview->flags_count, 4);
  EXPECT_EQ(page.items[1].interview->flags_count, 0);
  EXPECT_FALSE(page.items[3].interview.has_value());  // a5
  EXPECT_FALSE(s1.interview->viewed_at.has_value());
  auto a6_row =
      Read([&](Tx& tx) { return ListApplicationSummaries(tx, {.job_id = j2}, std::nullopt, 1); });
  ASSERT_EQ(a6_row.items.size(), 1u);
  EXPECT_EQ(a6_row.items[0].interview->id, iv6);
  EXPECT_EQ(a6_row.items[0].interview->score_version, 0);
  EXPECT_TRUE(a6_row.items[0].interview->dimension_scores.empty());
  EXPECT_TRUE(a6_row.next.has_value());
}

TEST_P(WorkspaceRepositoryTest, ResultViewsAndTheToDoList) {
  std::string d1 = AddDepartment("风控部"), d2 = AddDepartment("教育部");
  std::string j1 = AddJob(d1, "风控分析师"), j2 = AddJob(d2, "数学教师");
  std::string a_old = AddApplicant(j1, d1), a_new = AddApplicant(j1, d1);
  std::string a_other = AddApplicant(j2, d2), a_open = AddApplicant(j1, d1);
  std::string iv_old = AddScored(a_old, j1, d1, 70, "review", {}, 0, now_ - 100 * 3'600'000LL);
  std::string iv_new = AddScored(a_new, j1, d1, 80, "recommend", {}, 0, now_ - 1000);
  AddScored(a_other, j2, d2, 50, "not_recommended", {}, 0, now_ - 50 * 3'600'000LL);
  std::string iv_open = AddInterview(a_open, j1, d1, {NextId()});

  auto todo = [&](std::optional<std::vector<std::string>> scope) {
    std::vector<std::string> out;
    for (const auto& u : Read([&](Tx& tx) { return ListUnviewedResults(tx, scope, 10); }))
      out.push_back(u.application_id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(todo(std::nullopt), (V{a_old, a_other, a_new}));  // oldest finish first
  EXPECT_EQ(todo(V{d1}), (V{a_old, a_new}));
  auto first = Read([&](Tx& tx) { return ListUnviewedResults(tx, V{d1}, 1); });
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].interview_id, iv_old);
  EXPECT_EQ(first[0].job_title, "风控分析师");
  EXPECT_EQ(first[0].overall, 70);
  EXPECT_EQ(first[0].recommendation, "review");
  auto counts =
      Read([&](Tx& tx) { return CountUnviewedResults(tx, std::nullopt, now_ - 72 * 3'600'000LL); });
  EXPECT_EQ(counts.total, 3);
  EXPECT_EQ(counts.overdue, 1);

  // Only a finished result can be viewed, and only the first view is recorded.
  auto state = Read([&](Tx& tx) { return GetResultViewState(tx, a_open); });
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->interview_id, iv_open);
  EXPECT_FALSE(state->finished);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetResultViewState(tx, AddApplicant(j1, d1)); }));
  bool marked = true;
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(marked, MarkResultViewed(tx, iv_open, "user-1", now_));
    return Ok();
  }));
  EXPECT_FALSE(marked);
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(marked, MarkResultViewed(tx, iv_new, "user-1", now_ + 5));
    return Ok();
  }));
  EXPECT_TRUE(marked);
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(marked, MarkResultViewed(tx, iv_new, "user-2", now_ + 9));
    return Ok();
  }));
  EXPECT_FALSE(marked);
  state = Read([&](Tx& tx) { return GetResultViewState(tx, a_new); });
  ASSERT_TRUE(state.has_value());
  EXPECT_TRUE(state->finished);
  EXPECT_EQ(state->viewed_at, now_ + 5);
  auto row = Read([&](Tx& tx) {
    return ListApplicationSummaries(tx, {.candidate_id = std::nullopt}, std::nullopt, 50);
  });
  for (const auto& s : row.items)
    if (s.application.id == a_new) {
      EXPECT_EQ(s.interview->viewed_at, now_ + 5);
      EXPECT_EQ(s.interview->viewed_by, "user-1");
    }
  EXPECT_EQ(todo(std::nullopt), (V{a_old, a_other}));
  counts = Read([&](Tx& tx) { return CountUnviewedResults(tx, V{d2}, now_); });
  EXPECT_EQ(counts.total, 1);
  EXPECT_EQ(counts.overdue, 1);
}

TEST_P(WorkspaceRepositoryTest, PipelineCountsAndOpenReviewTasks) {
  std::string d1 = AddDepartment("生产部"), d2 = AddDepartment("门店部");
  std::string j1 = AddJob(d1, "生产经理");
  std::string j_empty = AddJob(d1, "质检员");
  std::string j_draft = AddJob(d1, "草稿岗位", JobStatus::kDraft);
  std::string j2 = AddJob(d2, "店长");
  for (const char* stage : {"new", "new", "hr_review"})
    AddApplication(AddCandidate("应聘者"), j1, d1, stage);
  std::string a2 = AddApplication(AddCandidate("应聘者"), j2, d2, "offer");
  auto counts = Read([&](Tx& tx) { return PipelineStageCounts(tx, std::nullopt); });
  std::map<std::string, std::map<std::string, int64_t>> by_job;
  for (const auto& c : counts) by_job[c.job_id][c.stage] = c.count;
  EXPECT_EQ(by_job[j1], (std::map<std::string, int64_t>{{"hr_review", 1}, {"new", 2}}));
  EXPECT_EQ(by_job[j_empty], (std::map<std::string, int64_t>{{"", 0}}));
  EXPECT_FALSE(by_job.contains(j_draft));  // a draft without applications is not a pipeline
  EXPECT_EQ(by_job[j2], (std::map<std::string, int64_t>{{"offer", 1}}));
  EXPECT_EQ(counts.front().job_id, j2);  // newest job first
  auto scoped = Read([&](Tx& tx) { return PipelineStageCounts(tx, std::vector{d2}); });
  ASSERT_EQ(scoped.size(), 1u);
  EXPECT_EQ(scoped[0].job_title, "店长");
  EXPECT_EQ(scoped[0].department_id, d2);
  EXPECT_EQ(scoped[0].job_status, "open");

  AddTask(a2, d2);
  AddTask(a2, d2, "human_review", "done");
  AddTask(AddApplicant(j1, d1), d1);
  EXPECT_EQ(Read([&](Tx& tx) { return CountOpenReviewTasks(tx, std::nullopt); }), 2);
  EXPECT_EQ(Read([&](Tx& tx) { return CountOpenReviewTasks(tx, std::vector{d2}); }), 1);
}

TEST_P(WorkspaceRepositoryTest, ActivityFeedAndApplicationHistory) {
  std::string d1 = AddDepartment("华东区"), d2 = AddDepartment("华南区");
  std::string j1 = AddJob(d1, "区域销售"), j2 = AddJob(d2, "渠道经理");
  std::string app = AddApplicant(j1, d1), other = AddApplicant(j2, d2);
  std::string iv = AddInterview(app, j1, d1, {NextId()});
  std::string task = AddTask(app, d1);
  std::string user = AddUser("wang.li@example.cn", "王丽", Role::kHr);
  std::string token = NextId();
  ASSERT_OK(
      Exec("INSERT INTO api_tokens (id, name, token_hash, prefix, scopes, created_by, "
           "created_at) VALUES (?, 'EHR 同步', ?, 'zmk_ab', '[\"read\"]', ?, ?)",
           {token, security::Sha256Hex(token), user, now_}));
  auto as = [&](security::Principal::Kind kind, const std::string& id) {
    security::Context ctx = SystemContext();
    ctx.principal.kind = kind;
    ctx.principal.id = id;
    return ctx;
  };
  auto append = [&](const security::Context& ctx, const char* action, const char* type,
                    const std::string& target, const std::string& changes = "") {
    EXPECT_OK(Write([&](Tx& tx) {
      return security::AppendAudit(tx, ctx, {action, type, target, changes});
    }));
  };
  const auto kUser = security::Principal::Kind::kUser;
  append(as(kUser, user), "application.create", "application", app);
  append(as(security::Principal::Kind::kToken, token), "interview.invite", "interview", iv);
  append(as(security::Principal::Kind::kCandidate, iv), "interview.answer", "interview", iv);
  append(as(security::Principal::Kind::kCandidate, iv), "task.create", "task", task);
  append(as(kUser, user), "application.stage_changed", "application", other,
         R"({"before":{"stage":"new"},"after":{"stage":"offer"}})");
  append(as(kUser, user), "candidate.view_pii", "candidate", "c1");
  append(as(kUser, user), "application.stage_changed", "application", app,
         R"({"before":{"stage":"new"},"after":{"stage":"hr_review"}})");

  auto actions = [](const std::vector<ActivityRecord>& v) {
    std::vector<std::string> out;
    for (const auto& e : v) out.push_back(e.action + "@" + e.target_id);
    return out;
  };
  using V = std::vector<std::string>;
  auto all = Read([&](Tx& tx) { return RecentPipelineActivity(tx, std::nullopt, 10); });
  EXPECT_EQ(actions(all),
            (V{"application.stage_changed@" + app, "application.stage_changed@" + other,
               "task.create@" + task, "interview.invite@" + iv, "application.create@" + app}));
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].actor_name, "王丽");
  EXPECT_EQ(all[0].application_id, app);
  EXPECT_EQ(all[0].job_title, "区域销售");
  EXPECT_EQ(all[0].changes_json, R"({"before":{"stage":"new"},"after":{"stage":"hr_review"}})");
  EXPECT_EQ(all[2].application_id, app);  // a task entry maps to its application
  EXPECT_EQ(all[3].actor_type, "token");
  EXPECT_EQ(all[3].actor_name, "EHR 同步");
  EXPECT_EQ(all[3].application_id, app);
  EXPECT_EQ(actions(Read([&](Tx& tx) { return RecentPipelineActivity(tx, V{d2}, 10); })),
            V{"application.stage_changed@" + other});
  EXPECT_EQ(Read([&](Tx& tx) { return RecentPipelineActivity(tx, std::nullopt, 2); }).size(), 2u);

  auto history = Read([&](Tx& tx) { return ApplicationActivity(tx, app, 100); });
  EXPECT_EQ(actions(history), (V{"application.create@" + app, "interview.invite@" + iv,
                                 "task.create@" + task, "application.stage_changed@" + app}));
  EXPECT_FALSE(history[2].actor_name.has_value());  // the candidate
  EXPECT_EQ(history[2].actor_type, "candidate");
  EXPECT_EQ(Read([&](Tx& tx) { return ApplicationActivity(tx, app, 2); }).size(), 2u);
}

TEST_P(WorkspaceRepositoryTest, CommentsMentionsAndNotifications) {
  std::string d1 = AddDepartment("人力资源部"), d2 = AddDepartment("财务部");
  std::string j1 = AddJob(d1, "招聘专员"), j2 = AddJob(d2, "会计");
  std::string app = AddApplicant(j1, d1), app2 = AddApplicant(j2, d2);
  std::string hr = AddUser("li.xm@example.cn", "李晓梅", Role::kHr);
  std::string m1 = AddUser("liu.jg@example.cn", "刘建国", Role::kManager, {d1});
  std::string m2 = AddUser("huang.l@example.cn", "黄磊", Role::kManager, {d2});
  AddUser("gone@example.cn", "离职员工", Role::kHr, {}, UserStatus::kDisabled);
  AddUser("he.x@example.cn", "何雪", Role::kAuditor);

  // Mentionable colleagues: unscoped roles plus managers of the department; active only.
  auto staff = Read([&](Tx& tx) { return ListActiveStaff(tx, {"admin", "hr"}, {"manager"}, d1); });
  std::vector<std::string> names;
  for (const auto& s : staff) names.push_back(s.name + ":" + s.role);
  std::vector<std::string> want = {"刘建国:manager", "李晓梅:hr"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(names, want);
  EXPECT_TRUE(Read([&](Tx& tx) { return ListActiveStaff(tx, {}, {}, d1); }).empty());

  std::vector<CommentRecord> made;
  for (int i = 0; i < 3; ++i) {
    CommentRecord c;
    c.id = NextId();
    c.application_id = app;
    c.author_id = hr;
    c.kind = i == 2 ? "decision" : "comment";
    c.body_enc = "v1:enc:comment-" + std::to_string(i);
    c.body_chars = 10 + i;
    c.created_at = now_ + i;
    std::vector<std::string> mentioned =
        i == 0 ? std::vector{m1, hr, m1} : std::vector<std::string>{};
    ASSERT_OK(Write([&](Tx& tx) { return InsertComment(tx, c, mentioned); }));
    made.push_back(c);
  }
  auto page =
      Read([&](Tx& tx) { return ListComments(tx, app, {.cursor = std::nullopt, .limit = 2}); });
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, made[2].id);  // newest first
  EXPECT_EQ(page.items[0].kind, "decision");
  EXPECT_EQ(page.items[0].author_name, "李晓梅");
  ASSERT_TRUE(page.next_cursor.has_value());
  auto rest =
      Read([&](Tx& tx) { return ListComments(tx, app, {.cursor = page.next_cursor, .limit = 2}); });
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_EQ(rest.items[0].id, made[0].id);
  EXPECT_EQ(rest.items[0].body_enc, "v1:enc:comment-0");
  EXPECT_EQ(rest.items[0].body_chars, 10);
  ASSERT_EQ(rest.items[0].mentions.size(), 2u);  // the duplicate mention is stored once
  EXPECT_FALSE(rest.next_cursor.has_value());
  auto all = Read([&](Tx& tx) { return AllComments(tx, app, 10); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, made[0].id);  // oldest first
  auto one = Read([&](Tx& tx) { return GetComment(tx, app, made[1].id); });
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->created_at, now_ + 1);
  EXPECT_FALSE(Read([&](Tx& tx) { return GetComment(tx, app2, made[1].id); }).has_value());
  EXPECT_TRUE(Read([&](Tx& tx) { return ListComments(tx, app2, {.limit = 5}); }).items.empty());
  // A mention of an unknown user is refused by the foreign key.
  CommentRecord bad = made[0];
  bad.id = NextId();
  EXPECT_ERROR(Write([&](Tx& tx) { return InsertComment(tx, bad, {NextId()}); }),
               ErrorCode::kConflict, "foreign_key_violation");

  // Notifications: newest first, unread filter, the reader's scope, marking read.
  auto notify = [&](const std::string& to, const std::string& application,
                    const std::optional<std::string>& comment) {
    NotificationRecord n;
    n.id = NextId();
    n.recipient_id = to;
    n.kind = "mention";
    n.application_id = application;
    n.comment_id = comment;
    n.actor_id = hr;
    n.created_at = now_;
    EXPECT_OK(Write([&](Tx& tx) { return InsertNotification(tx, n); }));
    return n.id;
  };
  std::string n1 = notify(m1, app, made[0].id);
  std::string n2 = notify(m1, app, made[1].id);
  std::string n_out = notify(m1, app2, std::nullopt);  // outside manager 1's departments
  std::string n_other = notify(m2, app2, std::nullopt);
  auto list = [&](bool unread, std::optional<std::vector<std::string>> scope) {
    std::vector<std::string> out;
    for (const auto& n : Read([&](Tx& tx) {
                           return ListNotifications(tx, {m1, unread, scope}, {.limit = 10});
                         }).items)
      out.push_back(n.id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list(false, std::nullopt), (V{n_out, n2, n1}));
  EXPECT_EQ(list(false, V{d1}), (V{n2, n1}));
  auto first = Read([&](Tx& tx) {
    return ListNotifications(tx, {m1, false, V{d1}}, {.limit = 1});
  });
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].actor_name, "李晓梅");
  EXPECT_EQ(first.items[0].comment_body_enc, "v1:enc:comment-1");
  EXPECT_EQ(first.items[0].job_title, "招聘专员");
  EXPECT_EQ(first.items[0].department_id, d1);
  EXPECT_EQ(first.next_cursor, n2);
  EXPECT_EQ(Read([&](Tx& tx) { return CountUnreadNotifications(tx, m1, V{d1}); }), 2);
  int64_t marked = -1;
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(marked, MarkNotificationsRead(tx, m1, V{n1, n_other}, now_ + 7));
    return Ok();
  }));
  EXPECT_EQ(marked, 1);  // another recipient's id is ignored
  EXPECT_EQ(list(true, std::nullopt), (V{n_out, n2}));
  EXPECT_EQ(Read([&](Tx& tx) { return CountUnreadNotifications(tx, m2, std::nullopt); }), 1);
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(marked, MarkNotificationsRead(tx, m1, std::nullopt, now_ + 8));
    return Ok();
  }));
  EXPECT_EQ(marked, 2);
  EXPECT_EQ(list(true, std::nullopt), V{});
  auto read = Read([&](Tx& tx) { return ListNotifications(tx, {m1, false, V{d1}}, {.limit = 5}); });
  EXPECT_EQ(read.items.back().read_at, now_ + 7);

  // Erasing the candidate removes the application's comments, mentions and notifications.
  std::string cand = Read([&](Tx& tx) { return GetApplication(tx, app); })->candidate_id;
  ASSERT_OK(Write([&](Tx& tx) { return DeleteCandidate(tx, cand); }));
  EXPECT_EQ(Count("application_comments"), 0);
  EXPECT_EQ(Count("comment_mentions"), 0);
  EXPECT_EQ(Count("notifications"), 2);  // the two about app2
}

TEST_P(WorkspaceRepositoryTest, NameIndexBackfillContactsAndDepartments) {
  std::string d = AddDepartment("市场部");
  std::string with = AddCandidate("已索引", "e-with", "p-with");
  ASSERT_OK(Exec("UPDATE candidates SET name_bidx = 'n1' WHERE id = ?", {with}));
  std::string a = AddCandidate("甲", "e-a"), b = AddCandidate("乙");
  auto rows = Read([&](Tx& tx) { return CandidatesWithoutNameIndex(tx, 10); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, a);
  EXPECT_EQ(rows[0].name_enc, "v1:enc:" + security::Base64UrlEncode("甲"));
  EXPECT_EQ(Read([&](Tx& tx) { return CandidatesWithoutNameIndex(tx, 1); }).size(), 1u);
  ASSERT_OK(Write([&](Tx& tx) { return SetCandidateNameIndex(tx, a, "n-a"); }));
  ASSERT_OK(Write([&](Tx& tx) { return SetCandidateNameIndex(tx, b, ""); }));
  EXPECT_TRUE(Read([&](Tx& tx) { return CandidatesWithoutNameIndex(tx, 10); }).empty());
  auto got = Read([&](Tx& tx) { return GetCandidate(tx, a); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name_bidx, "n-a");
  // The index survives updates through the hiring repository.
  got->source = "猎头";
  ASSERT_OK(Write([&](Tx& tx) { return UpdateCandidate(tx, *got); }));
  EXPECT_EQ(Read([&](Tx& tx) { return GetCandidate(tx, a); })->name_bidx, "n-a");

  auto contacts = Read([&](Tx& tx) { return CandidateContacts(tx, {a, b, NextId()}); });
  std::map<std::string, CandidateContact> by_id;
  for (auto& c : contacts) by_id[c.id] = c;
  ASSERT_EQ(by_id.size(), 2u);
  EXPECT_EQ(by_id[a].email_enc, "v1:enc:email:e-a");
  EXPECT_FALSE(by_id[b].email_enc.has_value());
  EXPECT_TRUE(Read([&](Tx& tx) { return CandidateContacts(tx, {}); }).empty());
  auto depts = Read([&](Tx& tx) { return DepartmentNames(tx); });
  EXPECT_EQ(depts[d], "市场部");
}

INSTANTIATE_TEST_SUITE_P(Adapters, RepositoryContractTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);
INSTANTIATE_TEST_SUITE_P(Adapters, AuditTamperTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);
INSTANTIATE_TEST_SUITE_P(Adapters, AuthContractTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);
INSTANTIATE_TEST_SUITE_P(Adapters, WorkspaceRepositoryTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace zm::storage
