// The contract of model_repository.h (answer ratings and the model registry) on both adapters:
// SQLite always, PostgreSQL when ZHIMIAN_TEST_PG_URL is set (each test in its own schema).
#include "storage/model_repository.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/time.h"
#include "storage/contract_test_support.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace zm::storage {
namespace {

namespace fs = std::filesystem;
using namespace zm::storage::testing;  // NOLINT: test scaffolding

#define EXPECT_OK(expr)                                                                      \
  do {                                                                                       \
    const auto& zm_r_ = (expr);                                                              \
    EXPECT_TRUE(zm_r_.has_value()) << zm_r_.error().reason << ": " << zm_r_.error().message; \
  } while (0)

class ModelRepositoryTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      base_url_ = PgTestUrl();
      if (base_url_.empty()) GTEST_SKIP() << kPgSkipMessage;
      auto schema = CreatePgSchema(base_url_, "zm_model_repo_", &url_);
      ASSERT_OK(schema);
      schema_ = *schema;
    } else {
      dir_ = fs::temp_directory_path() / ("zm_model_repository_test_" + UniqueSuffix());
      url_ = "sqlite:" + (dir_ / "zhimian.db").string();
    }
    auto db = Database::Open(url_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_OK(Migrate(*db_));
    now_ = NowMillis();
    question_ = AddQuestion();
  }

  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) DropPgSchema(base_url_, schema_);
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  std::string NextId() {
    ++seq_;
    return MakeId(now_ - 3'600'000 + seq_, 0, static_cast<uint64_t>(seq_));
  }

  std::string AddQuestion() {
    std::string id = NextId();
    EXPECT_OK(db_->Write([&](Tx& tx) -> Status {
      ZM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO questions (id, job_id, type, text_zh, text_en, body, created_at, "
                  "updated_at) VALUES (?, NULL, 'behavioural', '请举例', '', '{}', ?, ?)",
                  {id, now_, now_}));
      return Ok();
    }));
    return id;
  }

  RatingRecord Rating(int64_t label, std::string dimension = "") {
    RatingRecord r;
    r.id = NextId();
    r.question_id = question_;
    r.dimension_key = std::move(dimension);
    r.label = label;
    r.source = "example";
    r.text_enc = "v1:enc:" + r.id;
    r.text_chars = 12;
    r.created_by = "user:hr";
    r.created_at = now_;
    return r;
  }

  ModelRecord Model(std::string dimension = "") {
    ModelRecord m;
    m.id = NextId();
    m.question_id = question_;
    m.dimension_key = std::move(dimension);
    m.status = "training";
    m.max_label = 3;
    m.options = R"({"folds":5})";
    m.created_by = "user:hr";
    m.created_at = now_;
    return m;
  }

  template <class Fn>
  Status Write(Fn fn) {
    return db_->Write([&](Tx& tx) -> Status { return AsStatus(fn(tx)); });
  }
  // Runs fn in a write transaction and returns its value (T{} on failure, which fails the test).
  template <class T>
  T WriteV(const std::function<Result<T>(Tx&)>& fn) {
    auto r = db_->WriteValue<T>(fn);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : T{};
  }
  template <class T>
  T Read(const std::function<Result<T>(Tx&)>& fn) {
    auto r = db_->ReadValue<T>(fn);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : T{};
  }

  std::unique_ptr<Database> db_;
  std::string base_url_, url_, schema_, question_;
  fs::path dir_;
  int64_t now_ = 0;
  int seq_ = 0;
};

