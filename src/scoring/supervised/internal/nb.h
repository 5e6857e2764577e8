// Naive Bayes evidence per rating cut: for every cut k = 1..max_label (rating >= k against
// rating < k), the sum over the answer's distinct n-grams of their log-count ratio
// r_k(g) = log(p_k(g) / |p_k|) - log(q_k(g) / |q_k|), where p_k(g) = alpha + the number of
// training answers rated >= k that contain g and q_k(g) the same for those rated < k (NBSVM's
// ratio, binarized), character and word n-grams apart. For a training answer the counts leave
// the answer itself out, which is exactly what an unseen answer sees. Internal to zm_supervised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scoring/supervised/internal/features.h"

namespace zm::scoring::supervised::internal {

class NbEvidence {
 public:
  static NbEvidence Build(std::span<const SparseVec* const> vecs, std::span<const int> labels,
                          int max_label, const Vocabulary& vocab, double alpha);
  // Derives the ratios from the saved counts; false when inconsistent with `vocab`.
  bool Restore(const Vocabulary& vocab);

  // Per cut k and block (characters, words): the summed evidence.
  size_t features() const { return 2 * static_cast<size_t>(max_label); }
  static std::vector<std::string> FeatureNames(int max_label);

  // Features of `v` into out[0..features()). `own_label` >= 0: `v` is a training answer with
  // that label, whose own counts are left out; -1: an unseen answer.
  void Features(const SparseVec& v, int own_label, float* out) const;

  // In-sample log-count ratios r_k(g) of cut k = cut + 1 (vocabulary size values).
  const float* Ratios(size_t cut) const { return ratio_.data() + cut * vocab_; }

  // Saved parts.
  int max_label = 0;
  double alpha = 1.0;
  std::vector<uint32_t> label_docs;  // max_label + 1: training answers per label
  // (max_label + 1) x vocabulary, row-major: training answers per label containing the n-gram.
  std::vector<uint32_t> counts;

 private:
  size_t vocab_ = 0;
  std::vector<uint8_t> word_;  // per vocabulary index: a word n-gram
  // Per cut k (0-based k - 1) and block: sum over n-grams of p / q (with alpha) and the ratios.
  std::vector<float> ratio_;       // max_label x vocabulary
  std::vector<uint32_t> pos_;      // max_label x vocabulary: answers rated >= k containing g
  std::vector<uint32_t> neg_;      // max_label x vocabulary
  std::vector<double> pos_total_;  // max_label x 2 blocks: sum over g of pos (no alpha)
  std::vector<double> neg_total_;
  std::vector<uint32_t> block_size_;  // 2: n-grams per block
};

}  // namespace zm::scoring::supervised::internal
