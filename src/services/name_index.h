// Exact-name search on encrypted candidate names: the blind index of a normalized full name.
//
// What can be searched without decrypting: equality only. "张伟" finds every candidate whose
// stored name normalizes to "张伟" (surrounding and inner spaces, middle dots and ASCII case do
// not matter: "Zhang Wei" == "zhangwei", "阿依·古丽" == "阿依古丽"). Substrings, prefixes,
// surnames, pinyin and fuzzy matches are not possible: each would need an index that leaks far more
// about the names (n-gram frequencies) or decrypting every row, which cannot page. E-mail and phone
// use the existing exact blind indexes (security/normalize.h).
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::security {
class FieldCipher;
}

namespace zm::services {

// The normalized form of a person's name for the index: whitespace (ASCII, U+3000 ideographic
// space, no-break space), middle dots (U+00B7, U+30FB, U+2022) and ASCII punctuation '.', '-', '_'
// removed, ASCII letters lower-cased, full-width ASCII (U+FF01..U+FF5E) folded to half-width.
// nullopt when nothing is left.
std::optional<std::string> NormalizeNameForIndex(std::string_view name);

// The blind index of the normalized name (domain "name"); nullopt when the name normalizes to
// nothing.
std::optional<std::string> NameBlindIndex(const security::FieldCipher& cipher,
                                          std::string_view name);

// What a search box finds a candidate by: one of these blind indexes.
struct CandidateSearch {
  std::optional<std::string> name_bidx, email_bidx, phone_bidx;
};
// `text` as an e-mail address, a phone number or a full name (in that order). Adds a detail
// under `field` when it is none of them or longer than 100 characters.
CandidateSearch ParseCandidateSearch(const security::FieldCipher& cipher, std::string_view text,
                                     const std::string& field, std::vector<FieldError>& details);

}  // namespace zm::services
