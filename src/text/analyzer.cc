#include "text/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <Config.hpp>
#include <Conversion.hpp>
#include <ConversionChain.hpp>
#include <Converter.hpp>
#include <Dict.hpp>
#include <Lexicon.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>

#include "text/internal_utf8.h"

namespace zm::text {

namespace {

using internal::AppendUtf8;
using internal::DecodeUtf8;
using internal::IsHan;

// One code point of the text being normalized and the original bytes it came from.
struct Piece {
  char32_t cp;
  size_t src_begin;
  size_t src_end;
};

bool IsSpace(char32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') return true;
  return cp >= 0x80 && u_isUWhiteSpace(static_cast<UChar32>(cp));
}

// Chinese-script characters OpenCC may rewrite (CJK radicals .. halfwidth forms, ext. B+).
bool MayConvert(char32_t cp) { return (cp >= 0x2E80 && cp <= 0xFFEF) || cp >= 0x20000; }

std::string ToUtf8(const std::vector<Piece>& pieces, size_t begin, size_t end) {
  std::string out;
  out.reserve((end - begin) * 3);
  for (size_t i = begin; i < end; ++i) AppendUtf8(out, pieces[i].cp);
  return out;
}

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> cps;
  cps.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) cps.push_back(DecodeUtf8(s, &pos));
  return cps;
}

const char* const kAbbreviations[] = {"mr", "mrs", "ms",   "dr",     "prof", "sr",  "jr",
                                      "st", "vs",  "etc",  "e.g",    "i.e",  "inc", "ltd",
                                      "co", "no",  "dept", "approx", "fig",  "u.s"};

bool IsAbbreviation(std::string_view word) {
  std::string lower;
  for (char c : word) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (const char* a : kAbbreviations) {
    if (lower == a) return true;
  }
  return false;
}

bool IsClosing(char32_t cp) {
  switch (cp) {
    case '"':
    case '\'':
    case ')':
    case ']':
    case 0x201D:  // ”
    case 0x2019:  // ’
    case 0xFF09:  // ）
    case 0x300D:  // 」
    case 0x300F:  // 』
    case 0x3011:  // 】
    case 0x300B:  // 》
      return true;
    default:
      return false;
  }
}

bool IsStrongTerminator(char32_t cp) {
  switch (cp) {
    case 0x3002:  // 。
    case 0xFF01:  // ！
    case 0xFF1F:  // ？
    case 0xFF1B:  // ；
    case 0x2026:  // …
    case 0xFF61:  // ｡
    case '!':
    case '?':
    case ';':
    case '\n':
      return true;
    default:
      return false;
  }
}

bool IsAsciiAlpha(char32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'); }
bool IsAsciiDigit(char32_t cp) { return cp >= '0' && cp <= '9'; }

}  // namespace

const char* LanguageName(Language language) {
  switch (language) {
    case Language::kZh:
      return "zh";
    case Language::kEn:
      return "en";
    case Language::kMixed:
      return "mixed";
  }
  return "en";
}

size_t ByteToCharOffset(std::string_view text, size_t byte) {
  byte = std::min(byte, text.size());
  size_t count = 0;
  for (size_t i = 0; i < byte; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

size_t CharToByteOffset(std::string_view text, size_t char_index) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (count == char_index) return i;
      ++count;
    }
  }
  return text.size();
}

Span NormalizedText::OriginalSpan(size_t norm_begin, size_t norm_end) const {
  Span span;
  if (to_original.empty()) return span;
  norm_begin = std::min(norm_begin, text.size());
  if (norm_end <= norm_begin || norm_end > text.size()) {
    span.byte_begin = span.byte_end = to_original[norm_begin];
  } else {
    span.byte_begin = to_original[norm_begin];
    span.byte_end = std::max(span.byte_begin, to_original_end[norm_end - 1]);
  }
  span.char_begin = ByteToCharOffset(original, span.byte_begin);
  span.char_end =
      span.char_begin + ByteToCharOffset(std::string_view(original).substr(span.byte_begin),
                                         span.byte_end - span.byte_begin);
  return span;
}

std::string_view NormalizedText::OriginalText(const Span& span) const {
  if (span.byte_begin >= original.size() || span.byte_end <= span.byte_begin) return {};
  return std::string_view(original).substr(span.byte_begin, span.byte_end - span.byte_begin);
}

