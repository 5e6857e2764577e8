// Learners of the supervised scorer (linear and logistic regression through liblinear, boosted
// trees through XGBoost evaluated by our own code), QWK threshold tuning and stratified folds.
// Internal to zm_supervised. All functions are thread-safe (liblinear's primal solvers and
// XGBoost boosters share no state between calls).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "scoring/supervised/internal/features.h"
#include "scoring/supervised/internal/nb.h"

namespace zm::scoring::supervised::internal {

// One training row as the learners see it: TF-IDF vector plus the raw dense features.
struct Sample {
  const SparseVec* sparse = nullptr;
  const float* dense = nullptr;  // the dense features (DenseScaler::size() values)
};

// Standardization of the dense features for the linear learners: (x - mean) / sd * scale.
struct DenseScaler {
  std::vector<float> mean;
  std::vector<float> inv_sd;  // already multiplied by the scale
  static DenseScaler Fit(std::span<const Sample> samples, size_t dense, double scale);
  size_t size() const { return mean.size(); }
  float Apply(size_t j, float x) const { return (x - mean[j]) * inv_sd[j]; }
};

// y ~ w . x + bias (sparse part then dense part), fitted by liblinear's primal L2-loss SVR
// (epsilon 0, i.e. ridge with squared loss) on centered labels.
struct LinearModel {
  std::vector<float> w;  // vocabulary size + dense features
  size_t dense = 0;
  float bias = 0;
  double Predict(const SparseVec& x, const float* dense_scaled) const;
};
Result<LinearModel> FitLinear(std::span<const Sample> samples, std::span<const double> targets,
                              size_t vocab, const DenseScaler& scaler, double c);

// Logistic regression (one-vs-rest, liblinear primal), expected score sum_k p_k label_k with
// liblinear's normalized OvR probabilities.
struct LogisticModel {
  std::vector<int> classes;  // label of each weight row (2 classes: one row for classes[0])
  size_t dim = 0;            // vocabulary size + dense features
  size_t dense = 0;
  std::vector<float> w;     // rows x dim
  std::vector<float> bias;  // rows
  size_t rows() const { return bias.size(); }
  // Expected score; fills `grad_coef` (size rows) with dE/d(decision_k) when non-null.
  double Expected(const SparseVec& x, const float* dense_scaled,
                  std::vector<double>* grad_coef = nullptr) const;
};
Result<LogisticModel> FitLogistic(std::span<const Sample> samples, std::span<const int> labels,
                                  size_t vocab, const DenseScaler& scaler, double c);

// Ordinal NBSVM (Wang & Manning 2012, one model per rating cut): for every cut k = 1..max_label,
// an L2 logistic regression of [rating >= k] on the answer's binarized n-grams scaled by their
// Naive Bayes log-count ratios r_k; expected score = sum_k P(rating >= k). The weights are
// stored multiplied by r_k, so a cut's decision is a sum over the n-grams present.
struct OrdinalNbModel {
  size_t vocab = 0;
  std::vector<float> w;     // cuts x vocab
  std::vector<float> bias;  // cuts
  size_t cuts() const { return bias.size(); }
  // Expected score; fills `grad_coef` (size cuts) with dE/d(decision_k) when non-null.
  double Expected(const SparseVec& x, std::vector<double>* grad_coef = nullptr) const;
};
Result<OrdinalNbModel> FitOrdinalNb(std::span<const Sample> samples, std::span<const int> labels,
                                    const NbEvidence& nb, size_t vocab, double c);

// A regression tree as XGBoost builds it; a node is a leaf when left[i] < 0 (value = leaf
// weight), else it sends x[feature] < value to the left child and a missing x[feature] (NaN)
// to the left child when default_left[i]. `mean` is the hessian-weighted mean of the leaves
// under each node (for Saabas contributions).
struct Tree {
  std::vector<int32_t> left;
  std::vector<int32_t> right;
  std::vector<uint32_t> feature;
  std::vector<float> value;
  std::vector<uint8_t> default_left;
  std::vector<float> cover;
  std::vector<float> mean;
  void ComputeMeans();
  int32_t Next(int32_t n, float x) const {
    if (x != x) return default_left[n] ? left[n] : right[n];  // NaN: missing
    return x < value[n] ? left[n] : right[n];
  }
};

// Boosted trees on the dense features (columns 0..dense) and the TF-IDF values of selected
// n-grams (column dense + j is vocabulary index ngrams[j]; NaN = missing when the n-gram is absent,
// so the trees learn where absence goes and training touches only non-zeros).
struct TreeModel {
  size_t dense = 0;
  std::vector<uint32_t> ngrams;
  std::vector<std::string> ngram_names;  // final model only: "word:..."/"char:..." per ngrams[j]
  float base_score = 0;
  std::vector<Tree> trees;
  size_t first_ngram_column() const { return dense; }
  size_t columns() const { return dense + ngrams.size(); }
  double Predict(const float* x) const;
  // Adds each column's Saabas contribution to contrib[column] (size columns()); returns the bias
  // (base score + root means).
  double Contributions(const float* x, std::vector<double>* contrib) const;
};

struct TreeParams {
  int rounds = 300;
  int depth = 4;
  double eta = 0.05;
  double subsample = 0.8;
  double colsample = 0.5;
  size_t ngrams = 1000;
  int max_bin = 8;
  uint64_t seed = 42;
};
Result<TreeModel> FitTrees(std::span<const Sample> samples, std::span<const double> targets,
                           size_t vocab, size_t dense, const TreeParams& params);
// Row of the tree model's input for one sample. `column_of` maps vocabulary index -> column
// (or -1), size vocab.
void TreeRow(const TreeModel& m, const std::vector<int32_t>& column_of, const Sample& s,
             float* row);
std::vector<int32_t> TreeColumns(const TreeModel& m, size_t vocab);

// QWK of integer ratings on 0..max_label (0 when undefined).
double Qwk(std::span<const int> a, std::span<const int> b, int max_label);
// Pearson r (0 when undefined).
double PearsonR(std::span<const double> a, std::span<const double> b);
// Rating of a continuous prediction: the number of thresholds <= p.
int ApplyThresholds(double p, std::span<const double> thresholds);
// max_label non-decreasing cut points maximizing QWK of ApplyThresholds(pred) against y
// (coordinate ascent from k + 0.5, 4 passes).
std::vector<double> TuneThresholds(std::span<const double> pred, std::span<const int> y,
                                   int max_label);

// Fold (0..k-1) of each example: stratified by label, shuffled with `seed`.
std::vector<int> StratifiedFolds(std::span<const int> labels, int k, uint64_t seed);

}  // namespace zm::scoring::supervised::internal
