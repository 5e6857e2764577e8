// Text features of the supervised scorer: normalization with offsets back into the original
// text, hashed character and word n-grams, the fitted vocabulary with IDF, TF-IDF vectors, and
// the dense length/structure/reference features. Internal to zm_supervised.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised::internal {

// A code point of the normalized text and where it came from in the original.
struct Unit {
  char32_t cp = 0;
  uint32_t byte_begin = 0;
  uint32_t byte_end = 0;
  uint32_t char_index = 0;  // index of the original code point
};

// Decodes UTF-8 (invalid bytes dropped), lower-cases ASCII, folds full-width ASCII and ideographic
// space, turns every whitespace run into one ' ' (none at either end).
std::vector<Unit> NormalizeUnits(std::string_view text);

// A word token: units [begin, end) and its hash; `ideograph`: one CJK ideograph / kana /
// hangul syllable (a character, not a word).
struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint64_t hash = 0;
  bool ideograph = false;
};
std::vector<Token> Tokenize(const std::vector<Unit>& units);

// Top bit of an n-gram hash: 0 character n-gram, 1 word n-gram. Hashes are never 0.
constexpr uint64_t kWordBit = uint64_t{1} << 63;
inline bool IsWordGram(uint64_t h) { return (h & kWordBit) != 0; }

// Calls fn(hash, unit_begin, unit_end) for every character and word n-gram of the text.
template <class Fn>
void ForEachGram(const std::vector<Unit>& units, const std::vector<Token>& tokens,
                 const FeatureOptions& o, Fn&& fn);

// Number of the always-present dense features (text, then reference) and their names (stable:
// they are part of the saved model). The k-NN features follow them when enabled.
constexpr size_t kTextDense = 8;
constexpr size_t kRefDense = 8;
constexpr size_t kBaseDense = kTextDense + kRefDense;
extern const std::array<const char*, kBaseDense> kBaseDenseNames;

// An answer reduced to what training needs: its distinct n-gram hashes with counts (sorted by
// hash) and its text dense features.
struct RawDoc {
  std::vector<std::pair<uint64_t, uint32_t>> grams;
  std::array<float, kTextDense> text_dense{};
  uint32_t units = 0;  // normalized code points
};
class Speller;
// `speller` (may be null) normalizes the word tokens' spelling.
RawDoc AnalyzeRaw(std::string_view text, const FeatureOptions& options,
                  const Speller* speller = nullptr);
// The text dense features (kTextDense values) of a normalized, tokenized text.
void TextDenseFeatures(const std::vector<Unit>& units, const std::vector<Token>& tokens,
                       float* out);

// Sparse vector over the vocabulary: sorted indices, parallel values.
struct SparseVec {
  std::vector<uint32_t> index;
  std::vector<float> value;
};

// Open-addressing hash -> index map (keys never 0). Immutable after Build.
class FlatIndex {
 public:
  void Build(std::span<const uint64_t> keys);  // key i -> i
  // Index of `key`, or -1.
  int64_t Find(uint64_t key) const {
    if (mask_ == 0) return -1;
    size_t slot = static_cast<size_t>(key ^ (key >> 29)) & mask_;
    while (true) {
      const uint64_t k = keys_[slot];
      if (k == key) return values_[slot];
      if (k == 0) return -1;
      slot = (slot + 1) & mask_;
    }
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  size_t mask_ = 0;
};

// Spelling normalization of word tokens. The dictionary is the alphabetic words of at least
// kMinLetters code points that occur in at least `min_df` training answers (no labels used). A
// word token of the same kind that is not in the dictionary takes the hash of the dictionary word
// at optimal-string-alignment distance 1 that most answers use (ties: the smaller word), so
// "polimer" counts as "polymer" in the word n-grams; the character n-grams and the spans keep the
// original text. Tokens with digits are never changed ("2012" is not "2013"). Immutable after
// construction; Apply is thread-safe.
class Speller {
 public:
  static constexpr size_t kMinLetters = 4;
  // From the training texts; min_df < 1 gives an empty speller (Apply changes nothing).
  static Speller Fit(std::span<const std::string_view> texts, int min_df);
  // From saved parts (words as UTF-8, parallel answer counts).
  static Speller FromParts(const std::vector<std::string>& words,
                           const std::vector<uint32_t>& counts);

  bool empty() const { return words_.empty(); }
  std::vector<std::string> WordsUtf8() const;
  const std::vector<uint32_t>& counts() const { return counts_; }
  // Replaces the hash of every misspelled token of `units` by its dictionary word's.
  void Apply(const std::vector<Unit>& units, std::vector<Token>* tokens) const;

