// ModelService (ratings, import, registry, training) and ApplySupervisedModels (the score
// document of an answer scored by a model) on a real SQLite database with real training.
#include "services/model_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/competency_model.h"
#include "jobs/queue.h"
#include "jobs/worker.h"
#include "security/crypto.h"
#include "services/documents.h"
#include "services/supervised_document.h"
#include "storage/hiring_repository.h"
#include "storage/migrations.h"
#include "storage/model_repository.h"

namespace zm::services {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Answers whose content matches their rating 0..3, in Chinese.
std::string Answer(int label, int i) {
  static const char* kGood[] = {"我先倾听客户需求，", "和售前团队设计分阶段方案，",
                                "经过三轮谈判达成双赢，"};
  std::string n = std::to_string(i);
  switch (label) {
    case 3:
      return "2023年我负责一个" + n + "万元的客户。" + kGood[0] + kGood[1] + kGood[2] +
             "最终客户续约并增购30%。";
    case 2:
      return "去年客户准备流失，" + std::string(kGood[i % 3]) + kGood[(i + 1) % 3] + "第" + n +
             "次拜访。";
    case 1:
      return "我觉得应该多沟通，" + std::string(kGood[i % 3]) + "看情况吧" + n + "。";
    default:
      return "可能会打电话问问吧，差不多就行，第" + n + "次。";
  }
}

class ModelServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogQuiet(true);
    dir_ = fs::temp_directory_path() / ("zm_model_service_test_" + NewId());
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "zhimian.db").string());
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(storage::Migrate(*db_).has_value());
    auto cipher = security::FieldCipher::Create(std::string(32, 'k'));
    ASSERT_TRUE(cipher.has_value());
    cipher_ = std::make_unique<security::FieldCipher>(std::move(*cipher));
    service_ = std::make_unique<ModelService>(*db_, *cipher_,
                                              ModelSettings{.min_ratings = 20, .train_threads = 1});
    ctx_.principal = security::Principal::System();
    domain::Question q;
    q.id = NewId();
    q.text.zh = "请讲一个你挽回重要客户的经历。";
    q.dimension_keys = {"communication"};
    q.rating_max = 3;
    q.created_at = q.updated_at = NowMillis();
    question_ = q.id;
    ASSERT_TRUE(
        db_->Write([&](storage::Tx& tx) { return storage::InsertQuestion(tx, ToRecord(q)); })
            .has_value());
  }
  void TearDown() override {
    service_.reset();
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void ImportRated(int n, const std::string& dimension = "") {
    std::string tsv = "label\ttext\n";
    for (int i = 0; i < n; ++i) tsv += std::to_string(i % 4) + "\t" + Answer(i % 4, i) + "\n";
    auto r = service_->ImportRatings(ctx_, question_, {tsv, false, false, dimension});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ((*r)["imported"], n);
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<security::FieldCipher> cipher_;
  std::unique_ptr<ModelService> service_;
  Context ctx_;
  std::string question_;
};

TEST_F(ModelServiceTest, CreateRatingValidatesScaleDimensionAndSource) {
  auto ok = service_->CreateRating(ctx_, question_, {2, "", std::nullopt, "一个示例回答"});
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ((*ok)["label"], 2);
  EXPECT_EQ((*ok)["source"], "example");
  EXPECT_TRUE((*ok)["dimension_key"].is_null());
  EXPECT_EQ((*ok)["text_chars"], 6);

  auto bad_label = service_->CreateRating(ctx_, question_, {4, "", std::nullopt, "x"});
  ASSERT_FALSE(bad_label.has_value());
  EXPECT_EQ(bad_label.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_label.error().details.at(0).field, "label");
  auto both = service_->CreateRating(ctx_, question_, {1, "", NewId(), "x"});
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().code, ErrorCode::kInvalidArgument);
  auto dim = service_->CreateRating(ctx_, question_, {1, "teamwork", std::nullopt, "x"});
  ASSERT_FALSE(dim.has_value());
  EXPECT_EQ(dim.error().details.at(0).field, "dimension_key");
  auto no_answer = service_->CreateRating(ctx_, question_, {1, "", NewId(), std::nullopt});
  ASSERT_FALSE(no_answer.has_value());
  EXPECT_EQ(no_answer.error().code, ErrorCode::kNotFound);
  auto no_question = service_->CreateRating(ctx_, NewId(), {1, "", std::nullopt, "x"});
  ASSERT_FALSE(no_question.has_value());
  EXPECT_EQ(no_question.error().code, ErrorCode::kNotFound);

  auto list = service_->ListRatings(ctx_, question_, std::nullopt, {});
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ((*list)["items"].size(), 1u);
  EXPECT_EQ((*list)["items"][0]["text"], "一个示例回答");
  EXPECT_EQ((*list)["rating_max"], 3);
  // Stored encrypted, bound to the rating id.
  auto stored = db_->ReadValue<std::vector<storage::RatingRecord>>(
      [&](storage::Tx& tx) { return storage::AllRatings(tx, question_, ""); });
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().text_enc.find("示例"), std::string::npos);
}

