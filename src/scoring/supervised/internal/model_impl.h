// Model internals shared by training (supervised.cc) and serialization (model_io.cc).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "scoring/supervised/internal/features.h"
#include "scoring/supervised/internal/knn.h"
#include "scoring/supervised/internal/learners.h"
#include "scoring/supervised/internal/nb.h"
#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised {
namespace internal {

constexpr int kLearners = 5;  // linear, logistic, trees, knn, nbsvm

// Everything one fit produces (a fold's or the final one).
struct Components {
  Vocabulary vocab;
  // Dense features: kBaseDense text/reference features, then the k-NN features when has[3].
  size_t dense = kBaseDense;
  DenseScaler scaler;
  bool has[kLearners] = {false, false, false, false, false};
  KnnIndex knn;  // has[3]: its rating (dense feature kBaseDense) is also a learner
  bool has_nb = false;
  NbEvidence nb;         // has_nb: its features follow the k-NN ones (fitted for has[4] too)
  OrdinalNbModel nbsvm;  // has[4]
  size_t NbOffset() const { return kBaseDense + (has[3] ? knn.features() : 0); }
  size_t DenseCount() const { return NbOffset() + (has_nb ? nb.features() : 0); }
  // The k-NN and Naive Bayes features of a vectorized answer into dense[kBaseDense..dense).
  // `row` >= 0: the answer is training row `row` with label `label` (left out of both).
  void ExtraFeatures(const SparseVec& vec, int64_t row, int label, float* dense_out) const {
    if (has[3]) knn.Features(vec, row, dense_out + kBaseDense);
    if (has_nb) nb.Features(vec, row >= 0 ? label : -1, dense_out + NbOffset());
  }
  LinearModel linear;
  LogisticModel logistic;
  TreeModel trees;
  std::vector<int32_t> tree_columns;
};

}  // namespace internal

struct Model::Impl {
  FeatureOptions features;
  int max_label = 0;
  std::string prompt;
  bool uses_reference = false;
  internal::Components c;
  std::array<double, internal::kLearners> weights{};
  std::vector<double> thresholds;
  TrainReport report;
  // Derived at construction/load.
  bool has_prompt_vec = false;
  internal::SparseVec prompt_vec;
  uint32_t prompt_units = 0;

  void Derive() {
    has_prompt_vec = false;
    if (uses_reference && !prompt.empty()) {
      const internal::RawDoc d = internal::AnalyzeRaw(prompt, features);
      c.vocab.Vectorize(d, &prompt_vec);
      prompt_units = d.units;
      has_prompt_vec = true;
    }
    if (c.has[2]) c.tree_columns = internal::TreeColumns(c.trees, c.vocab.size());
  }
  std::vector<std::string> DenseNames() const {
    std::vector<std::string> names(internal::kBaseDenseNames.begin(),
                                   internal::kBaseDenseNames.end());
    if (c.has[3])
      for (std::string& n : internal::KnnIndex::FeatureNames(max_label)) names.push_back(n);
    if (c.has_nb)
      for (std::string& n : internal::NbEvidence::FeatureNames(max_label, c.nb.detail))
        names.push_back(n);
    return names;
  }
};

}  // namespace zm::scoring::supervised
