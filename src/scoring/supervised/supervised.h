// Supervised answer scoring: a model trained on answers that raters already scored on an integer
// scale 0..N scores new answers the way those raters did.
//
//   ZM_ASSIGN_OR_RETURN(TrainingSet set, ReadTrainingTsv(tsv, {.max_label = 3}, &report));
//   ZM_ASSIGN_OR_RETURN(Model model, Train(set, {}));       // cross-validated, seconds
//   Prediction p = model.Predict(answer);                    // microseconds, never fails
//   std::string json = model.Save();                         // for a model registry
//   ZM_ASSIGN_OR_RETURN(Model again, Model::Load(json));     // identical predictions
//
// Features: TF-IDF (sublinear tf, per-block L2 norm) of hashed character n-grams (1..5 code
// points), word n-grams (1..3 tokens) and word skip-bigrams with a vocabulary of n-grams seen in
// >= min_df training answers; length and structure features; similarity to the example's
// reference answer (or the set's prompt) when one is given; Naive Bayes evidence per rating cut
// (leave-one-out for the training answers). Chinese needs no segmentation: character n-grams
// carry it and every CJK ideograph is also a word token. Learners: a ridge-like linear
// regression (liblinear), gradient-boosted trees (XGBoost, on the dense features and the n-grams
// most correlated with the target), an ordinal NBSVM, optionally a one-vs-rest logistic
// regression. Their out-of-fold predictions choose the ensemble weights, and the cut points
// between adjacent ratings are tuned for quadratic weighted kappa on the out-of-fold ensemble
// prediction.
//
// Deterministic: the same TrainingSet and TrainOptions (seed included) give a byte-identical
// Save() regardless of the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::scoring::supervised {

// One rated answer.
struct Example {
  std::string text;  // UTF-8; invalid bytes are ignored; may be empty
  int label = 0;     // rating on the set's scale 0..max_label
  // Optional reference (model) answer for this example, e.g. when one model serves several
  // questions; empty: the set's prompt is used, if any.
  std::string reference;
  size_t line = 0;  // 1-based line in the source file (for messages); 0 when not from a file
  // Optional regression target in [0, max_label], e.g. the mean of several raters' ratings of
  // this answer; negative: `label`. The regression learners fit it (less rater noise); the
  // classifiers, the rating thresholds and the reported QWK use `label`.
  double target = -1;
};

struct TrainingSet {
  int max_label = 0;   // ratings are the integers 0..max_label; must be >= 1
  std::string prompt;  // optional question text or reference answer shared by all examples
  std::vector<Example> examples;
};

// ---------------------------------------------------------------------------------------------
// Reading rated answers from TSV.

struct ReadOptions {
  int max_label = 0;          // required, >= 1: the rating scale is 0..max_label
  bool strict = false;        // refuse the file at the first malformed row instead of skipping it
  size_t max_reported = 100;  // problems kept in ReadReport::problems (all are counted)
  char delimiter = '\t';      // ',' reads CSV with the same quoting rules
};

struct RowProblem {
  size_t line = 0;  // 1-based line where the row starts
  std::string message;
};

struct ReadReport {
  size_t rows = 0;                   // data rows seen (header excluded)
  size_t skipped = 0;                // malformed rows skipped (always 0 in strict mode)
  std::vector<RowProblem> problems;  // the first max_reported of them
};

// Parses tab-separated (or options.delimiter-separated) rated answers with a header row naming the
// columns: `label` (or `score`) and `text` (or `answer`) are required, `reference` is optional,
// other columns are ignored. Fields may be quoted Excel-style ("" is a quote; a quoted field may
// hold tabs and newlines). LF or CRLF; a UTF-8 BOM is skipped. Errors (kInvalidArgument, message
// names the line): no header / missing column; a label outside 0..max_label (always refused: the
// scale is the question's); in strict mode any malformed row (wrong field count, label not an
// integer). Otherwise malformed rows are skipped and reported. `report` may be null. Thread-safe
// (pure function).
Result<TrainingSet> ReadTrainingTsv(std::string_view data, const ReadOptions& options,
                                    ReadReport* report);

// ---------------------------------------------------------------------------------------------
// Training.

struct FeatureOptions {
  int char_min_n = 1;  // character n-grams, in code points after normalization
  int char_max_n = 5;  // (lower-cased ASCII, full-width folded, whitespace runs -> one space)
  int word_min_n = 1;  // word n-grams; a word is a run of letters/digits, or one CJK ideograph
  int word_max_n = 3;
  // Skip-bigrams: pairs of words with 1..word_skip words between them (one feature per pair,
  // whatever the gap; in the word block). 0: none. 2 raised the cross-validated QWK of the linear
  // and NBSVM learners on 9 and 8 of the 10 ASAP-SAS prompts (docs/supervised-scoring.md).
  int word_skip = 2;
  int min_df = 2;  // n-grams in fewer training answers are dropped
  // Spelling normalization of the word tokens (word n-grams, skip-bigrams): a word of 4+ letters
  // used by fewer than `spell_min_df` training answers is read as the word within one edit that
  // at least `spell_min_df` answers use (the most used one). 0: off. 5 was chosen by
  // cross-validation on ASAP-SAS (docs/supervised-scoring.md).
  int spell_min_df = 5;
  size_t max_vocabulary = 200000;  // most frequent n-grams kept (ties: smaller hash)
};

struct TrainOptions {
  FeatureOptions features;
  int folds = 5;             // cross-validation folds (stratified by label), 2..20
  uint64_t seed = 42;        // folds and tree subsampling
  int threads = 2;           // training threads (folds run in parallel); >= 1
  size_t min_examples = 20;  // fewer examples: kInvalidArgument

