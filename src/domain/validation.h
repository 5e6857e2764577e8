// Shared validation machinery for the domain value types: a collector of field problems and
// the small rules every resource reuses (text length in code points, keys, ids, lists).
// Pure functions, thread-compatible (a FieldErrors instance is not shared between threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::domain {

// Collects every problem found in one input so that a client sees all of them at once.
// Keeps at most kMaxDetails problems (the rest are dropped) to bound the error response.
class FieldErrors {
 public:
  static constexpr size_t kMaxDetails = 100;

  void Add(std::string field, std::string message);
  // Appends the details of `status` (a validation_failed error); no-op when `status` is ok.
  void Merge(const Status& status);
  bool empty() const { return details_.empty(); }
  size_t size() const { return details_.size(); }
  const std::vector<FieldError>& details() const { return details_; }
  // True when a problem was recorded at `field` or below it ("a" covers "a.b" and "a[0]").
  bool HasAtOrBelow(std::string_view field) const;
  // Ok() when empty; otherwise kInvalidArgument / "validation_failed" with `message` and the
  // collected details in the order they were found.
  Status ToStatus(std::string_view message) const;

 private:
  std::vector<FieldError> details_;
};

// JSON paths: Member("a", "b") == "a.b" (just "b" when the parent is empty); Item("a", 2) ==
// "a[2]".
std::string Member(std::string_view parent, std::string_view name);
std::string Item(std::string_view parent, size_t index);
// True when `path` equals `prefix` or lies below it ("a" covers "a.b" and "a[1]", not "ab").
bool PathCovers(std::string_view prefix, std::string_view path);

// [a-z][a-z0-9_]{0,39}: keys of dimensions, indicators and plan sections.
bool IsValidKey(std::string_view key);
// A simple shape check (the security layer normalizes later): <= 254 bytes, one '@' with a
// non-empty local part and a domain containing a dot, no whitespace or control characters.
bool IsPlausibleEmail(std::string_view email);
// Digits with optional leading '+', and spaces, '-', '(' and ')' as separators; 5..20 digits.
bool IsPlausiblePhone(std::string_view phone);

// Valid UTF-8 of min_chars..max_chars code points. With min_chars > 0 a blank value (only
// ASCII whitespace) counts as empty.
void CheckText(FieldErrors& errors, std::string_view field, std::string_view value,
               size_t min_chars, size_t max_chars);
void CheckKey(FieldErrors& errors, std::string_view field, std::string_view key);
void CheckId(FieldErrors& errors, std::string_view field, std::string_view id);
void CheckRange(FieldErrors& errors, std::string_view field, int64_t value, int64_t min,
                int64_t max);
inline void CheckRange(FieldErrors& errors, std::string_view field, int value, int min, int max) {
  CheckRange(errors, field, int64_t{value}, int64_t{min}, int64_t{max});
}
void CheckRange(FieldErrors& errors, std::string_view field, double value, double min, double max);
// At most `max_items` items (0 = any number; a longer list gets only the count error); each
// item checked with CheckText; with
// `unique`, a repeated item is reported at its second position.
void CheckTextList(FieldErrors& errors, std::string_view field,
                   const std::vector<std::string>& items, size_t max_items, size_t min_chars,
                   size_t max_chars, bool unique);
// Unique valid ids, at most `max_items` (0 = any number).
void CheckIdList(FieldErrors& errors, std::string_view field, const std::vector<std::string>& ids,
                 size_t max_items);
// Unique valid keys, at most `max_items` (0 = any number).
void CheckKeyList(FieldErrors& errors, std::string_view field, const std::vector<std::string>& keys,
                  size_t max_items);
// Reports "must have at most N items" / "must have N..M items" when the count is off and
// returns false then. Lists over their maximum are not checked item by item.
bool CheckCount(FieldErrors& errors, std::string_view field, size_t count, size_t min, size_t max);

}  // namespace zm::domain
