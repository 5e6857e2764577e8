#include "security/crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "common/strings.h"

namespace zm::security {

static_assert(kKeyBytes == crypto_kdf_KEYBYTES);
static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

namespace {

// 8 bytes: "zhimian" plus its terminating NUL (crypto_kdf_CONTEXTBYTES == 8).
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "zhimian";
static_assert(sizeof(kKdfContext) == crypto_kdf_CONTEXTBYTES + 1);
constexpr uint64_t kEncryptionSubkeyId = 1;
constexpr uint64_t kBlindIndexSubkeyId = 2;

constexpr std::string_view kCipherPrefix = "v1:";
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* U8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string ErrnoText() { return std::strerror(errno); }

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the close(2) result (0 on success).
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string ParentDir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// mkdir -p with mode 0700 for the directories it creates.
Status MakeDirs(const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/") return Ok();
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Ok();
    return InvalidArgument("key file parent " + dir + " exists and is not a directory");
  }
  ZM_RETURN_IF_ERROR(MakeDirs(ParentDir(dir)));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Internal("cannot create directory " + dir + ": " + ErrnoText());
  }
  return Ok();
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Internal("write failed: " + ErrnoText());
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

void FsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: the key file itself is already durable
  ::close(fd);
}

Result<std::string> ReadKeyFile(const std::string& path, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Internal("cannot stat key file " + path + ": " + ErrnoText());
  if (!S_ISREG(st.st_mode)) return InvalidArgument("key file " + path + " is not a regular file");
  if ((st.st_mode & 0177) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return InvalidArgument("key file " + path + " has permissions " + mode +
                           ", which are looser than 0600; run: chmod 600 " + path);
  }
  constexpr size_t kMaxKeyFileBytes = 1024;
  std::string content;
  char buf[256];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      sodium_memzero(buf, sizeof(buf));
      WipeString(content);
      return Internal("cannot read key file " + path + ": " + ErrnoText());
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
    if (content.size() > kMaxKeyFileBytes) break;
  }
  sodium_memzero(buf, sizeof(buf));
  if (content.size() > kMaxKeyFileBytes) {
    WipeString(content);
    return InvalidArgument("key file " + path + " is malformed: too large for a 32-byte key");
  }
  auto key = DecodeKeyB64(content);
  WipeString(content);
  if (!key) {
    return InvalidArgument("key file " + path +
                           " is malformed: expected one line of base64 encoding 32 bytes");
  }
  return key;
}

}  // namespace

