// Internal to the JSON mapping: strict, error-collecting readers of request bodies. Each
// reader records every type problem in a FieldErrors under the member's JSON path and hands
// back what it could read, so the caller can still run the domain validation and report all
// problems at once. Used by src/domain/json/ and by src/notify/ (its strict request bodies).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "domain/validation.h"

namespace zm::json::internal {

using domain::FieldErrors;
using nlohmann::json;

// How a member's absence and null are treated.
enum class Presence {
  kRequired,  // absent or null -> "is required"
  kOptional,  // absent or null -> nullopt (create bodies)
  kNonNull,   // absent -> nullopt; null -> "must not be null" (PATCH of a non-nullable field)
};

// Scalar conversions of a value at `path`; on a type problem they record it and return nullopt.
std::optional<std::string> AsString(const json& v, const std::string& path, FieldErrors& errors);
// Integers: JSON integers, or floats with an integral value; refuses others ("must be an
// integer") and values outside [min, max] ("is out of range").
std::optional<int64_t> AsInt(const json& v, const std::string& path, FieldErrors& errors,
                             int64_t min, int64_t max);
std::optional<double> AsNumber(const json& v, const std::string& path, FieldErrors& errors);
std::optional<bool> AsBool(const json& v, const std::string& path, FieldErrors& errors);
// An array of strings; an item of the wrong type is recorded and kept as "" so that indices
// (and the paths of later domain errors) stay right.
std::optional<std::vector<std::string>> AsStringArray(const json& v, const std::string& path,
                                                      FieldErrors& errors);

// Reads the members of one JSON object.
class ObjectReader {
 public:
  // `path` is the JSON path of `value` ("" for the body itself). Records "must be an object"
  // at `path` when `value` is not an object (unless `path` is empty: the caller reports that).
  ObjectReader(const json& value, std::string path, FieldErrors& errors);

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  FieldErrors& errors() { return errors_; }
  // Records "unknown field" for every member not in `allowed`.
  void AllowOnly(std::span<const std::string_view> allowed);
  void AllowOnly(std::initializer_list<std::string_view> allowed) {
    AllowOnly(std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  // The path of member `key`.
  std::string PathOf(std::string_view key) const;
  // The member's value per `presence`: nullptr when absent, null-but-optional, or refused.
  const json* Get(std::string_view key, Presence presence);
  // Present with the value null.
  bool IsNull(std::string_view key) const;
  bool Has(std::string_view key) const;

  std::optional<std::string> String(std::string_view key, Presence presence);
  std::optional<int64_t> Int(std::string_view key, Presence presence, int64_t min, int64_t max);
  std::optional<int> Int32(std::string_view key, Presence presence);
  std::optional<double> Number(std::string_view key, Presence presence);
  std::optional<bool> Bool(std::string_view key, Presence presence);
  std::optional<std::vector<std::string>> StringArray(std::string_view key, Presence presence);
  // Nullable string (PATCH): absent -> nullopt; null -> optional{nullopt}; else the string.
  std::optional<std::optional<std::string>> NullableString(std::string_view key);

  // A string member holding one of an enum's names; `parse` maps text to the enum and
  // `names` lists the accepted values for the message ("must be one of: a, b").
  template <class E>
  std::optional<E> Enum(std::string_view key, Presence presence,
                        std::optional<E> (*parse)(std::string_view), std::string_view names) {
    std::optional<std::string> s = String(key, presence);
    if (!s) return std::nullopt;
    std::optional<E> e = parse(*s);
    if (!e) errors_.Add(PathOf(key), "must be one of: " + std::string(names));
    return e;
  }

  // An array member whose items are read by `item(const json&, const std::string& path)`,
  // which returns the item (defaulted on problems, keeping the indices stable).
  template <class F>
  auto Array(std::string_view key, Presence presence, F item)
      -> std::optional<std::vector<decltype(item(std::declval<const json&>(), std::string()))>> {
    using T = decltype(item(std::declval<const json&>(), std::string()));
    const json* v = Get(key, presence);
    if (!v) return std::nullopt;
    std::string p = PathOf(key);
    if (!v->is_array()) {
      errors_.Add(p, "must be an array");
      return std::nullopt;
    }
    std::vector<T> out;
    out.reserve(v->size());
    for (size_t i = 0; i < v->size(); ++i) out.push_back(item((*v)[i], domain::Item(p, i)));
    return out;
  }

 private:
  const json& value_;
  std::string path_;
  FieldErrors& errors_;
  bool ok_ = false;
};

inline constexpr std::string_view kUnknownField = "unknown field";

// The outcome of parsing one body: `parse_errors` (types, unknown fields) come first; then
// the domain problems in `domain`, except those on a path that is at, above or below a path
// where the parser could not read a value (they would repeat or follow from it). Unknown
// members lose nothing, so they hide no domain problem.
template <class T>
Result<T> Finish(T value, const FieldErrors& parse_errors, const Status& domain,
                 std::string_view message) {
  if (parse_errors.empty() && domain) return value;
  std::vector<FieldError> details = parse_errors.details();
  if (!domain) {
    for (const FieldError& d : domain.error().details) {
      bool related = false;
      for (const FieldError& p : parse_errors.details())
        if (p.message != kUnknownField &&
            (domain::PathCovers(p.field, d.field) || domain::PathCovers(d.field, p.field))) {
          related = true;
          break;
        }
      if (!related) details.push_back(d);
    }
  }
  return InvalidArgument(std::string(message), std::move(details));
}

// The error for a body that is not a JSON object.
std::unexpected<Error> NotAnObject();

}  // namespace zm::json::internal
