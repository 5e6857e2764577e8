// Key-concept features: word n-grams whose presence goes with high ratings in the training
// answers (a one-sided z-test of the mean target of the answers containing them), grouped by
// co-occurrence so that overlapping phrases of one concept ("cell membrane", "the membrane")
// count once, then counted per answer. ASAP-style rubrics score "how many of the key elements
// does the answer state"; the count gives the learners that directly. Internal to zm_supervised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "scoring/supervised/internal/features.h"

namespace zm::scoring::supervised::internal {

class Concepts {
 public:
  struct Options {
    size_t max_clusters = 40;
    size_t max_candidates = 400;
    size_t min_docs = 5;      // a candidate n-gram is in at least this many training answers
    double min_share = 0.01;  // ... and at least this share of them
    double min_z = 3.0;       // (mean target with it - mean) * sqrt(docs) / sd
    double jaccard = 0.3;     // joins a concept whose first n-gram's answers overlap this much
  };
  // From the training rows' vectors and regression targets; thread-safe (no shared state).
  static Concepts Build(std::span<const SparseVec* const> vecs, std::span<const double> targets,
                        const Vocabulary& vocab, const Options& options);
  // From saved parts; false when an index is outside the vocabulary.
  bool Restore(size_t vocab_size);

  static constexpr size_t kFeatures = 2;  // concepts present, sum of their lifts
  static std::vector<std::string> FeatureNames() { return {"concept_count", "concept_lift"}; }
  void Features(const SparseVec& v, float* out) const;

  // Saved parts: per concept its vocabulary indices (sorted) and its lift (mean target of the
  // answers with its first n-gram minus the mean target).
  std::vector<std::vector<uint32_t>> members;
  std::vector<float> lift;

 private:
  std::vector<std::pair<uint32_t, uint32_t>> index_;  // (vocabulary index, concept), sorted
};

}  // namespace zm::scoring::supervised::internal
