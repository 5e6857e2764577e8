#include "scoring/supervised/internal/knn.h"

#include <algorithm>
#include <cmath>

namespace zm::scoring::supervised::internal {

KnnIndex KnnIndex::Build(std::span<const SparseVec* const> vecs, std::span<const int> labels,
                         int max_label, const Vocabulary& vocab, const KnnParams& params) {
  KnnIndex x;
  x.max_label = max_label;
  x.params = params;
  const double n = static_cast<double>(vecs.size());
  const double max_df = std::clamp(params.max_df, 0.0, 1.0) * n;
  x.min_idf = static_cast<float>(std::log((1.0 + n) / (1.0 + max_df)) + 1.0 - 1e-6);
  x.use_.assign(vocab.size(), 0);
  for (size_t j = 0; j < vocab.size(); ++j) x.use_[j] = vocab.idf()[j] >= x.min_idf;
  double sum = 0;
  x.doc_start.push_back(0);
  std::vector<std::pair<uint32_t, float>> q;
  for (size_t i = 0; i < vecs.size(); ++i) {
    x.Restrict(*vecs[i], &q);
    for (const auto& [t, v] : q) x.doc_terms.push_back(t), x.doc_values.push_back(v);
    x.doc_start.push_back(static_cast<uint32_t>(x.doc_terms.size()));
    x.labels.push_back(static_cast<uint8_t>(std::clamp(labels[i], 0, max_label)));
    sum += labels[i];
  }
  x.mean_label = vecs.empty() ? 0.0f : static_cast<float>(sum / n);
  x.Restore(vocab);
  return x;
}

bool KnnIndex::Restore(const Vocabulary& vocab) {
  const size_t docs = labels.size();
  if (max_label < 1 || max_label > 31 || params.k < 1 || doc_start.size() != docs + 1 ||
      doc_start.front() != 0 || doc_start.back() != doc_terms.size() ||
      doc_terms.size() != doc_values.size())
    return false;
  for (size_t d = 0; d < docs; ++d)
    if (doc_start[d] > doc_start[d + 1] || labels[d] > max_label) return false;
  const size_t vocab_size = vocab.size();
  use_.assign(vocab_size, 0);
  for (size_t j = 0; j < vocab_size; ++j) use_[j] = vocab.idf()[j] >= min_idf;
  post_start.assign(vocab_size + 1, 0);
  for (uint32_t t : doc_terms) {
    if (t >= vocab_size) return false;
    ++post_start[t + 1];
  }
  for (size_t j = 0; j < vocab_size; ++j) post_start[j + 1] += post_start[j];
  post_doc.assign(doc_terms.size(), 0);
  post_value.assign(doc_terms.size(), 0.0f);
  std::vector<uint32_t> fill(post_start.begin(), post_start.end() - 1);
  for (size_t d = 0; d < docs; ++d) {
    for (uint32_t k = doc_start[d]; k < doc_start[d + 1]; ++k) {
      const uint32_t slot = fill[doc_terms[k]]++;
      post_doc[slot] = static_cast<uint32_t>(d);
      post_value[slot] = doc_values[k];
    }
  }
  return true;
}

std::vector<std::string> KnnIndex::FeatureNames(int max_label) {
  std::vector<std::string> names = {"knn_rating", "knn_similarity_top"};
  for (int l = 0; l <= max_label; ++l) names.push_back("knn_similarity_max_" + std::to_string(l));
  for (int l = 0; l <= max_label; ++l) names.push_back("knn_similarity_top3_" + std::to_string(l));
  return names;
}

void KnnIndex::Restrict(const SparseVec& v, std::vector<std::pair<uint32_t, float>>* out) const {
  out->clear();
  double sq = 0;
  for (size_t k = 0; k < v.index.size(); ++k) {
    const uint32_t t = v.index[k];
    if (t >= use_.size() || !use_[t]) continue;
    out->emplace_back(t, v.value[k]);
    sq += static_cast<double>(v.value[k]) * v.value[k];
  }
  if (sq <= 0) {
    out->clear();
    return;
  }
  const double scale = 1.0 / std::sqrt(sq);
  for (auto& [t, x] : *out) x = static_cast<float>(x * scale);
}

void KnnIndex::Features(const SparseVec& v, int64_t exclude, float* out) const {
  const size_t levels = static_cast<size_t>(max_label) + 1;
  std::fill(out, out + features(), 0.0f);
  const size_t docs = labels.size();
  thread_local std::vector<float> acc;
  thread_local std::vector<uint32_t> touched;
  thread_local std::vector<std::pair<uint32_t, float>> q;
  thread_local std::vector<std::pair<float, uint32_t>> cand;
  if (acc.size() < docs) acc.assign(docs, 0.0f);
  Restrict(v, &q);
  touched.clear();
  for (const auto& [t, qv] : q) {
    for (uint32_t p = post_start[t]; p < post_start[t + 1]; ++p) {
      const uint32_t d = post_doc[p];
      if (acc[d] == 0.0f) touched.push_back(d);
      acc[d] += qv * post_value[p];
    }
  }
  float top3[32][3] = {};
  cand.clear();
  for (uint32_t d : touched) {
    const float s = acc[d];
    acc[d] = 0.0f;
    if (static_cast<int64_t>(d) == exclude) continue;
    cand.emplace_back(s, d);
    float* t = top3[labels[d]];
    if (s > t[2]) {
      t[2] = s;
      if (t[2] > t[1]) std::swap(t[1], t[2]);
      if (t[1] > t[0]) std::swap(t[0], t[1]);
    }
  }
  // The k most similar (ties: lower index), their similarity-weighted mean rating.
  const size_t k = std::min(cand.size(), static_cast<size_t>(params.k));
  auto better = [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  if (k > 0 && k < cand.size())
    std::nth_element(cand.begin(), cand.begin() + static_cast<long>(k) - 1, cand.end(), better);
  double wsum = 0;
  double lsum = 0;
  float best = 0;
  for (size_t i = 0; i < k; ++i) {
    wsum += cand[i].first;
    lsum += static_cast<double>(cand[i].first) * labels[cand[i].second];
    best = std::max(best, cand[i].first);
  }
  out[0] = wsum > 0 ? static_cast<float>(lsum / wsum) : mean_label;
  out[1] = best;
  for (size_t l = 0; l < levels; ++l) {
    out[2 + l] = top3[l][0];
    out[2 + levels + l] = (top3[l][0] + top3[l][1] + top3[l][2]) / 3.0f;
  }
}

}  // namespace zm::scoring::supervised::internal
