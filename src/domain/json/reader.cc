#include "domain/json/reader.h"

#include <cmath>
#include <limits>

#include "common/strings.h"

namespace zm::json::internal {
namespace {

// Member names are echoed back in error details: keep them short and valid UTF-8.
std::string SafeKey(std::string_view key) {
  if (!IsValidUtf8(key)) return "<invalid UTF-8>";
  constexpr size_t kMax = 64;
  if (key.size() <= kMax) return std::string(key);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
  return std::string(key.substr(0, cut)) + "...";
}

}  // namespace

std::optional<std::string> AsString(const json& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_string()) {
    errors.Add(path, "must be a string");
    return std::nullopt;
  }
  const std::string& s = v.get_ref<const std::string&>();
  if (!IsValidUtf8(s)) {
    errors.Add(path, "must be valid UTF-8");
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> AsInt(const json& v, const std::string& path, FieldErrors& errors,
                             int64_t min, int64_t max) {
  std::optional<int64_t> out;
  bool out_of_range = false;
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    out = v.get<int64_t>();
  } else if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      out_of_range = true;
    } else {
      out = static_cast<int64_t>(u);
    }
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d)) {
      // 2^63 is exactly representable; anything at or above it does not fit.
      if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        out = static_cast<int64_t>(d);
      } else {
        out_of_range = true;
      }
    }
  }
  if (out_of_range || (out && (*out < min || *out > max))) {
    errors.Add(path, "is out of range");
    return std::nullopt;
  }
  if (!out) errors.Add(path, "must be an integer");
  return out;
}

std::optional<double> AsNumber(const json& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_number()) {
    errors.Add(path, "must be a number");
    return std::nullopt;
  }
  double d = v.get<double>();
  if (!std::isfinite(d)) {
    errors.Add(path, "is out of range");
    return std::nullopt;
  }
  return d;
}

std::optional<bool> AsBool(const json& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_boolean()) {
    errors.Add(path, "must be a boolean");
    return std::nullopt;
  }
  return v.get<bool>();
}

std::optional<std::vector<std::string>> AsStringArray(const json& v, const std::string& path,
                                                      FieldErrors& errors) {
  if (!v.is_array()) {
    errors.Add(path, "must be an array");
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(AsString(v[i], domain::Item(path, i), errors).value_or(""));
  return out;
}

ObjectReader::ObjectReader(const json& value, std::string path, FieldErrors& errors)
    : value_(value), path_(std::move(path)), errors_(errors), ok_(value.is_object()) {
  if (!ok_ && !path_.empty()) errors_.Add(path_, "must be an object");
}

void ObjectReader::AllowOnly(std::span<const std::string_view> allowed) {
  if (!ok_) return;
  for (const auto& [key, unused] : value_.items()) {
    bool known = false;
    for (std::string_view a : allowed)
      if (a == key) {
        known = true;
        break;
      }
    if (!known) errors_.Add(domain::Member(path_, SafeKey(key)), std::string(kUnknownField));
  }
}

std::string ObjectReader::PathOf(std::string_view key) const { return domain::Member(path_, key); }

bool ObjectReader::Has(std::string_view key) const {
  return ok_ && value_.find(key) != value_.end();
}

bool ObjectReader::IsNull(std::string_view key) const {
  if (!ok_) return false;
  auto it = value_.find(key);
  return it != value_.end() && it->is_null();
}

const json* ObjectReader::Get(std::string_view key, Presence presence) {
  if (!ok_) return nullptr;
  auto it = value_.find(key);
  bool absent = it == value_.end();
  bool null = !absent && it->is_null();
  if (absent || null) {
    if (presence == Presence::kRequired) {
      errors_.Add(PathOf(key), "is required");
    } else if (null && presence == Presence::kNonNull) {
      errors_.Add(PathOf(key), "must not be null");
    }
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::String(std::string_view key, Presence presence) {
  const json* v = Get(key, presence);
  if (!v) return std::nullopt;
  return AsString(*v, PathOf(key), errors_);
}

std::optional<int64_t> ObjectReader::Int(std::string_view key, Presence presence, int64_t min,
                                         int64_t max) {
  const json* v = Get(key, presence);
  if (!v) return std::nullopt;
  return AsInt(*v, PathOf(key), errors_, min, max);
}

std::optional<int> ObjectReader::Int32(std::string_view key, Presence presence) {
  std::optional<int64_t> v =
      Int(key, presence, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<double> ObjectReader::Number(std::string_view key, Presence presence) {
  const json* v = Get(key, presence);
  if (!v) return std::nullopt;
  return AsNumber(*v, PathOf(key), errors_);
}

std::optional<bool> ObjectReader::Bool(std::string_view key, Presence presence) {
  const json* v = Get(key, presence);
  if (!v) return std::nullopt;
  return AsBool(*v, PathOf(key), errors_);
}

std::optional<std::vector<std::string>> ObjectReader::StringArray(std::string_view key,
                                                                  Presence presence) {
  const json* v = Get(key, presence);
  if (!v) return std::nullopt;
  return AsStringArray(*v, PathOf(key), errors_);
}

std::optional<std::optional<std::string>> ObjectReader::NullableString(std::string_view key) {
  if (!Has(key)) return std::nullopt;
  if (IsNull(key)) return std::optional<std::string>{};
  std::optional<std::string> s = String(key, Presence::kOptional);
  if (!s) return std::nullopt;  // wrong type: recorded, treated as absent
  return std::optional<std::string>{std::move(*s)};
}

std::unexpected<Error> NotAnObject() {
  return InvalidArgument("request body must be a JSON object");
}

}  // namespace zm::json::internal