struct Analyzer::Impl {
  const icu::Normalizer2* nfkc_cf = nullptr;  // ICU-owned singleton
  opencc::ConverterPtr t2s;
  // Code points that t2s may change: those an entry of its dictionaries rewrites. Text with none
  // of them converts to itself, so conversion (the most expensive step) is skipped.
  std::vector<bool> convertible;
  std::unique_ptr<icu::BreakIterator> word_zh;
  std::unique_ptr<icu::BreakIterator> word_en;

  void NfkcCasefold(std::string_view input, std::vector<Piece>* out) const;
  void TraditionalToSimplified(std::vector<Piece>* pieces) const;
  std::string Convert(const std::string& s) const { return t2s->Convert(s); }
  bool Convertible(char32_t cp) const { return cp < convertible.size() && convertible[cp]; }
};

// Splits the input into normalization segments (a code point plus what may combine with it),
// fast-paths ASCII and inert code points, and normalizes the rest segment by segment so every
// output code point keeps the original bytes of its segment.
void Analyzer::Impl::NfkcCasefold(std::string_view input, std::vector<Piece>* out) const {
  std::vector<Piece> src;
  src.reserve(input.size());
  size_t pos = 0;
  while (pos < input.size()) {
    size_t start = pos;
    char32_t cp = DecodeUtf8(input, &pos);
    src.push_back({cp, start, pos});
  }
  out->reserve(src.size());
  size_t i = 0;
  while (i < src.size()) {
    size_t j = i + 1;
    while (j < src.size() && src[j].cp >= 0x80 &&
           !nfkc_cf->hasBoundaryBefore(static_cast<UChar32>(src[j].cp))) {
      ++j;
    }
    if (j == i + 1) {
      char32_t cp = src[i].cp;
      if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
        out->push_back({cp, src[i].src_begin, src[i].src_end});
        i = j;
        continue;
      }
      if (nfkc_cf->isInert(static_cast<UChar32>(cp))) {
        out->push_back(src[i]);
        i = j;
        continue;
      }
    }
    icu::UnicodeString segment;
    for (size_t k = i; k < j; ++k) segment.append(static_cast<UChar32>(src[k].cp));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = nfkc_cf->normalize(segment, status);
    if (U_FAILURE(status)) normalized = segment;
    size_t begin = src[i].src_begin;
    size_t end = src[j - 1].src_end;
    for (int32_t k = 0; k < normalized.length();) {
      UChar32 c = normalized.char32At(k);
      out->push_back({static_cast<char32_t>(c), begin, end});
      k += U16_LENGTH(c);
    }
    i = j;
  }
}

