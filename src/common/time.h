// Time as int64 Unix milliseconds (UTC) throughout; ISO-8601 only at the edges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zm {

int64_t NowMillis();
// "2026-11-22T02:41:00.123Z"
std::string FormatIso8601(int64_t unix_ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm)" and "YYYY-MM-DD"; nullopt when malformed.
std::optional<int64_t> ParseIso8601(std::string_view text);

}  // namespace zm
