#include "services/name_index.h"

#include "security/crypto.h"

namespace zm::services {
namespace {

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes come back as themselves.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return b;
  }
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += static_cast<size_t>(len);
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool Dropped(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
    case '.':
    case '-':
    case '_':
    case 0x00A0:  // no-break space
    case 0x00B7:  // middle dot
    case 0x2022:  // bullet
    case 0x3000:  // ideographic space
    case 0x30FB:  // katakana middle dot
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<std::string> NormalizeNameForIndex(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    char32_t cp = NextCodePoint(name, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21;  // full-width ASCII
    if (Dropped(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
    AppendUtf8(out, cp);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> NameBlindIndex(const security::FieldCipher& cipher,
                                          std::string_view name) {
  auto normalized = NormalizeNameForIndex(name);
  if (!normalized) return std::nullopt;
  return cipher.BlindIndex("name", *normalized);
}

}  // namespace zm::services
