#include "common/ids.h"

#include <sys/random.h>

#include <mutex>

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
  // Monotonic within the process: ids created in the same millisecond increment the random
  // part, so "newest first" ordering by id is exact for one server process.
  static std::mutex mu;
  static int64_t last_ms = 0;
  static uint64_t last_hi = 0, last_lo = 0;
  uint64_t r[2];
  size_t got = 0;
  while (got < sizeof(r)) {
    ssize_t n = getrandom(reinterpret_cast<char*>(r) + got, sizeof(r) - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  int64_t now = NowMillis();
  std::lock_guard lock(mu);
  if (now <= last_ms) {
    now = last_ms;
    if (++last_lo == 0) last_hi = (last_hi + 1) & 0xFFFF;
  } else {
    last_ms = now;
    last_hi = r[0] & 0xFFFF;
    last_lo = r[1];
  }
  return MakeId(now, last_hi, last_lo);
}

bool IsValidId(std::string_view id) {
  if (id.size() != 26) return false;
  for (char c : id) {
    bool ok = (c >= '0' && c <= '9') ||
              (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
    if (!ok) return false;
  }
  return id[0] <= '7';
}

}  // namespace zm
