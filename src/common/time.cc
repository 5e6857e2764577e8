#include "common/time.h"

#include <chrono>
#include <cstdio>

namespace zm {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatIso8601(int64_t unix_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds{unix_ms}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
}  // namespace

std::optional<int64_t> ParseIso8601(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int64_t offset_min = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, &h) || s.size() < 19 ||
        s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &sec))
      return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int digits = 0;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[p] - '0');
        ++digits;
        ++p;
      }
      if (digits == 0) return std::nullopt;
      for (int i = digits; i < 3; ++i) ms *= 10;
    }
    if (p == s.size()) return std::nullopt;  // a zone is required
    if (s[p] == 'Z' && p + 1 == s.size()) {
    } else if ((s[p] == '+' || s[p] == '-') && s.size() == p + 6 && s[p + 3] == ':') {
      int oh, om;
      if (!Digits(s, p + 1, 2, &oh) || !Digits(s, p + 4, 2, &om)) return std::nullopt;
      offset_min = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  int64_t days_since = sys_days{ymd}.time_since_epoch().count();
  return ((days_since * 86400 + h * 3600 + mi * 60 + sec) - offset_min * 60) * 1000 + ms;
}

}  // namespace zm
