// Nearest rated answers: cosine similarity between an answer and the training answers, on their
// TF-IDF vectors restricted to the informative n-grams (document frequency <= max_df of the
// training answers), through an inverted index. Gives the features of the answer's
// neighbourhood per rating level and the k-nearest-neighbour rating. Internal to zm_supervised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scoring/supervised/internal/features.h"

namespace zm::scoring::supervised::internal {

struct KnnParams {
  int k = 10;           // neighbours of the k-NN rating
  double max_df = 0.5;  // n-grams in more than this share of the training answers are left out
};

class KnnIndex {
 public:
  // Indexes the training vectors (TF-IDF over `vocab`) with their labels 0..max_label.
  static KnnIndex Build(std::span<const SparseVec* const> vecs, std::span<const int> labels,
                        int max_label, const Vocabulary& vocab, const KnnParams& params);
  // Derives the inverted index from the saved parts below (after Build or Load); false when
  // they are inconsistent with `vocab`.
  bool Restore(const Vocabulary& vocab);

  // Number of features: k-NN rating, top similarity, then per level 0..max_label the largest
  // similarity and the mean of the 3 largest.
  size_t features() const { return 2 + 2 * static_cast<size_t>(max_label + 1); }
  static std::vector<std::string> FeatureNames(int max_label);

  // Features of `v` into out[0..features()). `exclude`: a training answer left out (its own
  // index, for leave-one-out features of the training rows), or -1.
  void Features(const SparseVec& v, int64_t exclude, float* out) const;

  // Saved parts: the indexed answers' restricted, renormalized vectors and their labels.
  int max_label = 0;
  KnnParams params;
  float min_idf = 0;  // n-grams with a smaller IDF are left out (from max_df)
  float mean_label = 0;
  std::vector<uint8_t> labels;
  std::vector<uint32_t> doc_start;  // docs + 1 offsets into doc_terms / doc_values
  std::vector<uint32_t> doc_terms;  // vocabulary indices, ascending per doc
  std::vector<float> doc_values;

 private:
  // Postings by vocabulary index (derived).
  std::vector<uint32_t> post_start;
  std::vector<uint32_t> post_doc;
  std::vector<float> post_value;
  // Restricted, unit-norm copy of v.
  void Restrict(const SparseVec& v, std::vector<std::pair<uint32_t, float>>* out) const;
  std::vector<uint8_t> use_;  // per vocabulary index: in the restricted representation
};

}  // namespace zm::scoring::supervised::internal