TEST_P(ModelRepositoryTest, RatingsRoundTripCountPageAndDelete) {
  std::vector<RatingRecord> rs = {Rating(0), Rating(3), Rating(2, "communication"), Rating(1)};
  for (const auto& r : rs) ASSERT_OK(Write([&](Tx& tx) { return InsertRating(tx, r); }));

  auto got = Read<std::optional<RatingRecord>>([&](Tx& tx) { return GetRating(tx, rs[1].id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->question_id, question_);
  EXPECT_EQ(got->label, 3);
  EXPECT_EQ(got->text_enc, rs[1].text_enc);
  EXPECT_EQ(got->source, "example");
  EXPECT_FALSE(got->answer_id.has_value());
  EXPECT_EQ(got->created_at, now_);

  EXPECT_EQ(Read<int64_t>([&](Tx& tx) { return CountRatings(tx, question_, ""); }), 3);
  EXPECT_EQ(Read<int64_t>([&](Tx& tx) { return CountRatings(tx, question_, "communication"); }), 1);
  auto max = Read<std::optional<int64_t>>([&](Tx& tx) { return MaxRatingLabel(tx, question_); });
  EXPECT_EQ(max, std::optional<int64_t>(3));

  // Oldest first for training, only the requested dimension.
  auto all = Read<std::vector<RatingRecord>>([&](Tx& tx) { return AllRatings(tx, question_, ""); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, rs[0].id);
  EXPECT_EQ(all[2].id, rs[3].id);

  // Newest first, two per page, dimension filter.
  auto p1 = Read<Page<RatingRecord>>([&](Tx& tx) {
    return ListRatings(tx, question_, std::nullopt, {std::nullopt, 2});
  });
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_EQ(p1.items[0].id, rs[3].id);
  ASSERT_TRUE(p1.next_cursor.has_value());
  auto p2 = Read<Page<RatingRecord>>([&](Tx& tx) {
    return ListRatings(tx, question_, std::nullopt, {p1.next_cursor, 2});
  });
  ASSERT_EQ(p2.items.size(), 2u);
  EXPECT_EQ(p2.items[1].id, rs[0].id);
  EXPECT_FALSE(p2.next_cursor.has_value());
  auto comm = Read<Page<RatingRecord>>([&](Tx& tx) {
    return ListRatings(tx, question_, "communication", {std::nullopt, 50});
  });
  ASSERT_EQ(comm.items.size(), 1u);
  EXPECT_EQ(comm.items[0].dimension_key, "communication");

  EXPECT_TRUE(WriteV<bool>([&](Tx& tx) { return DeleteRating(tx, rs[0].id); }));
  EXPECT_FALSE(WriteV<bool>([&](Tx& tx) { return DeleteRating(tx, rs[0].id); }));
  EXPECT_EQ(Read<int64_t>([&](Tx& tx) { return CountRatings(tx, question_, ""); }), 2);
  EXPECT_FALSE(Read<std::optional<RatableAnswer>>([&](Tx& tx) {
                 return GetRatableAnswer(tx, "01NOSUCHANSWER0000000000000");
               }).has_value());
}

TEST_P(ModelRepositoryTest, RatingOfUnknownQuestionIsAForeignKeyViolation) {
  auto r = Rating(1);
  r.question_id = NextId();
  auto st = Write([&](Tx& tx) { return InsertRating(tx, r); });
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().reason, "foreign_key_violation");
}

TEST_P(ModelRepositoryTest, RegistryVersionsClaimProgressFinishAndActivation) {
  EXPECT_EQ(Read<int64_t>([&](Tx& tx) { return NextModelVersion(tx, question_); }), 1);
  auto m1 = Model();
  m1.version = 1;
  ASSERT_OK(Write([&](Tx& tx) { return InsertModel(tx, m1); }));
  EXPECT_EQ(Read<int64_t>([&](Tx& tx) { return NextModelVersion(tx, question_); }), 2);
  // The same version twice: a unique violation (concurrent requests).
  auto dup = Model();
  dup.version = 1;
  auto st = Write([&](Tx& tx) { return InsertModel(tx, dup); });
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().reason, "unique_violation");

  auto training = Read<std::vector<ModelRecord>>([&](Tx& tx) { return TrainingModels(tx); });
  ASSERT_EQ(training.size(), 1u);
  EXPECT_FALSE(training[0].started_at.has_value());
  // Only the first claim wins.
  EXPECT_TRUE(WriteV<bool>([&](Tx& tx) { return ClaimModel(tx, m1.id, now_ + 1); }));
  EXPECT_FALSE(WriteV<bool>([&](Tx& tx) { return ClaimModel(tx, m1.id, now_ + 2); }));
  ASSERT_OK(Write([&](Tx& tx) { return UpdateModelProgress(tx, m1.id, 0.4); }));
  auto got = Read<std::optional<ModelRecord>>([&](Tx& tx) { return GetModelById(tx, m1.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_DOUBLE_EQ(got->progress, 0.4);
  EXPECT_EQ(got->started_at, std::optional<int64_t>(now_ + 1));

  ModelRecord done = *got;
  done.status = "ready";
  done.progress = 1;
  done.examples = 60;
  done.data_hash = "abc123";
  done.metrics = R"({"cv_qwk":0.8})";
  done.cv_qwk = 0.8;
  done.cv_pearson = 0.85;
  done.finished_at = now_ + 5;
  ASSERT_OK(Write([&](Tx& tx) { return FinishModel(tx, done, std::string("{\"model\":1}")); }));
  // Progress after the end is ignored.
  ASSERT_OK(Write([&](Tx& tx) { return UpdateModelProgress(tx, m1.id, 0.1); }));
  got = Read<std::optional<ModelRecord>>([&](Tx& tx) { return GetModelVersion(tx, question_, 1); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, "ready");
  EXPECT_DOUBLE_EQ(got->progress, 1.0);
  EXPECT_EQ(got->examples, 60);
  EXPECT_EQ(got->data_hash, std::optional<std::string>("abc123"));
  EXPECT_EQ(got->cv_qwk, std::optional<double>(0.8));
  EXPECT_EQ(got->options, R"({"folds":5})");
  EXPECT_EQ(Read<std::optional<std::string>>([&](Tx& tx) { return GetModelBytes(tx, m1.id); }),
            std::optional<std::string>("{\"model\":1}"));
  EXPECT_TRUE(Read<std::vector<ModelRecord>>([&](Tx& tx) { return TrainingModels(tx); }).empty());

  // A second ready version; activation keeps one active per (question, dimension).
  auto m2 = Model();
  m2.version = 2;
  m2.status = "ready";
  ASSERT_OK(Write([&](Tx& tx) { return InsertModel(tx, m2); }));
  auto m3 = Model("communication");
  m3.version = 3;
  m3.status = "ready";
  ASSERT_OK(Write([&](Tx& tx) { return InsertModel(tx, m3); }));
  ASSERT_OK(Write([&](Tx& tx) { return SetActiveModel(tx, question_, "", m1.id, now_); }));
  ASSERT_OK(
      Write([&](Tx& tx) { return SetActiveModel(tx, question_, "communication", m3.id, now_); }));
  ASSERT_OK(Write([&](Tx& tx) { return SetActiveModel(tx, question_, "", m2.id, now_ + 9); }));
  auto active = Read<std::vector<ModelRecord>>([&](Tx& tx) { return ActiveModels(tx, question_); });
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].id, m2.id);
  EXPECT_EQ(active[0].activated_at, std::optional<int64_t>(now_ + 9));
  EXPECT_EQ(active[1].id, m3.id);
  // Roll back to version 1, then deactivate the pair.
  ASSERT_OK(Write([&](Tx& tx) { return SetActiveModel(tx, question_, "", m1.id, now_ + 10); }));
  active = Read<std::vector<ModelRecord>>([&](Tx& tx) { return ActiveModels(tx, question_); });
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].id, m1.id);
  ASSERT_OK(Write([&](Tx& tx) { return SetActiveModel(tx, question_, "", std::nullopt, now_); }));
  active = Read<std::vector<ModelRecord>>([&](Tx& tx) { return ActiveModels(tx, question_); });
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, m3.id);
  // The index refuses a second active row of a pair written behind SetActiveModel's back.
  auto both = Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(
        tx.Exec("UPDATE scoring_models SET active = 1 WHERE question_id = ? AND "
                "dimension_key = ''",
                {question_}));
    return Ok();
  });
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().reason, "unique_violation");

  auto page = Read<Page<ModelRecord>>([&](Tx& tx) {
    return ListModels(tx, question_, std::nullopt, {std::nullopt, 2});
  });
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].version, 3);
  EXPECT_TRUE(page.next_cursor.has_value());
  auto comm = Read<Page<ModelRecord>>([&](Tx& tx) {
    return ListModels(tx, question_, "communication", {std::nullopt, 50});
  });
  ASSERT_EQ(comm.items.size(), 1u);

  // Deleting the question removes its ratings and models.
  ASSERT_OK(Write([&](Tx& tx) { return InsertRating(tx, Rating(2)); }));
  ASSERT_OK(Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM question_dimensions WHERE question_id = ?", {question_}));
    ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM questions WHERE id = ?", {question_}));
    return Ok();
  }));
  EXPECT_EQ(Read<int64_t>([&](Tx& tx) { return CountRatings(tx, question_, ""); }), 0);
  EXPECT_FALSE(Read<std::optional<ModelRecord>>([&](Tx& tx) {
                 return GetModelById(tx, m1.id);
               }).has_value());
}

INSTANTIATE_TEST_SUITE_P(Adapters, ModelRepositoryTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace zm::storage