TEST_F(ModelServiceTest, ImportReportsLinesSkipsAndRefuses) {
  std::string tsv =
      "label\ttext\n2\t好的回答\n3\n"
      "x\t坏标签\n"
      "1\t\n"
      "0\t差\n";
  auto r = service_->ImportRatings(ctx_, question_, {tsv, false, false, ""});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ((*r)["rows"], 5);
  EXPECT_EQ((*r)["imported"], 2);
  EXPECT_EQ((*r)["skipped"], 3);
  std::vector<int> lines;
  for (const auto& p : (*r)["problems"]) lines.push_back(p["line"].get<int>());
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5}));
  EXPECT_EQ((*r)["problems"][2]["message"], "empty answer text");

  // strict: the first problem refuses the file; nothing more is stored.
  auto strict = service_->ImportRatings(ctx_, question_, {tsv, false, true, ""});
  ASSERT_FALSE(strict.has_value());
  EXPECT_NE(strict.error().details.at(0).message.find("line 3"), std::string::npos);
  // A label outside the scale refuses the file whatever strict says.
  auto scale = service_->ImportRatings(ctx_, question_, {"label\ttext\n9\tx\n", false, false, ""});
  ASSERT_FALSE(scale.has_value());
  EXPECT_NE(scale.error().details.at(0).message.find("0..3"), std::string::npos);
  // CSV with quoting.
  auto csv = service_->ImportRatings(ctx_, question_,
                                     {"score,answer\n3,\"先倾听, 再谈判\"\n", true, false, ""});
  ASSERT_TRUE(csv.has_value()) << csv.error().message;
  EXPECT_EQ((*csv)["imported"], 1);
  auto all = service_->ListRatings(ctx_, question_, std::nullopt, {});
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ((*all)["items"].size(), 3u);
  EXPECT_EQ((*all)["items"][0]["text"], "先倾听, 再谈判");
}

