#include "common/ids.h"

#include <sys/random.h>

#include "common/time.h"

namespace zm {
namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

std::string MakeId(int64_t unix_ms, uint64_t random_hi, uint64_t random_lo) {
  // 48 bits of time then 80 bits of randomness, 5 bits per character.
  // 128 bits as two words: hi = 48 time bits + 16 random bits, lo = 64 random bits.
  uint64_t hi = ((static_cast<uint64_t>(unix_ms) & 0xFFFFFFFFFFFFULL) << 16) | (random_hi & 0xFFFF);
  uint64_t lo = random_lo;
  std::string out(26, '0');
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[lo & 31];
    lo = (lo >> 5) | (hi << 59);
    hi >>= 5;
  }
  return out;
}

std::string NewId() {
  uint64_t r[2];
  size_t got = 0;
  while (got < sizeof(r)) {
    ssize_t n = getrandom(reinterpret_cast<char*>(r) + got, sizeof(r) - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  return MakeId(NowMillis(), r[0], r[1]);
}

bool IsValidId(std::string_view id) {
  if (id.size() != 26) return false;
  for (char c : id) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' &&
                                         c != 'O' && c != 'U');
    if (!ok) return false;
  }
  return id[0] <= '7';
}

}  // namespace zm