// OpenCC converts phrase by phrase, almost always one character for one. When a conversion keeps
// the code point count, characters map one to one; otherwise the run is converted again
// character by character, and each output character keeps its input character's source.
void Analyzer::Impl::TraditionalToSimplified(std::vector<Piece>* pieces) const {
  if (std::none_of(pieces->begin(), pieces->end(),
                   [this](const Piece& p) { return Convertible(p.cp); })) {
    return;
  }
  auto convert_range = [&](size_t begin, size_t end, std::vector<Piece>* out) {
    std::vector<char32_t> converted = Decode(Convert(ToUtf8(*pieces, begin, end)));
    if (converted.size() == end - begin) {
      for (size_t k = 0; k < converted.size(); ++k) {
        Piece p = (*pieces)[begin + k];
        p.cp = converted[k];
        out->push_back(p);
      }
      return true;
    }
    return false;
  };
  std::vector<Piece> out;
  out.reserve(pieces->size());
  if (convert_range(0, pieces->size(), &out)) {
    *pieces = std::move(out);
    return;
  }
  out.clear();
  size_t i = 0;
  while (i < pieces->size()) {
    if (!MayConvert((*pieces)[i].cp)) {
      out.push_back((*pieces)[i++]);
      continue;
    }
    size_t j = i;
    while (j < pieces->size() && MayConvert((*pieces)[j].cp)) ++j;
    if (!convert_range(i, j, &out)) {
      for (size_t k = i; k < j; ++k) {
        for (char32_t c : Decode(Convert(ToUtf8(*pieces, k, k + 1)))) {
          out.push_back({c, (*pieces)[k].src_begin, (*pieces)[k].src_end});
        }
      }
    }
    i = j;
  }
  *pieces = std::move(out);
}

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  auto impl = std::make_unique<Impl>();
  UErrorCode status = U_ZERO_ERROR;
  impl->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || impl->nfkc_cf == nullptr) {
    return Unavailable(std::string("ICU NFKC_Casefold data unavailable: ") + u_errorName(status));
  }
  impl->word_zh.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
  impl->word_en.reset(icu::BreakIterator::createWordInstance(icu::Locale("en"), status));
  if (U_FAILURE(status) || !impl->word_zh || !impl->word_en) {
    return Unavailable(std::string("ICU word break rules unavailable: ") + u_errorName(status));
  }

  std::vector<std::string> candidates;
  if (!options.opencc_t2s_config.empty()) {
    candidates.push_back(options.opencc_t2s_config);
  } else {
#ifdef ZM_OPENCC_DATA_DIR
    candidates.push_back(std::string(ZM_OPENCC_DATA_DIR) + "/t2s.json");
#endif
    candidates.push_back("/usr/share/opencc/t2s.json");
    candidates.push_back("/usr/local/share/opencc/t2s.json");
  }
  std::string last_error = "t2s.json not found";
  for (const std::string& path : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    try {
      opencc::Config config;
      impl->t2s = config.NewFromFile(path);
      impl->convertible.assign(0x110000, false);
      for (const opencc::ConversionPtr& conversion :
           impl->t2s->GetConversionChain()->GetConversions()) {
        opencc::LexiconPtr lexicon = conversion->GetDict()->GetLexicon();
        for (const auto& entry : *lexicon) {
          // OpenCC writes an entry's default (first) value. Where it keeps the key's length,
          // only the characters it changes matter; otherwise every key character does.
          std::vector<char32_t> key = Decode(entry->Key());
          std::vector<char32_t> value = Decode(entry->GetDefault());
          for (size_t k = 0; k < key.size(); ++k) {
            if (key.size() != value.size() || key[k] != value[k]) impl->convertible[key[k]] = true;
          }
        }
      }
      break;
    } catch (const std::exception& e) {
      impl->t2s.reset();
      last_error = e.what();
    }
  }
  if (!impl->t2s) {
    return Unavailable("OpenCC traditional->simplified conversion unavailable (" + last_error +
                       "); install the opencc package");
  }
  return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
}

NormalizedText Analyzer::Normalize(std::string_view input) const {
  NormalizedText result;
  result.original = std::string(input);
  std::vector<Piece> pieces;
  impl_->NfkcCasefold(input, &pieces);
  impl_->TraditionalToSimplified(&pieces);

  std::string& text = result.text;
  text.reserve(input.size() + 8);
  result.to_original.reserve(input.size() + 9);
  result.to_original_end.reserve(input.size() + 8);
  auto emit = [&](char32_t cp, size_t begin, size_t end) {
    size_t before = text.size();
    AppendUtf8(text, cp);
    for (size_t k = before; k < text.size(); ++k) {
      result.to_original.push_back(begin);
      result.to_original_end.push_back(end);
    }
  };
  size_t i = 0;
  while (i < pieces.size()) {
    if (!IsSpace(pieces[i].cp)) {
      emit(pieces[i].cp, pieces[i].src_begin, pieces[i].src_end);
      ++i;
      continue;
    }
    size_t j = i;
    while (j < pieces.size() && IsSpace(pieces[j].cp)) ++j;
    bool at_edge = text.empty() || j == pieces.size();
    bool between_han = i > 0 && j < pieces.size() && IsHan(pieces[i - 1].cp) && IsHan(pieces[j].cp);
    if (!at_edge && !between_han) emit(' ', pieces[i].src_begin, pieces[i].src_end);
    i = j;
  }
  result.to_original.push_back(input.size());
  return result;
}

