#include "security/normalize.h"

#include "common/strings.h"

namespace zm::security {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}

bool IsChinaMobile(std::string_view digits) {
  return digits.size() == 11 && digits[0] == '1' && AllDigits(digits);
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace

std::optional<std::string> NormalizeEmail(std::string_view email) {
  std::string e = AsciiLower(Trim(email));
  if (e.empty() || e.size() > 254) return std::nullopt;
  for (char ch : e) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F) return std::nullopt;  // spaces and control characters
  }
  size_t at = e.find('@');
  if (at == std::string::npos || e.find('@', at + 1) != std::string::npos) return std::nullopt;
  std::string_view local = std::string_view(e).substr(0, at);
  std::string_view domain = std::string_view(e).substr(at + 1);
  if (local.empty() || domain.empty()) return std::nullopt;
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  return e;
}

std::optional<std::string> NormalizePhone(std::string_view phone) {
  std::string s;
  for (char c : Trim(phone)) {
    if (c == ' ' || c == '\t' || c == '-' || c == '(' || c == ')' || c == '.') continue;
    s += c;
  }
  bool plus = false;
  std::string_view digits = s;
  if (!digits.empty() && digits.front() == '+') {
    plus = true;
    digits.remove_prefix(1);
  } else if (StartsWith(digits, "0086")) {
    plus = true;
    digits.remove_prefix(2);
  }
  if (!AllDigits(digits)) return std::nullopt;
  if (plus && StartsWith(digits, "86") && IsChinaMobile(digits.substr(2))) {
    plus = false;
    digits.remove_prefix(2);
  }
  if (digits.size() < 6 || digits.size() > 15) return std::nullopt;
  std::string out = plus ? "+" : "";
  out += digits;
  return out;
}

bool IsValidChinaResidentId(std::string_view id) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  if (id.size() != 18 || !AllDigits(id.substr(0, 17))) return false;
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  return id[17] == kCheck[sum % 11];
}

std::optional<std::string> NormalizeNationalId(std::string_view national_id) {
  std::string id = AsciiUpper(Trim(national_id));
  const bool resident_id_shape = id.size() == 18 && AllDigits(std::string_view(id).substr(0, 17)) &&
                                 (IsDigit(id[17]) || id[17] == 'X');
  if (resident_id_shape) {
    if (!IsValidChinaResidentId(id)) return std::nullopt;
    return id;
  }
  if (id.size() < 5 || id.size() > 30) return std::nullopt;
  for (char c : id)
    if (!IsAlnum(c)) return std::nullopt;
  return id;
}

}  // namespace zm::security
