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
// Thread safety: every method may be called from many threads. Training runs on one background
// thread owned by the service (Start/Stop), one run at a time; queued runs wait in the
// database (status "training", started_at null), so a restart resumes them.
// TODO(jobs): run training as job kind "model.train" on the durable job queue once src/jobs
// lands, so any worker node can take a run and a crashed run is retried by lease expiry.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

namespace zm::services {

using security::Context;

struct ModelSettings {
  // Fewer ratings of a (question, dimension): no training, the rubric scorer stays.
  int min_ratings = 50;
  // Threads of one training run (the HTTP server keeps the others).
  int train_threads = 1;
};

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
  // Stops the training thread (a run in progress finishes first).
  ~ModelService();
  ModelService(const ModelService&) = delete;
  ModelService& operator=(const ModelService&) = delete;

  // Starts the training thread and queues the runs the database holds as waiting. Runs that
  // were started but never finished (the process died) are marked failed ("interrupted").
  Status Start();
  void Stop();

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
  // Registers a run (status "training", progress 0) and queues it; returns its view.
  Result<nlohmann::json> StartTraining(const Context& ctx, const std::string& question_id,
                                       const TrainRequest& request);
  // Trains in the calling thread (the CLI): registers, trains and finishes the run. The view
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

  // Blocks until the training queue is empty and idle (tests, shutdown of the CLI).
  void WaitIdle();

  ModelCache& cache() { return cache_; }

 private:
  Result<std::string> Register(const Context& ctx, const std::string& question_id,
                               const TrainRequest& request);
  // Runs one registered model to the end (ready or failed); never leaves it training.
  void Run(const std::string& model_id);
  void Loop();

  storage::Database& db_;
  const security::FieldCipher& cipher_;
  ModelSettings settings_;
  ModelCache cache_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  bool busy_ = false;
  std::thread thread_;
};

}  // namespace zm::services