void EnsureSodium() {
  static const bool initialized = [] {
    if (sodium_init() < 0) {
      std::fputs("fatal: libsodium initialization failed\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)initialized;
}

// ---- FieldCipher ----------------------------------------------------------------------------

struct FieldCipher::Keys {
  std::array<unsigned char, kKeyBytes> encryption{};
  std::array<unsigned char, kKeyBytes> blind_index{};
  Keys() = default;
  Keys(const Keys&) = delete;
  Keys& operator=(const Keys&) = delete;
  ~Keys() {
    sodium_memzero(encryption.data(), encryption.size());
    sodium_memzero(blind_index.data(), blind_index.size());
  }
};

FieldCipher::FieldCipher(std::unique_ptr<Keys> keys) : keys_(std::move(keys)) {}
FieldCipher::FieldCipher(FieldCipher&&) noexcept = default;
FieldCipher& FieldCipher::operator=(FieldCipher&&) noexcept = default;
FieldCipher::~FieldCipher() = default;

Result<FieldCipher> FieldCipher::Create(std::string_view master_key) {
  EnsureSodium();
  if (master_key.size() != kKeyBytes) {
    return InvalidArgument("master key must be exactly 32 bytes");
  }
  auto keys = std::make_unique<Keys>();
  if (crypto_kdf_derive_from_key(keys->encryption.data(), kKeyBytes, kEncryptionSubkeyId,
                                 kKdfContext, U8(master_key)) != 0 ||
      crypto_kdf_derive_from_key(keys->blind_index.data(), kKeyBytes, kBlindIndexSubkeyId,
                                 kKdfContext, U8(master_key)) != 0) {
    return Internal("key derivation failed");
  }
  return FieldCipher(std::move(keys));
}

Result<std::string> FieldCipher::Encrypt(std::string_view plaintext,
                                         std::string_view associated_data) const {
  if (!keys_) return Internal("field cipher used after move");
  if (plaintext.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX - kNonceBytes) {
    return Internal("plaintext too large to encrypt");
  }
  std::string blob(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  randombytes_buf(out, kNonceBytes);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kNonceBytes, &clen, U8(plaintext), plaintext.size(), U8(associated_data),
      associated_data.size(), nullptr, out, keys_->encryption.data());
  blob.resize(kNonceBytes + clen);
  std::string stored(kCipherPrefix);
  stored += Base64Encode(blob);
  return stored;
}

Result<std::string> FieldCipher::Decrypt(std::string_view stored,
                                         std::string_view associated_data) const {
  if (!keys_) return Internal("field cipher used after move");
  if (!StartsWith(stored, kCipherPrefix)) {
    return Internal("encrypted field has an unknown format version");
  }
  std::string blob;
  if (!Base64Decode(stored.substr(kCipherPrefix.size()), &blob)) {
    return Internal("encrypted field is not valid base64");
  }
  if (blob.size() < kNonceBytes + kTagBytes) return Internal("encrypted field is truncated");
  const auto* in = U8(blob);
  std::string plaintext(blob.size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long mlen = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(plaintext.data()), &mlen, nullptr, in + kNonceBytes,
      blob.size() - kNonceBytes, U8(associated_data), associated_data.size(), in,
      keys_->encryption.data());
  if (rc != 0) {
    // libsodium may already have written unauthenticated bytes to the buffer: wipe them.
    WipeString(plaintext);
    return Internal("encrypted field failed authentication (tampered, wrong key or wrong context)");
  }
  plaintext.resize(mlen);
  return plaintext;
}

std::string FieldCipher::BlindIndex(std::string_view domain,
                                    std::string_view normalized_value) const {
  if (!keys_) return "";
  crypto_generichash_state state;
  unsigned char digest[crypto_generichash_BYTES];
  static_assert(crypto_generichash_BYTES == 32);
  crypto_generichash_init(&state, keys_->blind_index.data(), kKeyBytes, sizeof(digest));
  crypto_generichash_update(&state, U8(domain), domain.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, U8(normalized_value), normalized_value.size());
  crypto_generichash_final(&state, digest, sizeof(digest));
  sodium_memzero(&state, sizeof(state));
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

// ---- Key files ------------------------------------------------------------------------------

Result<std::string> DecodeKeyB64(std::string_view text) {
  std::string key;
  if (!Base64Decode(Trim(text), &key) || key.size() != kKeyBytes) {
    WipeString(key);
    return InvalidArgument("master key must be 32 bytes encoded as base64 (44 characters)");
  }
  return key;
}

std::string GenerateKeyB64() {
  std::string key = RandomBytes(kKeyBytes);
  std::string b64 = Base64Encode(key);
  WipeString(key);
  return b64;
}

Result<std::string> LoadOrCreateKeyFile(const std::string& path) {
  EnsureSodium();
  if (path.empty()) return InvalidArgument("key file path is empty");
  for (int attempt = 0; attempt < 2; ++attempt) {
    int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (rfd >= 0) {
      Fd fd(rfd);
      return ReadKeyFile(path, fd.get());
    }
    if (errno != ENOENT) return Internal("cannot open key file " + path + ": " + ErrnoText());
    if (attempt > 0) break;

    // Absent: create it next to its final name, then link atomically.
    const std::string dir = ParentDir(path);
    ZM_RETURN_IF_ERROR(MakeDirs(dir));
    const std::string tmp = path + ".tmp-" + HexEncode(RandomBytes(8));
    int wfd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (wfd < 0) return Internal("cannot create key file " + tmp + ": " + ErrnoText());
    Fd fd(wfd);
    std::string line = GenerateKeyB64() + "\n";
    Status written = Ok();
    if (::fchmod(fd.get(), 0600) != 0) {  // exact mode whatever the umask
      written = Internal("cannot chmod key file " + tmp + ": " + ErrnoText());
    } else {
      written = WriteAll(fd.get(), line);
    }
    WipeString(line);
    if (written && ::fsync(fd.get()) != 0) {
      written = Internal("cannot fsync key file " + tmp + ": " + ErrnoText());
    }
    if (written && fd.Close() != 0) {
      written = Internal("cannot close key file " + tmp + ": " + ErrnoText());
    }
    if (!written) {
      ::unlink(tmp.c_str());
      return std::unexpected(std::move(written.error()));
    }
    int link_rc = ::link(tmp.c_str(), path.c_str());
    int link_errno = errno;
    ::unlink(tmp.c_str());
    if (link_rc != 0 && link_errno != EEXIST) {
      errno = link_errno;
      return Internal("cannot create key file " + path + ": " + ErrnoText());
    }
    FsyncDir(dir);
    // Either our link succeeded or another process created the file first: read what is there.
  }
  return Internal("key file " + path + " disappeared while being created");
}

void WipeString(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

// ---- Random values and hashing ----------------------------------------------------------------

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string RandomToken(size_t bytes) {
  std::string raw = RandomBytes(bytes);
  std::string token = Base64UrlEncode(raw);
  WipeString(raw);
  return token;
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, U8(data), data.size());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace zm::security
