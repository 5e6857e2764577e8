#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "common/strings.h"
#include "common/time.h"

namespace zm {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<bool> g_quiet{false};

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }
void SetLogQuiet(bool quiet) { g_quiet = quiet; }

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (g_quiet || static_cast<int>(level) < g_level) return;
  std::string line = "{\"ts\":\"" + FormatIso8601(NowMillis()) + "\",\"level\":\"" +
                     LevelName(level) + "\",\"event\":" + JsonQuote(event);
  for (const auto& f : fields) {
    line += ',';
    line += JsonQuote(f.key);
    line += ':';
    if (auto* s = std::get_if<std::string_view>(&f.value)) {
      line += JsonQuote(*s);
    } else if (auto* i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else if (auto* d = std::get_if<double>(&f.value)) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.3f", *d);
      line += buf;
    } else {
      line += std::get<bool>(f.value) ? "true" : "false";
    }
  }
  line += "}\n";
  ssize_t unused = ::write(2, line.data(), line.size());
  (void)unused;
}

}  // namespace zm
