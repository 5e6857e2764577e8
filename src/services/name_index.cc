#include "services/name_index.h"

#include "common/strings.h"
#include "common/utf8.h"
#include "security/crypto.h"
#include "security/normalize.h"

namespace zm::services {
namespace {

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
    char32_t cp = DecodeUtf8(name, &i);
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

CandidateSearch ParseCandidateSearch(const security::FieldCipher& cipher, std::string_view raw,
                                     const std::string& field, std::vector<FieldError>& details) {
  constexpr size_t kSearchMaxChars = 100;
  CandidateSearch out;
  std::string text(Trim(raw));
  if (!IsValidUtf8(text) || Utf8Length(text) > kSearchMaxChars) {
    details.push_back({field, "must be at most 100 characters"});
  } else if (auto e = security::NormalizeEmail(text); e && text.find('@') != std::string::npos) {
    out.email_bidx = cipher.BlindIndex("email", *e);
  } else if (auto ph = security::NormalizePhone(text)) {
    out.phone_bidx = cipher.BlindIndex("phone", *ph);
  } else if (auto n = NameBlindIndex(cipher, text)) {
    out.name_bidx = *n;
  } else {
    details.push_back({field, "must be a full name, an e-mail address or a phone number"});
  }
  return out;
}

}  // namespace zm::services
