// Canonical forms of contact and identity values, used before blind indexing (equal people must
// give equal bytes) and before storage. Pure functions, thread-safe. Each returns std::nullopt
// when the input is not a plausible value of its kind; none ever returns an empty string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zm::security {

// E-mail: trims ASCII whitespace and lower-cases ASCII letters (non-ASCII bytes are kept as is).
// Valid when: <= 254 bytes; exactly one '@'; non-empty local part and domain; no whitespace or
// control characters; the domain contains a dot, and neither starts nor ends with one nor has
// two in a row. "  Zhang.San@Example.COM " -> "zhang.san@example.com".
std::optional<std::string> NormalizeEmail(std::string_view email);

// Phone: trims, then removes spaces, tabs, '-', '(', ')' and '.'; an optional single leading '+'
// is kept; everything else must be ASCII digits. A leading "0086" is read as "+86". "+86"
// followed by an 11-digit Chinese mobile number (starting with '1') is dropped, so
// "+86 138 1234 8000", "0086-13812348000" and "138-1234-8000" all give "13812348000".
// Valid when 6..15 digits remain. Other numbers keep their '+': "+1 (415) 555-0100" ->
// "+14155550100".
std::optional<std::string> NormalizePhone(std::string_view phone);

// National ID: trims and upper-cases ASCII letters. Two rules:
//  1. Any value of the shape of a mainland China resident ID (18 chars: 17 digits then a digit or
//     X) is treated as one and must pass the ISO 7064 MOD 11-2 check digit (weights
//     7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; sum mod 11 indexes "10X98765432"); a wrong check digit
//     gives nullopt (it does not fall through to rule 2). The region and birth date are not
//     checked.
//  2. Anything else (passports, Hong Kong/Macau/Taiwan permits, foreign IDs) is accepted when it is
//     5..30 ASCII letters and digits, without a checksum.
// "11010519491231002x" -> "11010519491231002X"; "e1234 5678" -> nullopt (space).
std::optional<std::string> NormalizeNationalId(std::string_view national_id);

// True when `id` is 17 digits followed by the correct MOD 11-2 check character (digit or 'X').
bool IsValidChinaResidentId(std::string_view id);

}  // namespace zm::security