TEST_F(ModelServiceTest, TrainActivateScoreAndFailedRunKeepsActive) {
  ImportRated(12);
  auto few = service_->StartTraining(ctx_, question_, {});
  ASSERT_FALSE(few.has_value());
  EXPECT_EQ(few.error().code, ErrorCode::kConflict);
  EXPECT_EQ(few.error().reason, "not_enough_ratings");
  EXPECT_NE(few.error().message.find("12"), std::string::npos);
  EXPECT_NE(few.error().message.find("20"), std::string::npos);

  ImportRated(28);
  auto trained = service_->TrainNow(ctx_, question_, {.folds = 4});
  ASSERT_TRUE(trained.has_value()) << trained.error().message;
  EXPECT_EQ((*trained)["status"], "ready") << trained->dump();
  EXPECT_EQ((*trained)["version"], 1);
  EXPECT_EQ((*trained)["examples"], 40);
  EXPECT_EQ((*trained)["progress"], 1.0);
  EXPECT_GT((*trained)["cv_qwk"].get<double>(), 0.5);
  EXPECT_EQ((*trained)["metrics"]["label_counts"], json({10, 10, 10, 10}));
  EXPECT_EQ((*trained)["options"]["folds"], 4);

  auto activated = service_->Activate(ctx_, question_, 1);
  ASSERT_TRUE(activated.has_value()) << activated.error().message;
  EXPECT_TRUE((*activated)["active"].get<bool>());

  // A dimension whose ratings all agree: the run fails; version 1 stays active.
  std::string same = "label\ttext\n";
  for (int i = 0; i < 20; ++i) same += "2\t" + Answer(2, i) + "\n";
  ASSERT_TRUE(service_->ImportRatings(ctx_, question_, {same, false, false, "communication"}));
  auto failed = service_->TrainNow(ctx_, question_, {.dimension_key = "communication"});
  ASSERT_TRUE(failed.has_value()) << failed.error().message;
  EXPECT_EQ((*failed)["status"], "failed");
  EXPECT_NE((*failed)["error"].get<std::string>().find("same label"), std::string::npos);
  auto not_ready = service_->Activate(ctx_, question_, 2);
  ASSERT_FALSE(not_ready.has_value());
  EXPECT_EQ(not_ready.error().reason, "model_not_ready");

  auto listed = service_->ListModels(ctx_, question_, std::nullopt, {});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ((*listed)["items"].size(), 2u);
  const json& whole = (*listed)["scoring"][0];
  EXPECT_TRUE(whole["dimension_key"].is_null());
  EXPECT_EQ(whole["scorer"], "supervised");
  EXPECT_EQ(whole["active_version"], 1);
  const json& comm = (*listed)["scoring"][1];
  EXPECT_EQ(comm["dimension_key"], "communication");
  EXPECT_EQ(comm["scorer"], "rubric");
  EXPECT_EQ(comm["ratings"], 20);

  // The cache hands out the active model; the score document takes its score and spans.
  auto active = db_->ReadValue<std::vector<ModelCache::Active>>(
      [&](storage::Tx& tx) { return service_->cache().ForQuestion(tx, question_); });
  ASSERT_TRUE(active.has_value());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(active->front().version, 1);
  EXPECT_EQ(active->front().max_label, 3);

  domain::CompetencyModel cm;
  domain::Dimension d;
  d.key = "communication";
  d.level_anchors = {"L1", "L2", "L3", "L4", "L5"};
  cm.dimensions.push_back(d);
  const std::string answer = Answer(3, 7);
  const std::string follow_up = "补充：我先倾听客户需求。";
  json doc = {{"dimensions", json::array({{{"dimension_key", "communication"},
                                           {"score", 40.0},
                                           {"level", 3},
                                           {"level_anchor", "L3"},
                                           {"explanation_zh", "规则"},
                                           {"explanation_en", "rubric"}}})},
              {"empty", false},
              {"scorer", "rubric"}};
  ASSERT_TRUE(ApplySupervisedModels(doc, *active, answer, follow_up, cm));
  EXPECT_EQ(doc["scorer"], "supervised");
  EXPECT_EQ(doc["model_version"], 1);
  ASSERT_EQ(doc["models"].size(), 1u);
  const json& dim = doc["dimensions"][0];
  EXPECT_EQ(dim["scorer"], "supervised");
  EXPECT_EQ(dim["model"]["rubric_score"], 40.0);
  EXPECT_GT(dim["score"].get<double>(), 60.0) << dim.dump();
  EXPECT_EQ(dim["level_anchor"], "L" + std::to_string(dim["level"].get<int>()));
  EXPECT_NE(dim["explanation_zh"].get<std::string>().find("版本 1"), std::string::npos);
  // Evidence offsets are code points into the part they name.
  auto cp_substr = [](const std::string& s, size_t b, size_t e) {
    std::u32string u;
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      u.push_back(static_cast<char32_t>(i));  // byte offset of the code point
      i += len;
    }
    size_t bb = b < u.size() ? static_cast<size_t>(u[b]) : s.size();
    size_t eb = e < u.size() ? static_cast<size_t>(u[e]) : s.size();
    return s.substr(bb, eb - bb);
  };
  size_t spans = 0;
  for (const auto& c : dim["model"]["contributions"])
    for (const auto& e : c["evidence"]) {
      const std::string& part = e["part"] == "answer" ? answer : follow_up;
      EXPECT_EQ(cp_substr(part, e["begin"], e["end"]), e["text"].get<std::string>()) << e.dump();
      ++spans;
    }
  EXPECT_GT(spans, 0u);

  // A weak answer scores lower; an empty answer keeps the rubric's zero.
  json weak = doc;
  weak["dimensions"][0]["score"] = 40.0;
  ASSERT_TRUE(ApplySupervisedModels(weak, *active, Answer(0, 3), "", cm));
  EXPECT_LT(weak["dimensions"][0]["score"].get<double>(), dim["score"].get<double>());
  json empty = {{"dimensions", json::array({{{"dimension_key", "communication"}, {"score", 0.0}}})},
                {"empty", true}};
  EXPECT_FALSE(ApplySupervisedModels(empty, *active, "", "", cm));
  EXPECT_EQ(empty["dimensions"][0]["scorer"], "rubric");
  EXPECT_TRUE(empty["model_version"].is_null());

  // Deactivate: the question goes back to the rubric.
  ASSERT_TRUE(service_->Deactivate(ctx_, question_, 1).has_value());
  active = db_->ReadValue<std::vector<ModelCache::Active>>(
      [&](storage::Tx& tx) { return service_->cache().ForQuestion(tx, question_); });
  ASSERT_TRUE(active.has_value());
  EXPECT_TRUE(active->empty());
}

