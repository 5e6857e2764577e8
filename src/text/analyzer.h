// Text analysis entry point: normalization with an offset map back to the original, word
// segmentation, sentence splitting and language detection, for Chinese and English answers.
//
// Offsets: every span this library reports is a half-open range [begin, end) of UTF-8 byte
// offsets, and where it refers to a candidate's answer, also of code point ("character") offsets
// into the ORIGINAL answer, which is what the API reports as evidence. Matching and feature
// extraction run on normalized text (NormalizedText::text) and map back through
// NormalizedText::OriginalSpan.
//
// ICU and OpenCC are implementation details: no header of this library includes them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::text {

// Language of a text, as far as the scorer cares. kMixed: both Chinese and English carry a
// substantial share (code-switching answers such as "我负责 backend 的 API design").
enum class Language { kZh, kEn, kMixed };

// "zh", "en", "mixed".
const char* LanguageName(Language language);

// A span of the original text, in bytes and in code points. Half-open: [begin, end).
struct Span {
  size_t byte_begin = 0;
  size_t byte_end = 0;
  size_t char_begin = 0;
  size_t char_end = 0;

  bool operator==(const Span&) const = default;
};

// A byte range [begin, end) of whatever text the producing function was given.
struct ByteRange {
  size_t begin = 0;
  size_t end = 0;

  bool operator==(const ByteRange&) const = default;
};

// Code point index of byte offset `byte` in UTF-8 `text`: the number of code points that start
// before it. `byte` past the end is clamped to text.size(). Invalid bytes count as one code point
// each (as U+FFFD would). O(byte).
size_t ByteToCharOffset(std::string_view text, size_t byte);
// Byte offset of code point index `char_index` in UTF-8 `text`; past the end -> text.size().
size_t CharToByteOffset(std::string_view text, size_t char_index);

// The result of Analyzer::Normalize. Plain value: copyable, no references into anything else.
struct NormalizedText {
  // Copy of the input, so spans can be mapped and character offsets counted without the caller
  // keeping the original alive.
  std::string original;
  // NFKC + case folding (ICU NFKC_Casefold), traditional -> simplified Chinese (OpenCC t2s),
  // whitespace runs collapsed to one ASCII space, whitespace between two Han characters removed
  // ("团队 协作" -> "团队协作", common in speech transcripts), trimmed. Valid UTF-8.
  std::string text;
  // to_original[i]: byte offset in `original` where the character that produced normalized byte
  // i starts. Size text.size() + 1; the last entry is original.size().
  std::vector<size_t> to_original;
  // to_original_end[i]: byte offset in `original` just past the character(s) that produced
  // normalized byte i. Size text.size().
  std::vector<size_t> to_original_end;

  // Maps the normalized byte range [norm_begin, norm_end) to the original text: from the start of
  // the source of its first byte to the end of the source of its last byte, with character
  // offsets. An empty or out-of-range input range gives an empty span at the mapped position.
  Span OriginalSpan(size_t norm_begin, size_t norm_end) const;
  // The original text under `span`.
  std::string_view OriginalText(const Span& span) const;
};

// One word token from Segment().
struct Token {
  enum class Kind { kNumber, kLetter, kIdeographic, kKana };
  std::string text;  // the token as it appears in the segmented text
  size_t begin = 0;  // byte offsets into the segmented text
  size_t end = 0;
  Kind kind = Kind::kLetter;
};

// Where Analyzer::Create finds its data. Defaults suit a Debian install of the `opencc` package.
struct AnalyzerOptions {
  // Path to OpenCC's t2s.json. Empty: the package data directory found at build time, then
  // /usr/share/opencc and /usr/local/share/opencc.
  std::string opencc_t2s_config;
};

// Thread safety: immutable after Create(); every method is const and may be called from any
// number of threads at once (ICU break iterators are cloned per call; the OpenCC converter and
// the ICU normalizer are read-only).
class Analyzer {
 public:
  // Loads OpenCC's t2s conversion and ICU's NFKC_Casefold normalizer and word break rules once.
  // Errors: kUnavailable when t2s.json cannot be found or loaded, or ICU data fails to load.
  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options = {});

  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Normalizes `input` (see NormalizedText::text) and records the offset map. Invalid UTF-8
  // bytes become U+FFFD mapped to the offending byte. Never fails; empty input -> empty text.
  NormalizedText Normalize(std::string_view input) const;

  // Word tokens of `text` (ICU word break; Chinese by ICU's dictionary, which splits multi-
  // character terms such as 团队协作: match phrases with PhraseMatcher, not on tokens).
  // Whitespace, punctuation, symbols and emoji are skipped. Offsets refer to `text`, which may
  // be original or normalized text.
  std::vector<Token> Segment(std::string_view text, Language language) const;

  // Sentence spans of `text`, trimmed of whitespace, never empty. Ends: 。！？；… and their ASCII
  // or full-width forms, newlines; "." only before whitespace, a CJK character or the end, and
  // not after a number's digit run ("3.5"), a single capital letter ("J. Smith") or a common
  // abbreviation (Mr. Dr. e.g. etc. vs. ...). Closing quotes and brackets stay with the sentence.
  std::vector<ByteRange> Sentences(std::string_view text) const;

  // kZh when Han characters dominate, kEn otherwise, kMixed when the smaller of the two (Han
  // characters vs Latin words) is at least 30% of the larger and both appear at least twice.
  // Text with neither is kEn.
  Language DetectLanguage(std::string_view text) const;

 private:
  struct Impl;
  explicit Analyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zm::text
