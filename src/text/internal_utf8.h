// Private to text/: small inline UTF-8 and character-class helpers shared by the .cc files.
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/utf8.h"

namespace zm::text::internal {

using ::zm::AppendUtf8;
using ::zm::DecodeUtf8;
inline constexpr char32_t kReplacement = ::zm::kUtf8Replacement;

// Han ideographs (URO, extension A, compatibility ideographs, supplementary planes).
inline bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

// Characters that make up an alphabetic "word" for boundary checks: ASCII letters and digits,
// Latin-1/Extended letters, Greek and Cyrillic. Han is not a word character: Chinese phrases
// match anywhere.
inline bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x4FF);
}

// The code point ending just before byte `pos` (0 when pos == 0). Assumes valid UTF-8.
inline char32_t CodePointBefore(std::string_view s, size_t pos) {
  if (pos == 0) return 0;
  size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  size_t p = start;
  return DecodeUtf8(s, &p);
}

// The code point starting at byte `pos` (0 when pos == s.size()).
inline char32_t CodePointAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  return DecodeUtf8(s, &pos);
}

}  // namespace zm::text::internal