 private:
  void Build();
  std::vector<std::u32string> words_;  // sorted ascending
  std::vector<uint32_t> counts_;
  FlatIndex known_;  // hash of a dictionary word -> its index
  // (hash of a dictionary word or of the word with one code point deleted, word index), sorted.
  std::vector<std::pair<uint64_t, uint32_t>> keys_;
};

// Vocabulary (n-gram hashes sorted ascending, with IDF) fitted on training answers.
class Vocabulary {
 public:
  static Vocabulary Fit(std::span<const RawDoc* const> docs, const FeatureOptions& options);
  // From saved parts; hashes must be strictly ascending and non-zero.
  static Vocabulary FromParts(std::vector<uint64_t> hashes, std::vector<float> idf);

  size_t size() const { return hashes_.size(); }
  const std::vector<uint64_t>& hashes() const { return hashes_; }
  const std::vector<float>& idf() const { return idf_; }
  int64_t Find(uint64_t hash) const { return index_.Find(hash); }

  // TF-IDF ((1 + ln tf) * idf), character and word blocks each L2-normalized.
  void Vectorize(const RawDoc& doc, SparseVec* out) const;
  // Same from (vocabulary index, count) pairs sorted by index.
  void VectorizeCounts(std::span<const std::pair<uint32_t, uint32_t>> counts, SparseVec* out) const;

 private:
  void Normalize(SparseVec* v) const;
  std::vector<uint64_t> hashes_;
  std::vector<float> idf_;
  FlatIndex index_;
};

// Reference features (similarity of the answer to its reference) into out[0..kRefDense).
// `ref` null: all zero.
void ReferenceFeatures(const Vocabulary& vocab, const SparseVec& answer, size_t answer_units,
                       const SparseVec* ref, size_t ref_units, float* out);

// --- template implementation ---

inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
constexpr uint64_t kFnvOffset = 0xCBF29CE484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001B3ULL;

inline uint64_t FinishGram(uint64_t h, int n, bool word) {
  uint64_t x = Mix64(h ^ (static_cast<uint64_t>(n) * 0x51ED2701ULL));
  x = (x & ~kWordBit) | (word ? kWordBit : 0);
  return x | 1;
}

// Hash of the skip-bigram (first word, last word) with the words between them skipped.
inline uint64_t SkipGramHash(uint64_t first, uint64_t last) {
  uint64_t h = kFnvOffset;
  h = (h ^ first) * kFnvPrime;
  h = (h ^ 0x5C1B5C1BULL) * kFnvPrime;
  h = (h ^ last) * kFnvPrime;
  return FinishGram(h, 0x40, true);
}

template <class Fn>
void ForEachGram(const std::vector<Unit>& units, const std::vector<Token>& tokens,
                 const FeatureOptions& o, Fn&& fn) {
  const size_t n_units = units.size();
  for (size_t i = 0; i < n_units; ++i) {
    uint64_t h = kFnvOffset;
    for (int n = 1; n <= o.char_max_n && i + n <= n_units; ++n) {
      h = (h ^ units[i + n - 1].cp) * kFnvPrime;
      if (n < o.char_min_n) continue;
      if (n == 1 && units[i].cp == U' ') continue;
      fn(FinishGram(h, n, false), static_cast<uint32_t>(i), static_cast<uint32_t>(i + n));
    }
  }
  const size_t n_tokens = tokens.size();
  for (size_t t = 0; t < n_tokens; ++t) {
    uint64_t h = kFnvOffset;
    for (int n = 1; n <= o.word_max_n && t + n <= n_tokens; ++n) {
      h = (h ^ tokens[t + n - 1].hash) * kFnvPrime;
      if (n < o.word_min_n) continue;
      fn(FinishGram(h, n, true), tokens[t].begin, tokens[t + n - 1].end);
    }
  }
  // Skip-bigrams: words 2..word_skip + 1 tokens apart (one feature whatever the gap). Not
  // between CJK characters: the character n-grams already pair nearby characters (on LE the
  // character pairs lowered the cross-validated QWK).
  for (size_t gap = 2; gap <= static_cast<size_t>(o.word_skip) + 1; ++gap)
    for (size_t t = 0; t + gap < n_tokens; ++t)
      if (!tokens[t].ideograph && !tokens[t + gap].ideograph)
        fn(SkipGramHash(tokens[t].hash, tokens[t + gap].hash), tokens[t].begin,
           tokens[t + gap].end);
}

}  // namespace zm::scoring::supervised::internal
