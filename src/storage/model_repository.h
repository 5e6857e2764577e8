// Repositories of supervised scoring: HR ratings of answers (per question, optionally per
// competency dimension) and the registry of trained models.
// Rating texts are personal data and arrive encrypted (text_enc, AAD "answer_rating:<id>");
// model bytes are Model::Save() JSON (hashed n-grams and weights, no answer text).
// Functions run inside the caller's transaction; errors as in database.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/page.h"

namespace zm::storage {

// ---- ratings ----

struct RatingRecord {
  std::string id, question_id;
  std::string dimension_key;             // "" when the rating is for the whole answer
  int64_t label = 0;                     // 0..the question's rating_max
  std::string source;                    // "answer" (an interview answer) | "example" | "import"
  std::optional<std::string> answer_id;  // set for source "answer"
  std::string text_enc;
  int64_t text_chars = 0;
  std::string created_by;
  int64_t created_at = 0;
};

// kConflict "unique_violation" when the answer is already rated for that dimension.
Status InsertRating(Tx& tx, const RatingRecord& r);
Result<std::optional<RatingRecord>> GetRating(Tx& tx, const std::string& id);
// Returns false when there was no such rating.
Result<bool> DeleteRating(Tx& tx, const std::string& id);
// Newest first; `dimension_key` filters when set ("" selects whole-answer ratings).
Result<Page<RatingRecord>> ListRatings(Tx& tx, const std::string& question_id,
                                       const std::optional<std::string>& dimension_key,
                                       const PageRequest& page);
// Every rating of (question, dimension), oldest first: the training set.
Result<std::vector<RatingRecord>> AllRatings(Tx& tx, const std::string& question_id,
                                             const std::string& dimension_key);
Result<int64_t> CountRatings(Tx& tx, const std::string& question_id,
                             const std::string& dimension_key);
// The highest stored label of the question (any dimension), nullopt without ratings.
Result<std::optional<int64_t>> MaxRatingLabel(Tx& tx, const std::string& question_id);

// An interview answer as seen by the rating use case: which question it answers (through the
// interview item at its position) and which department scopes it.
struct RatableAnswer {
  std::string answer_id, interview_id, department_id, question_id, kind, text_enc;
};
Result<std::optional<RatableAnswer>> GetRatableAnswer(Tx& tx, const std::string& answer_id);

// ---- model registry ----

struct ModelRecord {
  std::string id, question_id;
  std::string dimension_key;         // "" : scores every dimension the question covers
  int64_t version = 0;               // 1, 2, ... per question
  std::string status;                // "training" | "ready" | "failed"
  double progress = 0;               // 0..1
  std::optional<std::string> error;  // why a run failed
  int64_t max_label = 0;
  int64_t examples = 0;
  std::optional<std::string> data_hash;
  std::string options;                 // JSON: the training options used
  std::optional<std::string> metrics;  // JSON: the cross-validation report
  std::optional<double> cv_qwk, cv_pearson;
  bool active = false;
  std::optional<int64_t> activated_at;
  std::string created_by;
  int64_t created_at = 0;
  std::optional<int64_t> started_at, finished_at;
};

// max(version) + 1 for the question (1 for the first model).
Result<int64_t> NextModelVersion(Tx& tx, const std::string& question_id);
// kConflict "unique_violation" when the version exists (concurrent requests).
Status InsertModel(Tx& tx, const ModelRecord& r);
Result<std::optional<ModelRecord>> GetModelById(Tx& tx, const std::string& id);
Result<std::optional<ModelRecord>> GetModelVersion(Tx& tx, const std::string& question_id,
                                                   int64_t version);
// Newest first; `dimension_key` filters when set.
Result<Page<ModelRecord>> ListModels(Tx& tx, const std::string& question_id,
                                     const std::optional<std::string>& dimension_key,
                                     const PageRequest& page);
// Marks a waiting run started; false when another runner claimed it first (or it is no longer
// training).
Result<bool> ClaimModel(Tx& tx, const std::string& id, int64_t now);
// An attempt of the run's model.train job starts (again): started_at = now, progress 0. False
// when the run is no longer training (finished, or gone). Unconditional otherwise: the job's
// lease, not this row, decides who runs it, so a retry after a dead worker restarts the run.
Result<bool> StartModelAttempt(Tx& tx, const std::string& id, int64_t now);
// Progress of a run still training (ignored once finished).
Status UpdateModelProgress(Tx& tx, const std::string& id, double progress);
// Ends a run: status "ready" with metrics and bytes, or "failed" with the error. Writes status,
// progress, error, examples, data_hash, metrics, cv_qwk, cv_pearson, finished_at from `r`.
Status FinishModel(Tx& tx, const ModelRecord& r, const std::optional<std::string>& model_bytes);
// The saved model, nullopt when the run did not produce one.
Result<std::optional<std::string>> GetModelBytes(Tx& tx, const std::string& id);
// Makes `model_id` the only active model of its (question, dimension); nullopt deactivates
// every model of that pair.
Status SetActiveModel(Tx& tx, const std::string& question_id, const std::string& dimension_key,
                      const std::optional<std::string>& model_id, int64_t now);
// The active models of a question (one per dimension key at most).
Result<std::vector<ModelRecord>> ActiveModels(Tx& tx, const std::string& question_id);
// Runs in status "training", oldest first (started or waiting).
Result<std::vector<ModelRecord>> TrainingModels(Tx& tx);

}  // namespace zm::storage
