#include "security/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "common/strings.h"

namespace zm::security {
namespace {

namespace fs = std::filesystem;

std::string TestKey(char start) {
  std::string key(kKeyBytes, '\0');
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<char>(start + i);
  return key;
}

FieldCipher MakeCipher(char start = 0) {
  auto cipher = FieldCipher::Create(TestKey(start));
  EXPECT_TRUE(cipher.has_value());
  return std::move(*cipher);
}

// Decodes the base64 body of a "v1:" value.
std::string Blob(const std::string& stored) {
  std::string blob;
  EXPECT_TRUE(Base64Decode(std::string_view(stored).substr(3), &blob));
  return blob;
}

TEST(FieldCipher, RoundTripsChineseText) {
  FieldCipher cipher = MakeCipher();
  const std::string plain = "张三，北京市朝阳区建国路88号 zhang@example.com 😀";
  auto stored = cipher.Encrypt(plain, "candidate:01J9Z3K4M5N6P7Q8R9S0T1V2W3:name");
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(StartsWith(*stored, "v1:"));
  EXPECT_EQ(stored->find("张三"), std::string::npos);
  EXPECT_EQ(Blob(*stored).size(), 24 + plain.size() + 16);
  auto back = cipher.Decrypt(*stored, "candidate:01J9Z3K4M5N6P7Q8R9S0T1V2W3:name");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, plain);
}

TEST(FieldCipher, RoundTripsEmptyAndBinary) {
  FieldCipher cipher = MakeCipher();
  for (std::string plain : {std::string(), std::string("\0\xff\x01", 3), std::string(5000, 'x')}) {
    auto stored = cipher.Encrypt(plain, "");
    ASSERT_TRUE(stored.has_value());
    auto back = cipher.Decrypt(*stored, "");
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, plain);
  }
}

TEST(FieldCipher, SamePlaintextEncryptsDifferently) {
  FieldCipher cipher = MakeCipher();
  auto a = cipher.Encrypt("13812348000", "candidate:1:phone");
  auto b = cipher.Encrypt("13812348000", "candidate:1:phone");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_NE(Blob(*a).substr(0, 24), Blob(*b).substr(0, 24));  // fresh nonces
}

TEST(FieldCipher, TamperedCiphertextFails) {
  FieldCipher cipher = MakeCipher();
  auto stored = cipher.Encrypt("张三", "candidate:1:name");
  ASSERT_TRUE(stored.has_value());
  const std::string blob = Blob(*stored);
  // Flip one bit in the nonce, the ciphertext body and the tag, one at a time.
  for (size_t pos : {size_t{0}, size_t{23}, size_t{24}, blob.size() - 1}) {
    std::string bad = blob;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x01);
    auto out = cipher.Decrypt("v1:" + Base64Encode(bad), "candidate:1:name");
    ASSERT_FALSE(out.has_value()) << "byte " << pos;
    EXPECT_EQ(out.error().code, ErrorCode::kInternal);
  }
  // Truncated, wrong version, not base64, empty.
  EXPECT_FALSE(
      cipher.Decrypt("v1:" + Base64Encode(blob.substr(0, blob.size() - 1)), "candidate:1:name"));
  EXPECT_FALSE(cipher.Decrypt("v1:" + Base64Encode(blob.substr(0, 39)), "candidate:1:name"));
  EXPECT_FALSE(cipher.Decrypt("v2:" + stored->substr(3), "candidate:1:name"));
  EXPECT_FALSE(cipher.Decrypt("v1:!!!!", "candidate:1:name"));
  EXPECT_FALSE(cipher.Decrypt("", "candidate:1:name"));
  // The untouched value still decrypts.
  EXPECT_TRUE(cipher.Decrypt(*stored, "candidate:1:name"));
}

TEST(FieldCipher, WrongAssociatedDataFails) {
  FieldCipher cipher = MakeCipher();
  auto stored = cipher.Encrypt("zhang@example.com", "candidate:A:email");
  ASSERT_TRUE(stored.has_value());
  EXPECT_FALSE(cipher.Decrypt(*stored, "candidate:B:email"));  // swapped between rows
  EXPECT_FALSE(cipher.Decrypt(*stored, "candidate:A:phone"));  // swapped between fields
  EXPECT_FALSE(cipher.Decrypt(*stored, ""));
  EXPECT_TRUE(cipher.Decrypt(*stored, "candidate:A:email"));
}

TEST(FieldCipher, WrongKeyFails) {
  FieldCipher a = MakeCipher(0);
  FieldCipher b = MakeCipher(1);
  auto stored = a.Encrypt("110105199001011234", "candidate:1:national_id");
  ASSERT_TRUE(stored.has_value());
  auto out = b.Decrypt(*stored, "candidate:1:national_id");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInternal);
  EXPECT_EQ(out.error().message.find("1101"), std::string::npos);
}

TEST(FieldCipher, RejectsBadMasterKeyAndMovedFrom) {
  auto short_key = FieldCipher::Create(std::string(31, 'k'));
  ASSERT_FALSE(short_key.has_value());
  EXPECT_EQ(short_key.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(FieldCipher::Create(std::string(33, 'k')).has_value());

  FieldCipher a = MakeCipher();
  FieldCipher b = std::move(a);
  EXPECT_TRUE(b.Encrypt("x", "ad").has_value());
  EXPECT_FALSE(a.Encrypt("x", "ad").has_value());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.BlindIndex("d", "x"), "");           // NOLINT(bugprone-use-after-move)
}

