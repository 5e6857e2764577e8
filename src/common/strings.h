// Small string helpers shared by every layer. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zm {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Number of Unicode code points in valid UTF-8 text.
size_t Utf8Length(std::string_view s);
// Appends `s` to `out` as the body of a JSON string literal (no quotes added).
void AppendJsonEscaped(std::string& out, std::string_view s);
std::string JsonQuote(std::string_view s);
std::string_view Trim(std::string_view s);
// Valid UTF-8 of at most max_bytes: invalid sequences become U+FFFD and the text is cut on a
// character boundary. For client-supplied header values that are stored (user agent, IP).
std::string SanitizeUtf8(std::string_view s, size_t max_bytes);
std::string AsciiLower(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Returns false on malformed input.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace zm
