// Supervised scoring use cases (issue #4): HR ratings of answers per question (and per
// competency dimension), their CSV/TSV import, the registry of trained models (versions,
// cross-validated metrics, activation and rollback) and the background training runner.
//
// Views are JSON documents in the API's shape (docs/api-resources.md, "Supervised scoring").
// Errors are Result values; services never name HTTP codes:
//  - unknown question, rating, answer or model version: kNotFound;
//  - kConflict "not_enough_ratings" (fewer than min_ratings ratings: the question keeps the
//    rubric scorer), "model_not_ready" (activating a run that is training or failed),
//    "duplicate_rating" (that answer is rated already for that dimension),
//    "ratings_outside_scale" (see CheckScaleChange);
//  - kInvalidArgument "validation_failed": label outside the question's scale, unknown
//    dimension, malformed import (strict, or a label outside the scale: the whole file is
//    refused and nothing is stored; details name the lines).
// Access: the routes require questions:write (pii:read to list ratings, whose texts are
// candidates' answers); rating an interview answer also checks the answer's department scope.
//
// Thread safety: every method may be called from many threads. Training is a durable job of kind
// "model.train" (payload {"model_id"}, idempotency key "model.train:<model id>") enqueued in the
// transaction that registers the run, so any `zhimian serve` or `zhimian worker` node with job
// workers trains it, and a run whose worker died is trained again by another worker once the
// job's lease expires (the row stays "training"; its progress starts again from 0).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "security/principal.h"
#include "storage/database.h"
#include "storage/page.h"

namespace zm::security {
class FieldCipher;
}
namespace zm::scoring::supervised {
class Model;
}
namespace zm::jobs {
class JobContext;
class Registry;
}  // namespace zm::jobs

namespace zm::services {

using security::Context;

struct ModelSettings {
  // Fewer ratings of a (question, dimension): no training, the rubric scorer stays.
  int min_ratings = 50;
  // Threads of one training run (the HTTP server keeps the others).
  int train_threads = 1;
  // Job lease and poll interval of the workers TrainNow runs (the CLI); as [jobs].
  int64_t job_lease_ms = 60000;
  int64_t job_poll_ms = 500;
};

inline constexpr const char* kModelTrainJob = "model.train";

struct RatingCreate {
  int label = 0;
  std::string dimension_key;             // "" : the whole answer
  std::optional<std::string> answer_id;  // rate an interview answer to this question ...
  std::optional<std::string> text;       // ... or a free-text example answer (exactly one)
};

struct RatingImport {
  std::string body;  // the uploaded file
  bool csv = false;  // comma- instead of tab-separated
  bool strict = false;
  std::string dimension_key;
};

struct TrainRequest {
  std::string dimension_key;
  std::optional<int> folds;      // 2..20, default 5
  std::optional<uint64_t> seed;  // default 42
};

// Active models of the questions, loaded once per model id and shared (immutable models).
// Thread-safe.
class ModelCache {
 public:
  struct Active {
    std::string model_id, dimension_key;
    int64_t version = 0;
    int max_label = 0;
    std::shared_ptr<const scoring::supervised::Model> model;
  };
  // The active models of `question_id` (none: the rubric scores it). A stored model that fails
  // to load is skipped (logged): scoring falls back to the rubric rather than failing.
  Result<std::vector<Active>> ForQuestion(storage::Tx& tx, const std::string& question_id);

 private:
  struct Entry {
    std::string question_id;
    std::shared_ptr<const scoring::supervised::Model> model;
  };
  std::mutex mu_;
  // Loaded models by id; a question's entries that are no longer active are dropped when the
  // question is next looked up, so the cache holds about one model per active pair.
  std::map<std::string, Entry> by_id_;
};

class ModelService {
 public:
  ModelService(storage::Database& db, const security::FieldCipher& cipher, ModelSettings settings);
  ModelService(const ModelService&) = delete;
  ModelService& operator=(const ModelService&) = delete;

  // Registers the "model.train" handler (RunJob). The service must outlive the registry's
  // workers.
  void RegisterJobHandlers(jobs::Registry& registry);
  // Once per serving node at start: every run still "training" gets its model.train job (runs
  // registered before training moved to the job queue have none; the idempotency key makes
  // this a no-op otherwise), and a run whose job is dead (every attempt's worker died) is marked
  // failed so that it does not stay "training" forever.
  Status Start();

  // The model.train handler: trains the job's run, writing progress into the model row, and
  // finishes it "ready" or "failed" in the transaction that completes the job. A run that is
  // no longer training completes the job without work. Storage errors are returned (the job is
  // retried) except on the job's last attempt, which fails the run instead.
  Status RunJob(jobs::JobContext& job);

  // ---- ratings ----
  Result<nlohmann::json> ListRatings(const Context& ctx, const std::string& question_id,
                                     const std::optional<std::string>& dimension_key,
                                     const storage::PageRequest& page);
  Result<nlohmann::json> CreateRating(const Context& ctx, const std::string& question_id,
                                      const RatingCreate& create);
  Status DeleteRating(const Context& ctx, const std::string& question_id,
                      const std::string& rating_id);
  // {"imported", "skipped", "rows", "problems": [{"line", "message"}]}; all rows in one
  // transaction.
  Result<nlohmann::json> ImportRatings(const Context& ctx, const std::string& question_id,
                                       const RatingImport& upload);

  // ---- registry ----
  // Registers a run (status "training", progress 0) and enqueues its model.train job in the
  // same transaction; returns its view.
  Result<nlohmann::json> StartTraining(const Context& ctx, const std::string& question_id,
                                       const TrainRequest& request);
  // The CLI: registers the run like StartTraining, then runs one job worker of kind model.train
  // in this process until the run is finished (by this worker or by another node's). The view
  // of the finished run (status "ready" or "failed"); kConflict "not_enough_ratings" before.
  Result<nlohmann::json> TrainNow(const Context& ctx, const std::string& question_id,
                                  const TrainRequest& request);
  // {"items", "next_cursor", "scoring"}: scoring says which scorer each dimension uses and why.
  Result<nlohmann::json> ListModels(const Context& ctx, const std::string& question_id,
                                    const std::optional<std::string>& dimension_key,
                                    const storage::PageRequest& page);
  Result<nlohmann::json> GetModel(const Context& ctx, const std::string& question_id,
                                  int64_t version);
  // Makes the version the active model of its (question, dimension): activation and rollback.
  Result<nlohmann::json> Activate(const Context& ctx, const std::string& question_id,
                                  int64_t version);
  // The (question, dimension) of the version goes back to the rubric scorer.
  Result<nlohmann::json> Deactivate(const Context& ctx, const std::string& question_id,
                                    int64_t version);

  ModelCache& cache() { return cache_; }

 private:
  Result<std::string> Register(const Context& ctx, const std::string& question_id,
                               const TrainRequest& request);

  storage::Database& db_;
  const security::FieldCipher& cipher_;
  ModelSettings settings_;
  ModelCache cache_;
};

}  // namespace zm::services
