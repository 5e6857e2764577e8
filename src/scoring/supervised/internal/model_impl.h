// Model internals shared by training (supervised.cc) and serialization (model_io.cc).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "scoring/supervised/internal/concepts.h"
#include "scoring/supervised/internal/features.h"
#include "scoring/supervised/internal/learners.h"
#include "scoring/supervised/internal/nb.h"
#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised {
namespace internal {

constexpr int kLearners = 4;  // linear, logistic, trees, nbsvm

// Everything one fit produces (a fold's or the final one).
struct Components {
  Vocabulary vocab;
  // Dense features: kBaseDense text/reference features, then the Naive Bayes features.
  size_t dense = kBaseDense;
  DenseScaler scaler;
  bool has[kLearners] = {false, false, false, false};
  bool has_nb = false;
  NbEvidence nb;         // has_nb: its features follow the base ones (fitted for has[3] too)
  OrdinalNbModel nbsvm;  // has[3]
  bool has_concepts = false;
  Concepts concepts;  // has_concepts: its features follow the Naive Bayes ones
  size_t NbOffset() const { return kBaseDense; }
  size_t ConceptOffset() const { return NbOffset() + (has_nb ? nb.features() : 0); }
  size_t DenseCount() const { return ConceptOffset() + (has_concepts ? Concepts::kFeatures : 0); }
  // The Naive Bayes and concept features of a vectorized answer into dense[kBaseDense..dense).
  // `row` >= 0: the answer is a training row with label `label` (left out of the NB counts).
  void ExtraFeatures(const SparseVec& vec, int64_t row, int label, float* dense_out) const {
    if (has_nb) nb.Features(vec, row >= 0 ? label : -1, dense_out + NbOffset());
    if (has_concepts) concepts.Features(vec, dense_out + ConceptOffset());
  }
  LinearModel linear;
  LogisticModel logistic;
  TreeModel trees;
  std::vector<int32_t> tree_columns;
};

}  // namespace internal

struct Model::Impl {
  FeatureOptions features;
  internal::Speller speller;  // empty: spelling left as is (models before format 4)
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
      const internal::RawDoc d = internal::AnalyzeRaw(prompt, features, &speller);
      c.vocab.Vectorize(d, &prompt_vec);
      prompt_units = d.units;
      has_prompt_vec = true;
    }
    if (c.has[2]) c.tree_columns = internal::TreeColumns(c.trees, c.vocab.size());
  }
  std::vector<std::string> DenseNames() const {
    std::vector<std::string> names(internal::kBaseDenseNames.begin(),
                                   internal::kBaseDenseNames.end());
    if (c.has_nb)
      for (std::string& n : internal::NbEvidence::FeatureNames(max_label)) names.push_back(n);
    if (c.has_concepts)
      for (std::string& n : internal::Concepts::FeatureNames()) names.push_back(n);
    return names;
  }
};

}  // namespace zm::scoring::supervised
