#include "scoring/supervised/internal/features.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace zm::scoring::supervised::internal {
namespace {

// Decodes one code point at `i`, advancing `i`; -1 for an invalid sequence (one byte skipped).
int32_t DecodeUtf8(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return -1;
  }
  if (i + len > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0x00A0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF;
}

bool IsCjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) ||
         (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF);
}

// Letters and digits outside CJK that continue a word: ASCII alphanumerics and the non-ASCII
// letters of alphabetic scripts (Latin-1 letters, Greek, Cyrillic, ...), apart from punctuation
// and symbol blocks.
bool IsWordChar(char32_t c) {
  if (c < 0x80)
    return (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z');
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0xC0 && c <= 0x24F) return true;   // Latin-1 letters, Latin Extended
  if (c >= 0x370 && c <= 0x52F) return true;  // Greek, Cyrillic
  return false;
}

bool IsSentenceEnd(char32_t c) {
  return c == U'.' || c == U'!' || c == U'?' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}

}  // namespace

const std::array<const char*, kBaseDense> kBaseDenseNames = {
    "length_chars",     "length_words",        "distinct_words",
    "distinct_ratio",   "mean_word_length",    "sentences",
    "digits",           "punctuation",         "has_reference",
    "ref_cosine_chars", "ref_cosine_words",    "ref_recall_chars",
    "ref_recall_words", "ref_precision_chars", "ref_precision_words",
    "ref_length_ratio"};

std::vector<Unit> NormalizeUnits(std::string_view text) {
  std::vector<Unit> units;
  units.reserve(text.size());
  size_t i = 0;
  uint32_t char_index = 0;
  bool pending_space = false;
  while (i < text.size()) {
    const size_t begin = i;
    const int32_t raw = DecodeUtf8(text, i);
    if (raw < 0) continue;
    const uint32_t index = char_index++;
    auto c = static_cast<char32_t>(raw);
    if (IsSpace(c)) {
      pending_space = !units.empty();
      continue;
    }
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c >= U'A' && c <= U'Z') c += 32;
    if (pending_space) {
      units.push_back({U' ', static_cast<uint32_t>(begin), static_cast<uint32_t>(begin), index});
      pending_space = false;
    }
    units.push_back({c, static_cast<uint32_t>(begin), static_cast<uint32_t>(i), index});
  }
  return units;
}

std::vector<Token> Tokenize(const std::vector<Unit>& units) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = units.size();
  while (i < n) {
    const char32_t c = units[i].cp;
    if (IsCjk(c)) {
      tokens.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1),
                        Mix64((kFnvOffset ^ c) * kFnvPrime), true});
      ++i;
    } else if (IsWordChar(c)) {
      uint64_t h = kFnvOffset;
      const size_t b = i;
      while (i < n && IsWordChar(units[i].cp)) h = (h ^ units[i++].cp) * kFnvPrime;
      tokens.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(i), Mix64(h)});
    } else {
      ++i;
    }
  }
  return tokens;
}

void TextDenseFeatures(const std::vector<Unit>& units, const std::vector<Token>& tokens,
                       float* out) {
  size_t chars = 0;
  size_t sentences = 0;
  size_t digits = 0;
  size_t punct = 0;
  for (const Unit& u : units) {
    if (u.cp == U' ') continue;
    ++chars;
    if (IsSentenceEnd(u.cp)) ++sentences;
    if (u.cp >= U'0' && u.cp <= U'9') ++digits;
    if (!IsWordChar(u.cp) && !IsCjk(u.cp)) ++punct;
  }
  std::vector<uint64_t> hashes;
  hashes.reserve(tokens.size());
  size_t token_chars = 0;
  for (const Token& t : tokens) {
    hashes.push_back(t.hash);
    token_chars += t.end - t.begin;
  }
  std::sort(hashes.begin(), hashes.end());
  const auto distinct =
      static_cast<size_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
  const auto nt = static_cast<double>(tokens.size());
  out[0] = static_cast<float>(std::log1p(static_cast<double>(chars)));
  out[1] = static_cast<float>(std::log1p(nt));
  out[2] = static_cast<float>(std::log1p(static_cast<double>(distinct)));
  out[3] = tokens.empty() ? 0.0f : static_cast<float>(static_cast<double>(distinct) / nt);
  out[4] = tokens.empty() ? 0.0f : static_cast<float>(static_cast<double>(token_chars) / nt);
  out[5] = static_cast<float>(std::log1p(static_cast<double>(sentences)));
  out[6] = static_cast<float>(std::log1p(static_cast<double>(digits)));
  out[7] = static_cast<float>(std::log1p(static_cast<double>(punct)));
}

