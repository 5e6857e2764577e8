// Structured logging: one JSON object per line on stderr. Thread-safe (one write(2) per line).
// Contract: callers never pass secrets or personal data as field values.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace zm {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogValue = std::variant<std::string_view, int64_t, double, bool>;
struct LogField {
  std::string_view key;
  LogValue value;
};

void SetLogLevel(LogLevel level);
// Silences all output (tests).
void SetLogQuiet(bool quiet);
void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

}  // namespace zm
