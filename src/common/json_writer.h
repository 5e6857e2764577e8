// A minimal streaming JSON writer for hot response paths (list pages), where building a DOM
// and dumping it costs more than the database work. Produces compact JSON; the caller is
// responsible for well-formed nesting (checked by tests, not at run time). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zm {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // Writes "key": — the next value call supplies the value.
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& OptString(const std::optional<std::string>& v) { return v ? String(*v) : Null(); }
  // ISO-8601 UTC time from Unix milliseconds, or null.
  JsonWriter& Time(int64_t unix_ms);
  JsonWriter& OptTime(const std::optional<int64_t>& unix_ms) {
    return unix_ms ? Time(*unix_ms) : Null();
  }
  JsonWriter& StringArray(const std::vector<std::string>& v);
  // Inserts already-serialized JSON as a value.
  JsonWriter& Raw(std::string_view json);

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();
  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace zm
