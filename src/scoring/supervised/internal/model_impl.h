// Model internals shared by training (supervised.cc) and serialization (model_io.cc).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "scoring/supervised/internal/features.h"
#include "scoring/supervised/internal/learners.h"
#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised {
namespace internal {

constexpr int kLearners = 3;  // linear, logistic, trees

// Everything one fit produces (a fold's or the final one).
struct Components {
  Vocabulary vocab;
  DenseScaler scaler;
  bool has[kLearners] = {false, false, false};
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
};

}  // namespace zm::scoring::supervised