  bool use_linear = true;     // ridge-like regression (liblinear L2-loss SVR, primal)
  bool use_logistic = false;  // logistic regression (one-vs-rest), expected score sum_k p_k k
  bool use_trees = true;      // gradient-boosted trees (XGBoost)
  // Naive Bayes evidence per rating cut (log-count ratios of the n-grams, leave-one-out for the
  // training rows), as features for every learner.
  bool use_nb = true;
  // Key-concept features (concept_count, concept_lift; internal/concepts.h) for every learner.
  bool use_concepts = true;
  double concept_min_z = 3.0;    // an n-gram's z score for high ratings to be a concept
  double concept_jaccard = 0.3;  // answer overlap that joins an n-gram to a concept
  size_t concept_max = 40;       // concepts at most
  double nb_alpha = 1.0;
  // Ordinal NBSVM: per rating cut, logistic regression on the binarized n-grams scaled by their
  // Naive Bayes log-count ratios; expected score = sum of P(rating >= k).
  bool use_nbsvm = true;
  double nbsvm_c = 0.1;
  // The Naive Bayes features also enter the linear learners (else the trees only).
  bool extra_for_linear = true;
  double linear_c = 1.0;     // liblinear C of the regression
  double logistic_c = 10.0;  // liblinear C of the logistic regression
  int tree_rounds = 300;
  int tree_depth = 4;
  double tree_eta = 0.05;  // learning rate
  double tree_subsample = 0.8;
  double tree_colsample = 0.5;
  size_t tree_ngrams = 1000;  // n-gram features given to the trees (most label-correlated)
  // Histogram bins per feature. Few bins are both faster and more accurate here: the n-gram
  // columns are TF-IDF values where presence matters most.
  int tree_max_bin = 8;

  // Called from the training threads with the share of work done in [0, 1]; may be empty.
  // Must be thread-safe and fast.
  std::function<void(double)> progress;
};

struct LearnerReport {
  std::string name;       // "linear", "logistic", "trees"
  double weight = 0;      // ensemble weight (weights sum to 1)
  double cv_pearson = 0;  // out-of-fold Pearson r of this learner alone
  double cv_qwk = 0;      // out-of-fold QWK of this learner with its own tuned thresholds
};

struct TrainReport {
  size_t examples = 0;
  int max_label = 0;
  // Out-of-fold figures of the ensemble. cv_qwk uses thresholds tuned on these same
  // predictions (slightly optimistic); cv_qwk_rounded uses plain rounding (not tuned).
  double cv_qwk = 0;
  double cv_qwk_rounded = 0;
  double cv_pearson = 0;
  std::vector<double> thresholds;  // max_label cut points, non-decreasing
  std::vector<LearnerReport> learners;
  size_t vocabulary = 0;     // n-grams in the final model
  double train_seconds = 0;  // wall time of Train
  std::string data_hash;     // FNV-1a 64 of the training set (hex), for a registry
};

// ---------------------------------------------------------------------------------------------
// Prediction.

// A piece of the answer: bytes [byte_begin, byte_end) of the UTF-8 text as passed to Predict,
// and the same piece in code points [char_begin, char_end).
struct Span {
  size_t byte_begin = 0;
  size_t byte_end = 0;
  size_t char_begin = 0;
  size_t char_end = 0;
};

// What moved a prediction: `feature` is "char:<n-gram>", "word:<n-gram>" (n-gram as normalized)
// or the name of a length/structure/reference feature ("length_chars", "ref_recall", ...);
// `effect` is its signed contribution to the expected score (in rating points); `spans` are its
// occurrences in the answer (empty for whole-answer features).
struct Contribution {
  std::string feature;
  double effect = 0;
  std::vector<Span> spans;
};

struct Prediction {
  double expected_score = 0;                // ensemble output clamped to [0, max_label]
  int label = 0;                            // expected_score cut by the tuned thresholds
  std::vector<Contribution> contributions;  // largest |effect| first
};

struct PredictOptions {
  size_t explain_top = 5;  // contributions to return; 0 skips the explanation (faster)
};

// A trained model. Immutable: Predict and Save are const and safe to call from many threads at
// once. Movable, not copyable (share it with a shared_ptr).
class Model {
 public:
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // Scores one answer. `reference` overrides the prompt as the reference answer (use the same
  // kind of reference the model was trained with). Never fails; single-threaded.
  Prediction Predict(std::string_view text, std::string_view reference = {},
                     const PredictOptions& options = {}) const;

  // The whole model as JSON text (format "zm.supervised", version 4). Load(Save()) predicts
  // identically.
  std::string Save() const;
  // Loads versions 1..4 (a v3 document predicts as before: no spelling dictionary, no concept
  // features). kInvalidArgument on malformed JSON, a wrong format/version, a removed learner
  // (k-NN, stacked trees, detailed NB features: the message asks to retrain), or inconsistent
  // sizes.
  static Result<Model> Load(std::string_view json);

  const TrainReport& report() const;
  int max_label() const;

  struct Impl;

 private:
  explicit Model(std::unique_ptr<Impl> impl);
  friend Result<Model> Train(const TrainingSet& set, const TrainOptions& options);
  std::unique_ptr<Impl> impl_;
};

// Trains a model: cross-validation (out-of-fold predictions for the ensemble weights, the
// thresholds and the report), then the final learners on all examples. Uses up to
// options.threads threads; blocks until done. Errors (kInvalidArgument): max_label < 1, a label
// outside 0..max_label (the message names the example and its line), fewer than min_examples
// examples, fewer than 2 distinct labels, bad options. Nothing is written anywhere: a failed
// Train has no side effects.
Result<Model> Train(const TrainingSet& set, const TrainOptions& options = {});

}  // namespace zm::scoring::supervised
