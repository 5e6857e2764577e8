// Staff passwords: argon2id hashing, the password policy of docs/api-resources.md, and generated
// passwords. Thread-safe. Hashing costs about 70 ms and 64 MiB per call (INTERACTIVE limits):
// callers should bound concurrent hashing (login throttling).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace zm::security {

// argon2id via crypto_pwhash_str with OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE. Returns the
// self-describing PHC string ("$argon2id$v=19$m=65536,t=2,p=1$..."), salt included.
// kInternal when memory cannot be allocated.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash` (a string from HashPassword). False for a wrong password
// and for a malformed or empty hash; never throws.
bool VerifyPassword(std::string_view hash, std::string_view password);

// True when `hash` was made with other parameters than the current ones (or is malformed): the
// caller may re-hash after a successful login.
bool PasswordNeedsRehash(std::string_view hash);

// A random 20-character password that satisfies domain::ValidatePassword(result, email) (the
// policy): at least one lower-case letter, upper-case letter, digit and symbol from "!@#$%^&*-_=+?"
// (no quotes, backslashes or spaces; look-alike characters such as 0/O and 1/l/I are left out).
std::string GeneratePassword(std::string_view email = {});

}  // namespace zm::security
