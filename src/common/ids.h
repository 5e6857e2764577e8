// Identifiers: ULIDs (26 chars, Crockford base32, time-ordered), so ids sort by creation and
// serve directly as pagination cursors. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zm {

// A new ULID from the current time and the OS random source.
std::string NewId();
// A ULID from the given time and 80 random bits taken from `random` (for deterministic demo data).
std::string MakeId(int64_t unix_ms, uint64_t random_hi, uint64_t random_lo);
// True when `id` has the shape of one of our ids (26 Crockford base32 chars). Used to reject
// path tricks before anything reaches storage.
bool IsValidId(std::string_view id);

}  // namespace zm