TEST(FieldCipher, BlindIndexIsDeterministicAndSeparated) {
  FieldCipher cipher = MakeCipher(0);
  FieldCipher other_key = MakeCipher(1);
  std::string idx = cipher.BlindIndex("candidate.email", "zhang@example.com");
  EXPECT_EQ(idx.size(), 64u);
  EXPECT_EQ(idx.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(idx, cipher.BlindIndex("candidate.email", "zhang@example.com"));
  EXPECT_EQ(idx, MakeCipher(0).BlindIndex("candidate.email", "zhang@example.com"));
  EXPECT_NE(idx, cipher.BlindIndex("candidate.email", "zhang@example.org"));
  EXPECT_NE(idx, cipher.BlindIndex("user.email", "zhang@example.com"));
  EXPECT_NE(idx, other_key.BlindIndex("candidate.email", "zhang@example.com"));
  // The separator keeps domain and value apart.
  EXPECT_NE(cipher.BlindIndex("ab", "c"), cipher.BlindIndex("a", "bc"));
  // Not a plain hash of the value.
  EXPECT_NE(idx, Sha256Hex("zhang@example.com"));
}

TEST(FieldCipher, BlindIndexGoldenValue) {
  // Computed independently (Python hashlib): subkey = BLAKE2b-256(key=master, salt=LE64(2)||0^8,
  // personal="zhimian\0"||0^8, message=""), then keyed BLAKE2b-256 over "candidate.email\0<value>".
  // If this changes, every stored blind index becomes unreachable.
  FieldCipher cipher = MakeCipher(0);
  EXPECT_EQ(cipher.BlindIndex("candidate.email", "zhang@example.com"),
            "94c2567a49dc57c4cb5290777f1dbfd8590cd7f1bb75cdb03403095443d8567f");
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/zm_security_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  static unsigned Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  static void WriteFile(const std::string& path, const std::string& content, unsigned mode) {
    std::ofstream(path) << content;
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  std::string dir_;
};

TEST_F(KeyFileTest, CreatesWith0600AndRereadsSameKey) {
  const std::string path = dir_ + "/nested/keys/master.key";
  auto created = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(created->size(), 32u);
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(dir_ + "/nested/keys"), 0700u);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, Base64Encode(*created));
  auto again = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, *created);
  // No temporary files are left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ + "/nested/keys")) ++entries;
  EXPECT_EQ(entries, 1);
  // A different file gets a different key.
  auto other = LoadOrCreateKeyFile(dir_ + "/other.key");
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(*other, *created);
}

TEST_F(KeyFileTest, RefusesLoosePermissions) {
  const std::string path = dir_ + "/master.key";
  WriteFile(path, Base64Encode(TestKey(0)) + "\n", 0644);
  auto key = LoadOrCreateKeyFile(path);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(key.error().message.find("0644"), std::string::npos) << key.error().message;
  EXPECT_NE(key.error().message.find("chmod 600"), std::string::npos);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_FALSE(LoadOrCreateKeyFile(path).has_value());
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  auto ok = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(*ok, TestKey(0));
}

TEST_F(KeyFileTest, RefusesMalformedContent) {
  const std::string path = dir_ + "/master.key";
  for (const std::string& content :
       {std::string(""), std::string("not base64 at all\n"), Base64Encode(std::string(31, 'k')),
        Base64Encode(std::string(48, 'k')), std::string(5000, 'A')}) {
    fs::remove(path);
    WriteFile(path, content, 0600);
    auto key = LoadOrCreateKeyFile(path);
    ASSERT_FALSE(key.has_value()) << content;
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(key.error().message.find("malformed"), std::string::npos);
  }
  // A directory in place of the file.
  fs::create_directory(dir_ + "/dir.key");
  EXPECT_FALSE(LoadOrCreateKeyFile(dir_ + "/dir.key").has_value());
}

TEST(KeyDecoding, DecodesBase64Keys) {
  auto key = DecodeKeyB64("  " + Base64Encode(TestKey(7)) + "\n");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(*key, TestKey(7));
  EXPECT_FALSE(DecodeKeyB64(""));
  EXPECT_FALSE(DecodeKeyB64("c2hvcnQ="));  // "short"
  EXPECT_FALSE(DecodeKeyB64(Base64Encode(TestKey(7)).substr(1)));
  auto err = DecodeKeyB64("%%%");
  ASSERT_FALSE(err.has_value());
  EXPECT_EQ(err.error().code, ErrorCode::kInvalidArgument);
  auto generated = DecodeKeyB64(GenerateKeyB64());
  ASSERT_TRUE(generated.has_value());
  EXPECT_NE(*generated, TestKey(0));
}

TEST(Random, BytesAndTokens) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(24).size(), 24u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) {
    std::string t = RandomToken(32);
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << t;
    tokens.insert(t);
  }
  EXPECT_EQ(tokens.size(), 100u);
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("abcd"), "YWJjZA");
}

TEST(Hashing, Sha256AndConstantTimeEquals) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("token-123", "token-123"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "token-124"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "token-12"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(Wipe, ClearsString) {
  std::string secret = "hunter2hunter2";
  WipeString(secret);
  EXPECT_TRUE(secret.empty());
}

}  // namespace
}  // namespace zm::security
