#include "scoring/supervised/internal/concepts.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace zm::scoring::supervised::internal {
namespace {

double Jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  size_t i = 0;
  size_t j = 0;
  size_t both = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (a[i] > b[j]) {
      ++j;
    } else {
      ++both, ++i, ++j;
    }
  }
  const size_t either = a.size() + b.size() - both;
  return either == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(either);
}

}  // namespace

Concepts Concepts::Build(std::span<const SparseVec* const> vecs, std::span<const double> targets,
                         const Vocabulary& vocab, const Options& o) {
  Concepts out;
  const size_t n = vecs.size();
  if (n < 2) return out;
  double mean = 0;
  for (double t : targets) mean += t;
  mean /= static_cast<double>(n);
  double var = 0;
  for (double t : targets) var += (t - mean) * (t - mean);
  const double sd = std::sqrt(var / static_cast<double>(n));
  if (!(sd > 0)) return out;
  const auto& hashes = vocab.hashes();
  std::vector<uint32_t> docs(vocab.size(), 0);
  std::vector<double> sum(vocab.size(), 0.0);
  for (size_t r = 0; r < n; ++r)
    for (uint32_t i : vecs[r]->index)
      if (IsWordGram(hashes[i])) ++docs[i], sum[i] += targets[r];
  const auto min_docs = static_cast<uint32_t>(
      std::max<double>(static_cast<double>(o.min_docs), o.min_share * static_cast<double>(n)));
  struct Candidate {
    uint32_t index;
    double z;
    double lift;
  };
  std::vector<Candidate> cands;
  for (uint32_t i = 0; i < vocab.size(); ++i) {
    if (docs[i] < min_docs || docs[i] * 2 > n) continue;
    const double lift = sum[i] / docs[i] - mean;
    const double z = lift * std::sqrt(static_cast<double>(docs[i])) / sd;
    if (z >= o.min_z) cands.push_back({i, z, lift});
  }
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return a.z != b.z ? a.z > b.z : a.index < b.index;
  });
  if (cands.size() > o.max_candidates) cands.resize(o.max_candidates);
  std::map<uint32_t, size_t> slot;
  for (size_t c = 0; c < cands.size(); ++c) slot[cands[c].index] = c;
  std::vector<std::vector<uint32_t>> rows(cands.size());
  for (size_t r = 0; r < n; ++r)
    for (uint32_t i : vecs[r]->index)
      if (auto it = slot.find(i); it != slot.end())
        rows[it->second].push_back(static_cast<uint32_t>(r));
  std::vector<size_t> first;  // per concept: its first candidate
  for (size_t c = 0; c < cands.size(); ++c) {
    bool joined = false;
    for (size_t k = 0; k < first.size() && !joined; ++k) {
      if (Jaccard(rows[c], rows[first[k]]) >= o.jaccard) {
        out.members[k].push_back(cands[c].index);
        joined = true;
      }
    }
    if (joined || first.size() >= o.max_clusters) continue;
    first.push_back(c);
    out.members.push_back({cands[c].index});
    out.lift.push_back(static_cast<float>(cands[c].lift));
  }
  for (auto& m : out.members) std::sort(m.begin(), m.end());
  out.Restore(vocab.size());
  return out;
}

bool Concepts::Restore(size_t vocab_size) {
  if (lift.size() != members.size()) return false;
  index_.clear();
  for (size_t k = 0; k < members.size(); ++k)
    for (uint32_t i : members[k]) {
      if (i >= vocab_size) return false;
      index_.emplace_back(i, static_cast<uint32_t>(k));
    }
  std::sort(index_.begin(), index_.end());
  return true;
}

void Concepts::Features(const SparseVec& v, float* out) const {
  out[0] = out[1] = 0.0f;
  if (index_.empty()) return;
  std::vector<uint8_t> present(members.size(), 0);
  auto it = index_.begin();
  for (uint32_t i : v.index) {  // both sorted: one merge pass
    while (it != index_.end() && it->first < i) ++it;
    for (auto jt = it; jt != index_.end() && jt->first == i; ++jt) present[jt->second] = 1;
  }
  for (size_t k = 0; k < present.size(); ++k) {
    if (!present[k]) continue;
    out[0] += 1.0f;
    out[1] += lift[k];
  }
}

}  // namespace zm::scoring::supervised::internal
