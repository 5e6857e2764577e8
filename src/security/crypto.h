// Cryptographic primitives on top of libsodium: field-level encryption of personal data, blind
// indexes for exact-match lookups on encrypted fields, key files, random tokens and hashing.
//
// Thread safety: every free function is thread-safe; FieldCipher is immutable after Create() and
// its const methods may be called concurrently. libsodium is initialized lazily (EnsureSodium).
// Secrets never appear in error messages.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace zm::security {

// Size in bytes of the master key and of every derived subkey.
inline constexpr size_t kKeyBytes = 32;

// Initializes libsodium once (thread-safe, cheap after the first call). Terminates the process
// if libsodium cannot initialize (no usable randomness source): nothing can run safely then.
void EnsureSodium();

// Authenticated encryption of single database fields plus blind indexes.
//
// Keys: two subkeys are derived from the 32-byte master key with crypto_kdf_derive_from_key
// (BLAKE2b), context = the 8 bytes "zhimian\0", subkey id 1 = encryption, 2 = blind index.
//
// Stored ciphertext format: "v1:" + standard base64 (with padding) of
//   nonce (24 random bytes) || XChaCha20-Poly1305-IETF ciphertext+tag (plaintext length + 16).
// The associated data is authenticated but not stored: pass the same value on Decrypt. Bind each
// value to its row and field (e.g. "candidate:<id>:email") so that a ciphertext copied into another
// row or field fails to decrypt.
//
// Keys live on the heap and are wiped (sodium_memzero) on destruction. Movable, not copyable; a
// moved-from cipher answers kInternal errors (Encrypt/Decrypt) or "" (BlindIndex).
class FieldCipher {
 public:
  // kInvalidArgument when `master_key` is not exactly kKeyBytes raw bytes.
  static Result<FieldCipher> Create(std::string_view master_key);

  FieldCipher(FieldCipher&&) noexcept;
  FieldCipher& operator=(FieldCipher&&) noexcept;
  FieldCipher(const FieldCipher&) = delete;
  FieldCipher& operator=(const FieldCipher&) = delete;
  ~FieldCipher();

  // Returns "v1:<base64>". A fresh random nonce each call: equal plaintexts give different outputs.
  // Errors: kInternal only (moved-from cipher, or a plaintext beyond libsodium's size limit).
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view associated_data) const;

  // Inverse of Encrypt. Errors (all kInternal, reason "internal", since stored data is never the
  // client's fault): unknown version prefix, malformed base64, too short, or authentication
  // failure (tampered data, wrong associated data, wrong key). Never returns partial plaintext.
  Result<std::string> Decrypt(std::string_view stored, std::string_view associated_data) const;

  // Deterministic keyed hash for equality lookups on encrypted fields: lower-case hex (64 chars) of
  // BLAKE2b-256 (crypto_generichash) keyed with the blind-index subkey over
  //   domain || 0x00 || normalized_value.
  // `domain` separates fields ("candidate.email", "candidate.phone") so equal values in different
  // fields do not collide. Normalize the value first (see normalize.h).
  std::string BlindIndex(std::string_view domain, std::string_view normalized_value) const;

 private:
  struct Keys;
  explicit FieldCipher(std::unique_ptr<Keys> keys);
  std::unique_ptr<Keys> keys_;
};

// Reads the master key from `path`, or creates it when the file does not exist.
// Existing file: one line of standard base64 encoding exactly 32 bytes (surrounding whitespace is
// ignored); symlinks are followed. Refused with kInvalidArgument when the file's mode grants
// anything beyond owner read/write (accepted: 0600, 0400) or the content is malformed.
// Absent file: creates missing parent directories (mode 0700), writes a fresh random key to a
// temporary file in the same directory (O_CREAT|O_EXCL, mode 0600), fsyncs it and hard-links it
// into place, so a concurrent creator can never observe a half-written file; if another process
// won the race its key is read and returned. Other I/O failures are kInternal.
// Returns the raw 32 bytes; the caller should wipe them (WipeString) once consumed.
Result<std::string> LoadOrCreateKeyFile(const std::string& path);

// Decodes a master key given as standard base64 text (e.g. from an environment variable);
// surrounding whitespace is ignored. kInvalidArgument unless it decodes to exactly 32 bytes.
Result<std::string> DecodeKeyB64(std::string_view text);

// A fresh random 32-byte master key encoded as base64 (for `zhimian keygen`-style tooling).
std::string GenerateKeyB64();

// Overwrites the string's bytes with zeros (not optimized away), then clears it.
void WipeString(std::string& s);

// `n` bytes from the OS CSPRNG (randombytes_buf).
std::string RandomBytes(size_t n);
// `bytes` random bytes encoded as base64url without padding (32 bytes -> 43 chars).
std::string RandomToken(size_t bytes);
// Base64url (RFC 4648 section 5) without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Lower-case hex SHA-256 (crypto_hash_sha256), 64 chars.
std::string Sha256Hex(std::string_view data);
// Constant-time comparison of equal-length inputs (sodium_memcmp). Different lengths return
// false immediately: only the length may leak, so compare fixed-length values (hashes, tokens).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace zm::security
