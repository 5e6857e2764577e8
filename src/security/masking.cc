#include "security/masking.h"

#include <algorithm>
#include <vector>

#include "common/strings.h"

namespace zm::security {

namespace {

// Splits valid UTF-8 into code points (each a view of 1..4 bytes). Stray continuation bytes are
// attached to the preceding code point, so invalid input degrades without reading out of bounds.
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Keeps the first `head` and last `tail` code points of `cps`, with max(min_stars, rest) stars
// between them. Requires head + tail <= cps.size().
std::string KeepEnds(const std::vector<std::string_view>& cps, size_t head, size_t tail,
                     size_t min_stars) {
  std::string out;
  for (size_t i = 0; i < head; ++i) out += cps[i];
  out.append(std::max(min_stars, cps.size() - head - tail), '*');
  for (size_t i = cps.size() - tail; i < cps.size(); ++i) out += cps[i];
  return out;
}

}  // namespace

std::string MaskName(std::string_view name) {
  auto cps = CodePoints(Trim(name));
  size_t visible = 0;
  for (auto cp : cps)
    if (cp != " ") ++visible;
  if (visible <= 1) return visible == 0 ? "" : "*";
  std::string out;
  bool word_start = true;
  for (auto cp : cps) {
    if (cp == " ") {
      out += ' ';
      word_start = true;
    } else if (word_start) {
      out += cp;
      word_start = false;
    } else {
      out += '*';
    }
  }
  return out;
}

std::string MaskPhone(std::string_view phone) {
  std::string_view p = Trim(phone);
  std::string prefix;
  if (!p.empty() && p.front() == '+') {
    prefix = "+";
    p.remove_prefix(1);
  }
  std::vector<std::string_view> digits;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] >= '0' && p[i] <= '9') digits.push_back(p.substr(i, 1));
  if (digits.empty()) return "";
  if (digits.size() <= 4) return "****";
  if (digits.size() >= 11) return prefix + KeepEnds(digits, 3, 4, 4);
  return prefix + KeepEnds(digits, 0, 2, 4);
}

std::string MaskEmail(std::string_view email) {
  std::string_view e = Trim(email);
  size_t at = e.rfind('@');
  if (at == std::string_view::npos) return "***";
  auto local = CodePoints(e.substr(0, at));
  std::string out;
  if (!local.empty()) out += local.front();
  out += "***";
  out += e.substr(at);
  return out;
}

std::string MaskNationalId(std::string_view national_id) {
  auto cps = CodePoints(Trim(national_id));
  if (cps.empty()) return "";
  if (cps.size() <= 2) return "****";
  if (cps.size() >= 12) return KeepEnds(cps, 4, 4, 4);
  return KeepEnds(cps, 0, 2, 4);
}

}  // namespace zm::security
