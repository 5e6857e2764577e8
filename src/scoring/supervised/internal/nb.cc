#include "scoring/supervised/internal/nb.h"

#include <algorithm>
#include <cmath>

namespace zm::scoring::supervised::internal {

NbEvidence NbEvidence::Build(std::span<const SparseVec* const> vecs, std::span<const int> labels,
                             int max_label, const Vocabulary& vocab, double alpha, bool detail) {
  NbEvidence nb;
  nb.max_label = max_label;
  nb.alpha = alpha;
  nb.detail = detail;
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

std::vector<std::string> NbEvidence::FeatureNames(int max_label, bool detail) {
  std::vector<std::string> names;
  for (int k = 1; k <= max_label; ++k) {
    for (const char* block : {"chars", "words"}) {
      const std::string b = std::string(block) + "_" + std::to_string(k);
      names.push_back("nb_" + b);
      if (!detail) continue;
      names.push_back("nb_positive_" + b);
      names.push_back("nb_negative_" + b);
      names.push_back("nb_max_" + b);
      names.push_back("nb_min_" + b);
    }
  }
  return names;
}

namespace {

// Accumulates one block's evidence.
struct BlockSums {
  double sum = 0, pos = 0, neg = 0, max = 0, min = 0;
  void Add(double r) {
    sum += r;
    if (r > 0) pos += r, max = std::max(max, r);
    if (r < 0) neg += r, min = std::min(min, r);
  }
  void Write(bool detail, float* out) const {
    out[0] = static_cast<float>(sum);
    if (!detail) return;
    out[1] = static_cast<float>(pos);
    out[2] = static_cast<float>(neg);
    out[3] = static_cast<float>(max);
    out[4] = static_cast<float>(min);
  }
};

}  // namespace

void NbEvidence::Features(const SparseVec& v, int own_label, float* out) const {
  const size_t cuts = static_cast<size_t>(max_label);
  const size_t per = PerBlock();
  std::fill(out, out + features(), 0.0f);
  if (own_label < 0) {
    for (size_t k = 0; k < cuts; ++k) {
      BlockSums sums[2];
      const float* r = ratio_.data() + k * vocab_;
      for (uint32_t g : v.index) sums[word_[g]].Add(r[g]);
      sums[0].Write(detail, out + (2 * k) * per);
      sums[1].Write(detail, out + (2 * k + 1) * per);
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
    BlockSums sums[2];
    for (uint32_t g : v.index) {
      const int b = word_[g];
      const double p = alpha + pos_[k * vocab_ + g] - (positive ? 1 : 0);
      const double q = alpha + neg_[k * vocab_ + g] - (positive ? 0 : 1);
      sums[b].Add(std::log(p / pn[b]) - std::log(q / qn[b]));
    }
    sums[0].Write(detail, out + (2 * k) * per);
    sums[1].Write(detail, out + (2 * k + 1) * per);
  }
}

}  // namespace zm::scoring::supervised::internal
