#include "scoring/similarity.h"

#include "common/utf8.h"

#include <algorithm>
#include <cmath>

namespace zm::scoring {
namespace {

constexpr int kMaxN = 8;

// Punctuation, symbols used as punctuation, whitespace and controls (after width folding).
bool IsDropped(char32_t c) {
  if (c < 0x80) {
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  }
  if (c <= 0xBF) return true;                   // C1 controls, Latin-1 punctuation and symbols
  if (c == 0xD7 || c == 0xF7) return true;      // multiplication / division signs
  if (c == 0x1680 || c == 0x180E) return true;  // Ogham space, Mongolian vowel separator
  if (c >= 0x2000 && c <= 0x206F) return true;  // general punctuation, spaces, zero-widths
  if (c >= 0x2E00 && c <= 0x2E7F) return true;  // supplemental punctuation
  if (c >= 0x3000 && c <= 0x303F) return c != 0x3005 && c != 0x3007;  // CJK punct (keep 々 〇)
  if (c >= 0xFE10 && c <= 0xFE1F) return true;                        // vertical forms
  if (c >= 0xFE30 && c <= 0xFE6F) return true;  // CJK compatibility and small forms
  if (c == 0xFEFF) return true;                 // BOM
  if (c >= 0xFF5F && c <= 0xFF65) return true;  // half-width CJK punctuation
  if (c == 0xFFFD) return true;
  return false;
}

inline uint64_t Mix64(uint64_t x) {  // splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

inline uint64_t Step(uint64_t h, char32_t c) { return (h ^ static_cast<uint64_t>(c)) * kFnvPrime; }
inline uint64_t Finish(uint64_t h, int n) {
  return Mix64(h ^ (static_cast<uint64_t>(n) * 0x9e3779b97f4a7c15ULL));
}

// Sorted, run-length counted ids.
std::vector<Term> CountIds(std::vector<uint64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  std::vector<Term> terms;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    terms.push_back({ids[i], static_cast<uint32_t>(j - i)});
    i = j;
  }
  return terms;
}

std::vector<uint64_t> Shingles(std::string_view text, int k) {
  const std::u32string cps = NormalizeForMatching(text);
  std::vector<uint64_t> out;
  if (cps.empty()) return out;
  if (k < 1) k = 1;
  const size_t kk = static_cast<size_t>(k);
  if (cps.size() < kk) {
    uint64_t h = kFnvOffset;
    for (char32_t c : cps) h = Step(h, c);
    out.push_back(Finish(h, static_cast<int>(cps.size())));
    return out;
  }
  out.reserve(cps.size() - kk + 1);
  for (size_t i = 0; i + kk <= cps.size(); ++i) {
    uint64_t h = kFnvOffset;
    for (size_t j = 0; j < kk; ++j) h = Step(h, cps[i + j]);
    out.push_back(Finish(h, k));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::u32string NormalizeForMatching(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto c = DecodeUtf8(text, &i);
    if (c == kUtf8Replacement) continue;  // malformed bytes (and U+FFFD itself) carry no meaning
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII -> ASCII
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (IsDropped(c)) continue;
    out.push_back(c);
  }
  return out;
}

std::vector<Term> ExtractTerms(std::string_view text, const NgramOptions& options) {
  const int max_n = std::clamp(options.max_n, 1, kMaxN);
  const int min_n = std::clamp(options.min_n, 1, max_n);
  const int latin_max_n = std::clamp(options.latin_max_n, 1, kMaxN);
  const int latin_min_n = std::clamp(options.latin_min_n, 1, latin_max_n);
  const std::u32string cps = NormalizeForMatching(text);
  std::vector<uint64_t> ids;
  ids.reserve(cps.size() *
              static_cast<size_t>(std::max(max_n - min_n, latin_max_n - latin_min_n) + 1));
  for (size_t i = 0; i < cps.size(); ++i) {
    const bool latin = cps[i] < 0x80;  // only ASCII letters and digits survive normalization
    const int lo = latin ? latin_min_n : min_n;
    const int hi = latin ? latin_max_n : max_n;
    uint64_t h = kFnvOffset;
    for (int n = 1; n <= hi && i + static_cast<size_t>(n) <= cps.size(); ++n) {
      h = Step(h, cps[i + static_cast<size_t>(n) - 1]);
      if (n >= lo) ids.push_back(Finish(h, n));
    }
  }
  return CountIds(ids);
}

SimilarityModel::SimilarityModel(std::span<const std::string> corpus, SimilarityOptions options)
    : options_(options) {
  std::vector<std::string_view> views(corpus.begin(), corpus.end());
  Build(views);
}

SimilarityModel::SimilarityModel(std::span<const std::string_view> corpus,
                                 SimilarityOptions options)
    : options_(options) {
  Build(corpus);
}

void SimilarityModel::Build(std::span<const std::string_view> corpus) {
  std::vector<uint64_t> ids;
  size_t total_length = 0;
  for (std::string_view doc : corpus) {
    const std::vector<Term> terms = ExtractTerms(doc, options_.ngrams);
    for (const Term& t : terms) {
      ids.push_back(t.id);
      total_length += t.count;
    }
  }
  document_count_ = corpus.size();
  document_frequency_ = CountIds(ids);
  average_length_ = document_count_ == 0 || total_length == 0
                        ? 1.0
                        : static_cast<double>(total_length) / static_cast<double>(document_count_);
}

uint32_t SimilarityModel::DocumentFrequency(uint64_t term_id) const {
  auto it = std::lower_bound(document_frequency_.begin(), document_frequency_.end(), term_id,
                             [](const Term& t, uint64_t id) { return t.id < id; });
  return it != document_frequency_.end() && it->id == term_id ? it->count : 0;
}

double SimilarityModel::IdfFromDf(double df) const {
  const double n = static_cast<double>(document_count_);
  return std::log((1.0 + n) / (1.0 + df)) + 1.0;
}

double SimilarityModel::Bm25IdfFromDf(double df) const {
  const double n = static_cast<double>(document_count_);
  return std::log(1.0 + (std::max(0.0, n - df) + 0.5) / (df + 0.5));
}

double SimilarityModel::Idf(uint64_t term_id) const {
  return IdfFromDf(DocumentFrequency(term_id));
}

double SimilarityModel::Bm25Idf(uint64_t term_id) const {
  return Bm25IdfFromDf(DocumentFrequency(term_id));
}

Document SimilarityModel::Analyze(std::string_view text) const {
  Document d;
  d.terms = ExtractTerms(text, options_.ngrams);
  for (const Term& t : d.terms) d.length += t.count;
  const double k1 = options_.bm25_k1;
  const double b = options_.bm25_b;
  const double norm = k1 * (1.0 - b + b * static_cast<double>(d.length) / average_length_);
  d.weights.reserve(d.terms.size());
  d.bm25_weights.reserve(d.terms.size());
  double norm2 = 0;
  for (const Term& t : d.terms) {
    const double df = DocumentFrequency(t.id);
    const double tf = t.count;
    const double w = (1.0 + std::log(tf)) * IdfFromDf(df);
    d.weights.push_back(w);
    norm2 += w * w;
    const double bw = Bm25IdfFromDf(df) * tf * (k1 + 1.0) / (tf + norm);
    d.bm25_weights.push_back(bw);
    d.bm25_self += bw;
  }
  if (norm2 > 0) {
    const double inv = 1.0 / std::sqrt(norm2);
    for (double& w : d.weights) {
      w *= inv;
      d.weight_sum += w;
    }
  }
  return d;
}

namespace {
// Calls fn(i, j) for each term id present in both documents (their terms are sorted by id).
template <class Fn>
void ForEachSharedTerm(const Document& a, const Document& b, Fn fn) {
  size_t i = 0, j = 0;
  while (i < a.terms.size() && j < b.terms.size()) {
    if (a.terms[i].id < b.terms[j].id) {
      ++i;
    } else if (b.terms[j].id < a.terms[i].id) {
      ++j;
    } else {
      fn(i++, j++);
    }
  }
}
}  // namespace

double SimilarityModel::Cosine(const Document& a, const Document& b) {
  double dot = 0;
  ForEachSharedTerm(a, b, [&](size_t i, size_t j) { dot += a.weights[i] * b.weights[j]; });
  return std::clamp(dot, 0.0, 1.0);
}

double SimilarityModel::Cosine(std::string_view a, std::string_view b) const {
  return Cosine(Analyze(a), Analyze(b));
}

double SimilarityModel::Coverage(const Document& answer, const Document& reference) {
  if (reference.weight_sum <= 0) return 0;
  double covered = 0;
  ForEachSharedTerm(answer, reference, [&](size_t, size_t j) { covered += reference.weights[j]; });
  return std::clamp(covered / reference.weight_sum, 0.0, 1.0);
}

double SimilarityModel::Coverage(std::string_view answer, std::string_view reference) const {
  return Coverage(Analyze(answer), Analyze(reference));
}

double SimilarityModel::Bm25(const Document& answer, const Document& reference) {
  double score = 0;
  ForEachSharedTerm(answer, reference,
                    [&](size_t, size_t j) { score += reference.bm25_weights[j]; });
  return score;
}

double SimilarityModel::Bm25Normalized(const Document& answer, const Document& reference) {
  if (reference.bm25_self <= 0) return 0;
  return std::clamp(Bm25(answer, reference) / reference.bm25_self, 0.0, 1.0);
}

double ShingleJaccard(std::string_view a, std::string_view b, int k) {
  const std::vector<uint64_t> sa = Shingles(a, k);
  const std::vector<uint64_t> sb = Shingles(b, k);
  if (sa.empty() || sb.empty()) return 0;
  size_t common = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < sa.size() && j < sb.size()) {
    if (sa[i] < sb[j]) {
      ++i;
    } else if (sb[j] < sa[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

bool NearDuplicate(std::string_view a, std::string_view b, double threshold) {
  if (NormalizeForMatching(a).empty() || NormalizeForMatching(b).empty()) return false;
  return ShingleJaccard(a, b, 5) >= threshold;
}

}  // namespace zm::scoring