// The model row of `version` once it is no longer training (or after `timeout`).
json WaitFinished(ModelService& service, const security::Context& ctx, const std::string& question,
                  int64_t version, std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto got = service.GetModel(ctx, question, version);
    if (!got) return json{{"error", got.error().message}};
    if ((*got)["status"] != "training" || std::chrono::steady_clock::now() >= deadline) return *got;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST_F(ModelServiceTest, TrainingIsAJobThatAWorkerRunsAndRetriesAfterADeadWorker) {
  ImportRated(24);
  jobs::Queue queue(*db_);
  // Registering a run enqueues its model.train job in the same transaction.
  auto started = service_->StartTraining(ctx_, question_, {.folds = 3});
  ASSERT_TRUE(started.has_value()) << started.error().message;
  EXPECT_EQ((*started)["status"], "training");
  const std::string id1 = (*started)["id"];
  auto listed = queue.List({.kind = std::string(kModelTrainJob)}, {});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].idempotency_key, "model.train:" + id1);
  EXPECT_EQ(json::parse(listed->items[0].payload_json)["model_id"], id1);

  // A worker that claims the job and dies: its lease expires, another worker trains the run.
  auto claimed = queue.Claim("dead-worker", {kModelTrainJob}, /*lease_ms=*/1);
  ASSERT_TRUE(claimed.has_value() && claimed->has_value());
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                   ZM_RETURN_IF_ERROR(storage::StartModelAttempt(tx, id1, NowMillis()));
                   return storage::UpdateModelProgress(tx, id1, 0.5);
                 })
                  .has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  jobs::Registry registry;
  service_->RegisterJobHandlers(registry);
  {
    jobs::WorkerPool pool(queue, registry, {.threads = 1, .lease_ms = 60000, .poll_ms = 20});
    pool.Start();
    json done = WaitFinished(*service_, ctx_, question_, 1);
    EXPECT_EQ(done["status"], "ready") << done.dump();
    EXPECT_EQ(done["progress"], 1.0);
    pool.Stop();
  }
  auto job = queue.Get((*claimed)->id);
  ASSERT_TRUE(job.has_value() && job->has_value());
  EXPECT_EQ((*job)->state, jobs::JobState::kDone);
  EXPECT_EQ((*job)->attempts, 2);  // the dead worker's attempt counts

  // Start(): a training run without a job (registered before the queue) gets one; a run whose
  // job is dead is failed rather than left training.
  auto v2 = service_->StartTraining(ctx_, question_, {});
  auto v3 = service_->StartTraining(ctx_, question_, {});
  ASSERT_TRUE(v2.has_value() && v3.has_value());
  ASSERT_TRUE(
      db_->Write([&](storage::Tx& tx) -> Status {
           ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM background_jobs WHERE idempotency_key = ?",
                                      {"model.train:" + (*v2)["id"].get<std::string>()}));
           ZM_RETURN_IF_ERROR(
               tx.Exec("UPDATE background_jobs SET state = 'dead' WHERE idempotency_key = ?",
                       {"model.train:" + (*v3)["id"].get<std::string>()}));
           return Ok();
         })
          .has_value());
  ASSERT_TRUE(service_->Start().has_value());
  json failed = WaitFinished(*service_, ctx_, question_, 3, std::chrono::seconds(0));
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_NE(failed["error"].get<std::string>().find("interrupted"), std::string::npos);
  {
    jobs::WorkerPool pool(queue, registry, {.threads = 1, .lease_ms = 60000, .poll_ms = 20});
    pool.Start();
    EXPECT_EQ(WaitFinished(*service_, ctx_, question_, 2)["status"], "ready");
    pool.Stop();
  }

  // TrainNow (the CLI) runs its own worker and returns the finished run.
  auto now = service_->TrainNow(ctx_, question_, {.folds = 3});
  ASSERT_TRUE(now.has_value()) << now.error().message;
  EXPECT_EQ((*now)["status"], "ready");
  EXPECT_EQ((*now)["version"], 4);
}

}  // namespace
}  // namespace zm::services
