#include "scoring/supervised/internal/nb.h"

#include <algorithm>
#include <cmath>

namespace zm::scoring::supervised::internal {

NbEvidence NbEvidence::Build(std::span<const SparseVec* const> vecs, std::span<const int> labels,
                             int max_label, const Vocabulary& vocab, double alpha) {
  NbEvidence nb;
  nb.max_label = max_label;
  nb.alpha = alpha;
  const size_t levels = static_cast<size_t>(max_label) + 1;
  nb.label_docs.assign(levels, 0);
  nb.counts.assign(levels * vocab.size(), 0);
  for (size_t i = 0; i < vecs.size(); ++i) {
    const auto l = static_cast<size_t>(std::clamp(labels[i], 0, max_label));
    ++nb.label_docs[l];
    for (uint32_t t : vecs[i]->index) ++nb.counts[l * vocab.size() + t];
  }
  nb.Restore(vocab);
  return nb;
}

bool NbEvidence::Restore(const Vocabulary& vocab) {
  const size_t levels = static_cast<size_t>(max_label) + 1;
  vocab_ = vocab.size();
  if (max_label < 1 || max_label > 31 || !(alpha > 0) || label_docs.size() != levels ||
      counts.size() != levels * vocab_)
    return false;
  word_.assign(vocab_, 0);
  block_size_.assign(2, 0);
  for (size_t g = 0; g < vocab_; ++g) {
    word_[g] = IsWordGram(vocab.hashes()[g]) ? 1 : 0;
    ++block_size_[word_[g]];
  }
  const size_t cuts = static_cast<size_t>(max_label);
  pos_.assign(cuts * vocab_, 0);
  neg_.assign(cuts * vocab_, 0);
  pos_total_.assign(cuts * 2, 0.0);
  neg_total_.assign(cuts * 2, 0.0);
  ratio_.assign(cuts * vocab_, 0.0f);
  for (size_t k = 0; k < cuts; ++k) {  // cut k + 1: label >= k + 1
    for (size_t g = 0; g < vocab_; ++g) {
      uint32_t p = 0;
      uint32_t q = 0;
      for (size_t l = 0; l < levels; ++l) (l > k ? p : q) += counts[l * vocab_ + g];
      pos_[k * vocab_ + g] = p;
      neg_[k * vocab_ + g] = q;
      pos_total_[k * 2 + word_[g]] += p;
      neg_total_[k * 2 + word_[g]] += q;
    }
    for (size_t g = 0; g < vocab_; ++g) {
      const int b = word_[g];
      const double pn = alpha * block_size_[b] + pos_total_[k * 2 + b];
      const double qn = alpha * block_size_[b] + neg_total_[k * 2 + b];
      ratio_[k * vocab_ + g] = static_cast<float>(std::log((alpha + pos_[k * vocab_ + g]) / pn) -
                                                  std::log((alpha + neg_[k * vocab_ + g]) / qn));
    }
  }
  return true;
}

std::vector<std::string> NbEvidence::FeatureNames(int max_label) {
  std::vector<std::string> names;
  for (int k = 1; k <= max_label; ++k)
    for (const char* block : {"chars", "words"})
      names.push_back("nb_" + std::string(block) + "_" + std::to_string(k));
  return names;
}

void NbEvidence::Features(const SparseVec& v, int own_label, float* out) const {
  const size_t cuts = static_cast<size_t>(max_label);
  std::fill(out, out + features(), 0.0f);
  if (own_label < 0) {
    for (size_t k = 0; k < cuts; ++k) {
      double sums[2] = {0, 0};
      const float* r = ratio_.data() + k * vocab_;
      for (uint32_t g : v.index) sums[word_[g]] += r[g];
      out[2 * k] = static_cast<float>(sums[0]);
      out[2 * k + 1] = static_cast<float>(sums[1]);
    }
    return;
  }
  // Leave the answer out: its n-grams' counts and its share of the block totals.
  double present[2] = {0, 0};
  for (uint32_t g : v.index) present[word_[g]] += 1;
  for (size_t k = 0; k < cuts; ++k) {
    const bool positive = own_label > static_cast<int>(k);
    double pn[2];
    double qn[2];
    for (int b = 0; b < 2; ++b) {
      pn[b] = alpha * block_size_[b] + pos_total_[k * 2 + b] - (positive ? present[b] : 0);
      qn[b] = alpha * block_size_[b] + neg_total_[k * 2 + b] - (positive ? 0 : present[b]);
    }
    double sums[2] = {0, 0};
    for (uint32_t g : v.index) {
      const int b = word_[g];
      const double p = alpha + pos_[k * vocab_ + g] - (positive ? 1 : 0);
      const double q = alpha + neg_[k * vocab_ + g] - (positive ? 0 : 1);
      sums[b] += std::log(p / pn[b]) - std::log(q / qn[b]);
    }
    out[2 * k] = static_cast<float>(sums[0]);
    out[2 * k + 1] = static_cast<float>(sums[1]);
  }
}

}  // namespace zm::scoring::supervised::internal