RawDoc AnalyzeRaw(std::string_view text, const FeatureOptions& options, const Speller* speller) {
  RawDoc doc;
  const std::vector<Unit> units = NormalizeUnits(text);
  std::vector<Token> tokens = Tokenize(units);
  if (speller != nullptr) speller->Apply(units, &tokens);
  std::vector<uint64_t> hashes;
  hashes.reserve(units.size() * 5 + tokens.size() * 3);
  ForEachGram(units, tokens, options, [&](uint64_t h, uint32_t, uint32_t) { hashes.push_back(h); });
  std::sort(hashes.begin(), hashes.end());
  for (size_t i = 0; i < hashes.size();) {
    size_t j = i;
    while (j < hashes.size() && hashes[j] == hashes[i]) ++j;
    doc.grams.emplace_back(hashes[i], static_cast<uint32_t>(j - i));
    i = j;
  }
  TextDenseFeatures(units, tokens, doc.text_dense.data());
  doc.units = static_cast<uint32_t>(units.size());
  return doc;
}

namespace {

uint64_t WordHash(std::u32string_view w, size_t skip = std::u32string_view::npos) {
  uint64_t h = kFnvOffset;
  for (size_t i = 0; i < w.size(); ++i)
    if (i != skip) h = (h ^ w[i]) * kFnvPrime;
  return Mix64(h);  // as Tokenize hashes a word
}

bool IsLetter(char32_t c) { return IsWordChar(c) && !(c >= U'0' && c <= U'9'); }

// Optimal string alignment distance <= 1 (one insertion, deletion, substitution or swap of
// neighbours).
bool WithinOneEdit(std::u32string_view a, std::u32string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one more at the end
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);  // swap
  }
  return a.substr(i) == b.substr(i + 1);  // b has one more at i
}

}  // namespace

