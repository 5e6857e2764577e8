#include "security/password.h"

#include "domain/user.h"

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

constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";  // no l
constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";   // no I, O
constexpr std::string_view kDigits = "23456789";                  // no 0, 1
constexpr std::string_view kSymbols = "!@#$%^&*-_=+?";

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
    if (domain::ValidatePassword(pw, email)) return pw;
  }
}

}  // namespace zm::security
