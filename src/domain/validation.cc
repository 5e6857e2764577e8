#include "domain/validation.h"

#include <cmath>
#include <set>
#include <utility>

#include "common/ids.h"
#include "common/strings.h"

namespace zm::domain {

void FieldErrors::Add(std::string field, std::string message) {
  if (details_.size() >= kMaxDetails) return;
  details_.push_back(FieldError{std::move(field), std::move(message)});
}

void FieldErrors::Merge(const Status& status) {
  if (status) return;
  for (const FieldError& d : status.error().details) Add(d.field, d.message);
}

bool FieldErrors::HasAtOrBelow(std::string_view field) const {
  for (const FieldError& d : details_)
    if (PathCovers(field, d.field)) return true;
  return false;
}

Status FieldErrors::ToStatus(std::string_view message) const {
  if (details_.empty()) return Ok();
  return InvalidArgument(std::string(message), details_);
}

std::string Member(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  std::string out(parent);
  out += '.';
  out += name;
  return out;
}

std::string Item(std::string_view parent, size_t index) {
  std::string out(parent);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

bool PathCovers(std::string_view prefix, std::string_view path) {
  if (!StartsWith(path, prefix)) return false;
  if (path.size() == prefix.size() || prefix.empty()) return true;
  char next = path[prefix.size()];
  return next == '.' || next == '[';
}

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > 40) return false;
  if (key[0] < 'a' || key[0] > 'z') return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool IsPlausibleEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  for (char c : email) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view domain = email.substr(at + 1);
  size_t dot = domain.find('.');
  return !domain.empty() && dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

bool IsPlausiblePhone(std::string_view phone) {
  if (phone.empty() || phone.size() > 32) return false;
  size_t digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+') {
      if (i != 0) return false;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 5 && digits <= 20;
}

void CheckText(FieldErrors& errors, std::string_view field, std::string_view value,
               size_t min_chars, size_t max_chars) {
  if (!IsValidUtf8(value)) {
    errors.Add(std::string(field), "must be valid UTF-8");
    return;
  }
  if (min_chars > 0 && Trim(value).empty()) {
    errors.Add(std::string(field), "must not be empty");
    return;
  }
  size_t n = Utf8Length(value);
  if (n > max_chars) {
    errors.Add(std::string(field), "must be at most " + std::to_string(max_chars) + " characters");
  } else if (n < min_chars) {
    errors.Add(std::string(field), "must be at least " + std::to_string(min_chars) + " characters");
  }
}

void CheckKey(FieldErrors& errors, std::string_view field, std::string_view key) {
  if (key.empty()) {
    errors.Add(std::string(field), "must not be empty");
  } else if (!IsValidKey(key)) {
    errors.Add(std::string(field), "must match [a-z][a-z0-9_]{0,39}");
  }
}

void CheckId(FieldErrors& errors, std::string_view field, std::string_view id) {
  if (id.empty()) {
    errors.Add(std::string(field), "must not be empty");
  } else if (!IsValidId(id)) {
    errors.Add(std::string(field), "must be a valid id");
  }
}

void CheckRange(FieldErrors& errors, std::string_view field, int64_t value, int64_t min,
                int64_t max) {
  if (value < min || value > max)
    errors.Add(std::string(field),
               "must be between " + std::to_string(min) + " and " + std::to_string(max));
}

namespace {
std::string FormatNumber(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}
}  // namespace

void CheckRange(FieldErrors& errors, std::string_view field, double value, double min, double max) {
  if (!std::isfinite(value) || value < min || value > max)
    errors.Add(std::string(field),
               "must be between " + FormatNumber(min) + " and " + FormatNumber(max));
}

bool CheckCount(FieldErrors& errors, std::string_view field, size_t count, size_t min, size_t max) {
  if (count >= min && count <= max) return true;
  if (min == 0) {
    errors.Add(std::string(field), "must have at most " + std::to_string(max) + " items");
  } else if (min == max) {
    errors.Add(std::string(field), "must have exactly " + std::to_string(min) + " items");
  } else {
    errors.Add(std::string(field),
               "must have " + std::to_string(min) + ".." + std::to_string(max) + " items");
  }
  return false;
}

void CheckTextList(FieldErrors& errors, std::string_view field,
                   const std::vector<std::string>& items, size_t max_items, size_t min_chars,
                   size_t max_chars, bool unique) {
  if (max_items > 0 && !CheckCount(errors, field, items.size(), 0, max_items)) return;
  std::set<std::string_view> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    size_t before = errors.size();
    CheckText(errors, Item(field, i), items[i], min_chars, max_chars);
    if (unique && errors.size() == before && !seen.insert(items[i]).second)
      errors.Add(Item(field, i), "duplicate value");
  }
}

void CheckIdList(FieldErrors& errors, std::string_view field, const std::vector<std::string>& ids,
                 size_t max_items) {
  if (max_items > 0 && !CheckCount(errors, field, ids.size(), 0, max_items)) return;
  std::set<std::string_view> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    size_t before = errors.size();
    CheckId(errors, Item(field, i), ids[i]);
    if (errors.size() == before && !seen.insert(ids[i]).second)
      errors.Add(Item(field, i), "duplicate id");
  }
}

void CheckKeyList(FieldErrors& errors, std::string_view field, const std::vector<std::string>& keys,
                  size_t max_items) {
  if (max_items > 0 && !CheckCount(errors, field, keys.size(), 0, max_items)) return;
  std::set<std::string_view> seen;
  for (size_t i = 0; i < keys.size(); ++i) {
    size_t before = errors.size();
    CheckKey(errors, Item(field, i), keys[i]);
    if (errors.size() == before && !seen.insert(keys[i]).second)
      errors.Add(Item(field, i), "duplicate key");
  }
}

}  // namespace zm::domain
