// Display masks for personal data shown to roles without pii:read (see docs/api-resources.md).
// Pure functions, thread-safe. Inputs are expected to be valid UTF-8 and are processed by code
// point. Masks of e-mails always have 3 stars, so they do not reveal the local part's length.
#pragma once

#include <string>
#include <string_view>

namespace zm::security {

// Trims the name, then keeps the first code point of each space-separated word and replaces every
// other non-space code point with '*'; spaces are kept. "张三" -> "张*", "欧阳娜娜" -> "欧***",
// "John Smith" -> "J*** S****". A name of a single code point gives "*"; "" gives "".
std::string MaskName(std::string_view name);

// Works on the digits (a leading '+' is kept; other characters are ignored). With 11 or more
// digits: first 3 and last 4 digits kept, the rest starred (at least 4 stars):
// "13812348000" -> "138****8000", "+14155550100" -> "+141****0100". With 5..10 digits: only the
// last 2 kept, at least 4 stars: "55501234" -> "******34". With 1..4 digits: "****". "" -> "".
std::string MaskPhone(std::string_view phone);

// First code point of the local part, exactly 3 stars, then '@' and the domain unchanged:
// "zhang@example.com" -> "z***@example.com". Splits at the last '@'; without one gives "***".
std::string MaskEmail(std::string_view email);

// With 12 or more code points: first 4 and last 4 kept, stars in between:
// "110105199001011234" -> "1101**********1234". Shorter values (passports): only the last 2
// kept, at least 4 stars: "E12345678" -> "*******78". 1..2 code points: "****". "" -> "".
std::string MaskNationalId(std::string_view national_id);

}  // namespace zm::security