std::vector<Token> Analyzer::Segment(std::string_view text, Language language) const {
  std::vector<Token> tokens;
  if (text.empty()) return tokens;
  const icu::BreakIterator& proto = language == Language::kEn ? *impl_->word_en : *impl_->word_zh;
  std::unique_ptr<icu::BreakIterator> it(proto.clone());
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status) || !it) {
    utext_close(ut);
    return tokens;
  }
  it->setText(ut, status);
  if (U_SUCCESS(status)) {
    int32_t begin = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; begin = end, end = it->next()) {
      int32_t rule = it->getRuleStatus();
      Token::Kind kind;
      if (rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT) {
        kind = Token::Kind::kNumber;
      } else if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_LETTER_LIMIT) {
        kind = Token::Kind::kLetter;
      } else if (rule >= UBRK_WORD_KANA && rule < UBRK_WORD_KANA_LIMIT) {
        kind = Token::Kind::kKana;
      } else if (rule >= UBRK_WORD_IDEO && rule < UBRK_WORD_IDEO_LIMIT) {
        kind = Token::Kind::kIdeographic;
      } else {
        continue;  // spaces, punctuation, symbols, emoji
      }
      auto b = static_cast<size_t>(begin);
      auto e = static_cast<size_t>(end);
      tokens.push_back({std::string(text.substr(b, e - b)), b, e, kind});
    }
  }
  it.reset();  // the iterator holds a shallow clone of `ut`
  utext_close(ut);
  return tokens;
}

std::vector<ByteRange> Analyzer::Sentences(std::string_view text) const {
  struct Cp {
    char32_t cp;
    size_t begin;
    size_t end;
  };
  std::vector<Cp> cps;
  cps.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    char32_t cp = DecodeUtf8(text, &pos);
    cps.push_back({cp, start, pos});
  }
  std::vector<ByteRange> out;
  auto add = [&](size_t begin_idx, size_t end_idx) {  // code point indexes, trims whitespace
    while (begin_idx < end_idx && IsSpace(cps[begin_idx].cp)) ++begin_idx;
    while (end_idx > begin_idx && IsSpace(cps[end_idx - 1].cp)) --end_idx;
    if (begin_idx < end_idx) out.push_back({cps[begin_idx].begin, cps[end_idx - 1].end});
  };
  size_t start = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t cp = cps[i].cp;
    bool end_here = IsStrongTerminator(cp);
    if (!end_here && (cp == '.' || cp == 0xFF0E)) {
      bool next_ok = i + 1 == cps.size() || IsSpace(cps[i + 1].cp) || IsHan(cps[i + 1].cp) ||
                     IsClosing(cps[i + 1].cp) || cps[i + 1].cp == '.';
      // The word before the period: ASCII letters and inner periods ("e.g").
      size_t w = i;
      while (w > start && (IsAsciiAlpha(cps[w - 1].cp) || cps[w - 1].cp == '.')) --w;
      std::string word;
      for (size_t k = w; k < i; ++k) word += static_cast<char>(cps[k].cp);
      bool initial = word.size() == 1 && cps[w].cp >= 'A' && cps[w].cp <= 'Z';
      bool number =
          i > 0 && IsAsciiDigit(cps[i - 1].cp) && i + 1 < cps.size() && IsAsciiDigit(cps[i + 1].cp);
      end_here = next_ok && !number && !initial && !IsAbbreviation(word);
    }
    if (!end_here) continue;
    size_t j = i + 1;  // absorb repeated terminators and closing quotes: "真的吗？！」"
    while (j < cps.size() && (IsStrongTerminator(cps[j].cp) || cps[j].cp == '.' ||
                              cps[j].cp == 0x3002 || IsClosing(cps[j].cp))) {
      ++j;
    }
    add(start, j);
    start = j;
    i = j - 1;
  }
  add(start, cps.size());
  return out;
}

Language Analyzer::DetectLanguage(std::string_view text) const {
  size_t han = 0;
  size_t latin_words = 0;
  bool in_word = false;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = DecodeUtf8(text, &pos);
    bool latin = IsAsciiAlpha(cp) || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
                 (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
    if (IsHan(cp)) ++han;
    if (latin && !in_word) ++latin_words;
    in_word = latin;
  }
  size_t major = std::max(han, latin_words);
  size_t minor = std::min(han, latin_words);
  if (minor >= 2 && minor * 10 >= major * 3) return Language::kMixed;
  return han > latin_words ? Language::kZh : Language::kEn;
}

}  // namespace zm::text
