// Phrase matching with synonyms on normalized text: what the rubric scorer uses to find
// behavioural indicators ("倾听客户需求" / "了解客户需求" / "挖掘需求") in an answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "text/analyzer.h"

namespace zm::text {

// One phrase to look for, with its synonyms. Matching is on normalized text, so traditional
// Chinese, full-width forms and letter case do not matter ("團隊協作" finds "团队协作").
struct PhraseSpec {
  std::string id;  // caller's key, e.g. an indicator id; unique within one matcher
  std::string phrase;
  std::vector<std::string> synonyms;
};

struct PhraseMatch {
  // Points into the matcher: valid while the matcher lives and is not moved from or assigned to.
  std::string_view phrase_id;
  size_t phrase_index = 0;  // index of the PhraseSpec given to Build
  size_t variant = 0;       // 0: the phrase itself; i >= 1: synonyms[i - 1]
  size_t norm_begin = 0;    // byte range in NormalizedText::text
  size_t norm_end = 0;
  Span span;  // the same range in NormalizedText::original (bytes and characters)
};

struct PhraseMatcherOptions {
  // A term ending in an ASCII letter also matches when followed by the suffix s, es, ed, d,
  // ing or 's ("team" finds "teams", "listen" finds "listening"); the span covers the suffix.
  // Only for terms of 3+ bytes, so "i" does not match "is".
  bool english_inflections = true;
};

// Aho-Corasick automaton over the normalized bytes of every phrase and synonym.
// Thread safety: immutable after Build; Find is const and safe from any number of threads.
// Copyable and movable (a plain value).
class PhraseMatcher {
 public:
  // Normalizes every phrase and synonym with `analyzer` (which need not outlive the matcher).
  // Synonyms that normalize to empty text are skipped, as are variants equal to an earlier
  // variant of the same phrase. Errors: kInvalidArgument for an empty id, a duplicate id, or a
  // phrase that normalizes to empty text (details name the offending "phrases[i]").
  static Result<PhraseMatcher> Build(const Analyzer& analyzer, std::vector<PhraseSpec> phrases,
                                     const PhraseMatcherOptions& options = {});

  // Builds from terms that are already normalized (lower case, simplified Chinese, single
  // spaces); for built-in lexicons. Never fails; empty terms are skipped.
  static PhraseMatcher FromNormalized(std::vector<PhraseSpec> phrases,
                                      const PhraseMatcherOptions& options = {});

  PhraseMatcher() = default;

  // Every occurrence of every variant in `text` (overlapping ones included), ordered by
  // position, longer first at equal positions. A term starting (ending) with a letter or digit
  // of an alphabetic script only matches at a word boundary: "team" does not match "steam" or
  // "teammate"; Chinese terms match anywhere. O(text) scanning plus O(text) per match for the
  // character offsets.
  std::vector<PhraseMatch> Find(const NormalizedText& text) const;

  // Keeps, scanning left to right, the longest match at each position and drops matches that
  // overlap an already kept one (e.g. "我们" wins over "我" inside it). Input must be ordered
  // as Find returns it.
  static std::vector<PhraseMatch> LeftmostLongest(std::vector<PhraseMatch> matches);

  size_t size() const { return phrases_.size(); }
  const PhraseSpec& phrase(size_t index) const { return phrases_[index]; }
  // Normalized text of a variant (0: the phrase); empty when that variant was skipped.
  const std::string& normalized(size_t index, size_t variant) const {
    return normalized_[index][variant];
  }

 private:
  struct Term {
    std::string text;
    bool word_start = false;  // needs a word boundary before it
    bool word_end = false;    // needs a word boundary after it
    bool inflectable = false;
    std::vector<std::pair<uint32_t, uint32_t>> owners;  // (phrase_index, variant)
  };
  struct Edge {
    unsigned char byte;
    int32_t target;
  };
  struct Node {
    uint32_t edge_begin = 0;
    uint32_t edge_count = 0;
    int32_t fail = 0;
    int32_t term = -1;       // term ending exactly here
    int32_t dict_link = -1;  // nearest node on the fail chain with a term
  };

  void Compile(const PhraseMatcherOptions& options);
  int32_t Next(int32_t node, unsigned char byte) const;

  std::vector<PhraseSpec> phrases_;
  std::vector<std::vector<std::string>> normalized_;  // [phrase][variant]
  std::vector<Term> terms_;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::vector<int32_t> root_next_;  // dense 256-entry table for the root
};

}  // namespace zm::text
