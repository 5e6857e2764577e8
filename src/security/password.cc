#include "security/password.h"

#include <sodium.h>

#include <array>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "security/crypto.h"

namespace zm::security {

namespace {

constexpr size_t kMinLength = 10;
constexpr size_t kMaxLength = 128;
constexpr size_t kGeneratedLength = 20;

// Compared after ASCII lower-casing. Only entries that would otherwise pass the length and class
// rules matter; they are the usual suspects of leaked-password lists and Chinese corporate
// defaults.
constexpr std::array<std::string_view, 26> kCommonPasswords = {
    "password123!", "password@123", "p@ssw0rd123", "p@ssword123",  "passw0rd!23",  "qwerty12345",
    "qwerty@12345", "qwer1234!@#$", "admin@12345", "admin@123456", "abc@1234567",  "abcd@123456",
    "aa123456789",  "aa@123456789", "asdf@123456", "welcome@123",  "welcome123!",  "changeme123!",
    "letmein123!",  "iloveyou123!", "woaini1314!", "1qaz@wsx3edc", "1qaz2wsx#edc", "test@123456",
    "root@123456",  "zhimian@123",
};

constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";  // no l
constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";   // no I, O
constexpr std::string_view kDigits = "23456789";                  // no 0, 1
constexpr std::string_view kSymbols = "!@#$%^&*-_=+?";

FieldError PasswordError(std::string message) { return FieldError{"password", std::move(message)}; }

char PickFrom(std::string_view alphabet) {
  return alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))];
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES - 1 chars.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view hash) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  std::string h(hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view email) {
  std::vector<FieldError> problems;
  if (!IsValidUtf8(password)) {
    problems.push_back(PasswordError("must be valid UTF-8 text"));
  } else {
    size_t length = Utf8Length(password);
    if (length < kMinLength || length > kMaxLength) {
      problems.push_back(PasswordError("must be 10 to 128 characters long"));
    }
    bool lower = false, upper = false, digit = false, other = false;
    for (char c : password) {
      if (c >= 'a' && c <= 'z') {
        lower = true;
      } else if (c >= 'A' && c <= 'Z') {
        upper = true;
      } else if (c >= '0' && c <= '9') {
        digit = true;
      } else {
        other = true;
      }
    }
    if (int{lower} + int{upper} + int{digit} + int{other} < 3) {
      problems.push_back(PasswordError(
          "must contain at least 3 of: lower-case letters, upper-case letters, digits, symbols"));
    }
    const std::string lowered = AsciiLower(password);
    std::string_view mail = Trim(email);
    size_t at = mail.rfind('@');
    const std::string local = AsciiLower(at == std::string_view::npos ? mail : mail.substr(0, at));
    if (Utf8Length(local) >= 3 && lowered.find(local) != std::string::npos) {
      problems.push_back(PasswordError("must not contain the e-mail address's user name"));
    }
    for (std::string_view common : kCommonPasswords) {
      if (lowered == common) {
        problems.push_back(PasswordError("is too common; choose a less predictable password"));
        break;
      }
    }
  }
  if (problems.empty()) return Ok();
  std::string message = "password " + problems.front().message;
  return InvalidArgument(std::move(message), std::move(problems));
}

std::string GeneratePassword(std::string_view email) {
  EnsureSodium();
  while (true) {
    std::string pw;
    pw += PickFrom(kLower);
    pw += PickFrom(kUpper);
    pw += PickFrom(kDigits);
    pw += PickFrom(kSymbols);
    std::string all =
        std::string(kLower) + std::string(kUpper) + std::string(kDigits) + std::string(kSymbols);
    while (pw.size() < kGeneratedLength) pw += PickFrom(all);
    // Fisher-Yates, so the guaranteed characters are not always in front.
    for (size_t i = pw.size() - 1; i > 0; --i) {
      size_t j = randombytes_uniform(static_cast<uint32_t>(i + 1));
      std::swap(pw[i], pw[j]);
    }
    if (CheckPasswordPolicy(pw, email)) return pw;
  }
}

}  // namespace zm::security