Speller Speller::Fit(std::span<const std::string_view> texts, int min_df) {
  Speller s;
  if (min_df < 1) return s;
  std::map<std::u32string, uint32_t> df;
  for (std::string_view text : texts) {
    const std::vector<Unit> units = NormalizeUnits(text);
    std::vector<std::u32string> seen;
    for (const Token& t : Tokenize(units)) {
      if (t.ideograph || t.end - t.begin < kMinLetters) continue;
      std::u32string w;
      bool letters = true;
      for (uint32_t i = t.begin; i < t.end && letters; ++i) {
        letters = IsLetter(units[i].cp);
        w.push_back(units[i].cp);
      }
      if (letters) seen.push_back(std::move(w));
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (std::u32string& w : seen) ++df[std::move(w)];
  }
  for (auto& [w, c] : df) {
    if (c < static_cast<uint32_t>(min_df)) continue;
    s.words_.push_back(w);
    s.counts_.push_back(c);
  }
  s.Build();
  return s;
}

Speller Speller::FromParts(const std::vector<std::string>& words,
                           const std::vector<uint32_t>& counts) {
  Speller s;
  std::vector<std::pair<std::u32string, uint32_t>> all;
  for (size_t i = 0; i < words.size() && i < counts.size(); ++i) {
    std::u32string w;
    for (const Unit& u : NormalizeUnits(words[i])) w.push_back(u.cp);
    all.emplace_back(std::move(w), counts[i]);
  }
  std::sort(all.begin(), all.end());
  for (auto& [w, c] : all) {
    s.words_.push_back(std::move(w));
    s.counts_.push_back(c);
  }
  s.Build();
  return s;
}

std::vector<std::string> Speller::WordsUtf8() const {
  std::vector<std::string> out;
  out.reserve(words_.size());
  for (const std::u32string& w : words_) {
    std::string u;
    for (char32_t c : w) {
      if (c < 0x80) {
        u.push_back(static_cast<char>(c));
      } else if (c < 0x800) {
        u.push_back(static_cast<char>(0xC0 | (c >> 6)));
        u.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      } else {
        u.push_back(static_cast<char>(0xE0 | (c >> 12)));
        u.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        u.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    out.push_back(std::move(u));
  }
  return out;
}

void Speller::Build() {
  std::vector<uint64_t> hashes;
  keys_.clear();
  for (size_t i = 0; i < words_.size(); ++i) {
    const std::u32string& w = words_[i];
    hashes.push_back(WordHash(w));
    keys_.emplace_back(hashes.back(), static_cast<uint32_t>(i));
    for (size_t k = 0; k < w.size(); ++k)
      keys_.emplace_back(WordHash(w, k), static_cast<uint32_t>(i));
  }
  std::sort(keys_.begin(), keys_.end());
  keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
  known_.Build(hashes);
}

void Speller::Apply(const std::vector<Unit>& units, std::vector<Token>* tokens) const {
  if (words_.empty()) return;
  std::u32string w;
  for (Token& t : *tokens) {
    if (t.ideograph || t.end - t.begin < kMinLetters || known_.Find(t.hash) >= 0) continue;
    w.clear();
    bool letters = true;
    for (uint32_t i = t.begin; i < t.end && letters; ++i) {
      letters = IsLetter(units[i].cp);
      w.push_back(units[i].cp);
    }
    if (!letters) continue;
    int64_t best = -1;
    auto consider = [&](uint64_t key) {
      auto it = std::lower_bound(keys_.begin(), keys_.end(), std::make_pair(key, uint32_t{0}));
      for (; it != keys_.end() && it->first == key; ++it) {
        const uint32_t c = it->second;
        if (best >= 0 && (counts_[c] < counts_[best] || (counts_[c] == counts_[best] && c > best)))
          continue;
        if (WithinOneEdit(w, words_[c])) best = c;
      }
    };
    consider(t.hash);
    for (size_t k = 0; k < w.size(); ++k) consider(WordHash(w, k));
    if (best >= 0) t.hash = WordHash(words_[best]);
  }
}

void FlatIndex::Build(std::span<const uint64_t> keys) {
  size_t cap = 16;
  while (cap < keys.size() * 2) cap <<= 1;
  keys_.assign(cap, 0);
  values_.assign(cap, 0);
  mask_ = cap - 1;
  for (size_t i = 0; i < keys.size(); ++i) {
    const uint64_t key = keys[i];
    size_t slot = static_cast<size_t>(key ^ (key >> 29)) & mask_;
    while (keys_[slot] != 0 && keys_[slot] != key) slot = (slot + 1) & mask_;
    keys_[slot] = key;
    values_[slot] = static_cast<uint32_t>(i);
  }
}

Vocabulary Vocabulary::Fit(std::span<const RawDoc* const> docs, const FeatureOptions& options) {
  std::vector<uint64_t> all;
  size_t total = 0;
  for (const RawDoc* d : docs) total += d->grams.size();
  all.reserve(total);
  for (const RawDoc* d : docs)
    for (const auto& g : d->grams) all.push_back(g.first);
  std::sort(all.begin(), all.end());
  std::vector<std::pair<uint64_t, uint32_t>> df;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    if (j - i >= static_cast<size_t>(std::max(1, options.min_df)))
      df.emplace_back(all[i], static_cast<uint32_t>(j - i));
    i = j;
  }
  if (df.size() > options.max_vocabulary) {
    std::stable_sort(df.begin(), df.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    df.resize(options.max_vocabulary);
    std::sort(df.begin(), df.end());
  }
  std::vector<uint64_t> hashes;
  std::vector<float> idf;
  hashes.reserve(df.size());
  idf.reserve(df.size());
  const double n = static_cast<double>(docs.size());
  for (const auto& [h, c] : df) {
    hashes.push_back(h);
    idf.push_back(static_cast<float>(std::log((1.0 + n) / (1.0 + c)) + 1.0));
  }
  return FromParts(std::move(hashes), std::move(idf));
}

Vocabulary Vocabulary::FromParts(std::vector<uint64_t> hashes, std::vector<float> idf) {
  Vocabulary v;
  v.hashes_ = std::move(hashes);
  v.idf_ = std::move(idf);
  v.index_.Build(v.hashes_);
  return v;
}

void Vocabulary::Normalize(SparseVec* v) const {
  double char_sq = 0;
  double word_sq = 0;
  for (size_t k = 0; k < v->index.size(); ++k) {
    const double x = v->value[k];
    (IsWordGram(hashes_[v->index[k]]) ? word_sq : char_sq) += x * x;
  }
  const double char_scale = char_sq > 0 ? 1.0 / std::sqrt(char_sq) : 0.0;
  const double word_scale = word_sq > 0 ? 1.0 / std::sqrt(word_sq) : 0.0;
  for (size_t k = 0; k < v->index.size(); ++k) {
    const double s = IsWordGram(hashes_[v->index[k]]) ? word_scale : char_scale;
    v->value[k] = static_cast<float>(v->value[k] * s);
  }
}

void Vocabulary::Vectorize(const RawDoc& doc, SparseVec* out) const {
  std::vector<std::pair<uint32_t, uint32_t>> counts;
  counts.reserve(doc.grams.size());
  for (const auto& [h, c] : doc.grams) {
    const int64_t idx = Find(h);
    if (idx >= 0) counts.emplace_back(static_cast<uint32_t>(idx), c);
  }
  std::sort(counts.begin(), counts.end());
  VectorizeCounts(counts, out);
}

void Vocabulary::VectorizeCounts(std::span<const std::pair<uint32_t, uint32_t>> counts,
                                 SparseVec* out) const {
  out->index.clear();
  out->value.clear();
  out->index.reserve(counts.size());
  out->value.reserve(counts.size());
  for (const auto& [idx, c] : counts) {
    out->index.push_back(idx);
    out->value.push_back(static_cast<float>((1.0 + std::log(static_cast<double>(c))) * idf_[idx]));
  }
  Normalize(out);
}

void ReferenceFeatures(const Vocabulary& vocab, const SparseVec& answer, size_t answer_units,
                       const SparseVec* ref, size_t ref_units, float* out) {
  std::fill(out, out + kRefDense, 0.0f);
  if (ref == nullptr) return;
  out[0] = 1.0f;
  // Dot products and covered weights per block (0 chars, 1 words).
  double dot[2] = {0, 0};
  double ref_total[2] = {0, 0};
  double ref_covered[2] = {0, 0};
  double ans_total[2] = {0, 0};
  double ans_covered[2] = {0, 0};
  const auto& hashes = vocab.hashes();
  for (size_t k = 0; k < ref->index.size(); ++k)
    ref_total[IsWordGram(hashes[ref->index[k]]) ? 1 : 0] += ref->value[k];
  for (size_t k = 0; k < answer.index.size(); ++k)
    ans_total[IsWordGram(hashes[answer.index[k]]) ? 1 : 0] += answer.value[k];
  size_t a = 0;
  size_t r = 0;
  while (a < answer.index.size() && r < ref->index.size()) {
    if (answer.index[a] < ref->index[r]) {
      ++a;
    } else if (answer.index[a] > ref->index[r]) {
      ++r;
    } else {
      const int b = IsWordGram(hashes[answer.index[a]]) ? 1 : 0;
      dot[b] += static_cast<double>(answer.value[a]) * ref->value[r];
      ref_covered[b] += ref->value[r];
      ans_covered[b] += answer.value[a];
      ++a, ++r;
    }
  }
  out[1] = static_cast<float>(dot[0]);
  out[2] = static_cast<float>(dot[1]);
  out[3] = ref_total[0] > 0 ? static_cast<float>(ref_covered[0] / ref_total[0]) : 0.0f;
  out[4] = ref_total[1] > 0 ? static_cast<float>(ref_covered[1] / ref_total[1]) : 0.0f;
  out[5] = ans_total[0] > 0 ? static_cast<float>(ans_covered[0] / ans_total[0]) : 0.0f;
  out[6] = ans_total[1] > 0 ? static_cast<float>(ans_covered[1] / ans_total[1]) : 0.0f;
  out[7] = static_cast<float>(
      std::log((1.0 + static_cast<double>(answer_units)) / (1.0 + static_cast<double>(ref_units))));
}

}  // namespace zm::scoring::supervised::internal
