#include "security/password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/strings.h"
#include "domain/user.h"

namespace zm::security {
namespace {

TEST(PasswordHash, VerifiesCorrectAndRejectsWrong) {
  auto hash = HashPassword("Blue-Harbor-42");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(StartsWith(*hash, "$argon2id$v=19$m=65536,t=2,p=1$")) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "Blue-Harbor-42"));
  EXPECT_FALSE(VerifyPassword(*hash, "Blue-Harbor-43"));
  EXPECT_FALSE(VerifyPassword(*hash, "blue-harbor-42"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
  // Random salt: the same password hashes differently, and both verify.
  auto again = HashPassword("Blue-Harbor-42");
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(*hash, *again);
  EXPECT_TRUE(VerifyPassword(*again, "Blue-Harbor-42"));
}

TEST(PasswordHash, ChineseAndMalformedHashes) {
  auto hash = HashPassword("面试官密码Ab1");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(VerifyPassword(*hash, "面试官密码Ab1"));
  EXPECT_FALSE(VerifyPassword(*hash, "面试官密码Ab2"));
  EXPECT_FALSE(VerifyPassword("", "面试官密码Ab1"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "x"));
  std::string weaker = *hash;
  weaker.replace(weaker.find("m=65536"), 7, "m=32768");
  EXPECT_TRUE(PasswordNeedsRehash(weaker));
  EXPECT_FALSE(VerifyPassword(weaker, "面试官密码Ab1"));  // parameters are part of the hash
  EXPECT_TRUE(PasswordNeedsRehash("garbage"));
}

// The messages of all broken rules, in order.
std::vector<std::string> Problems(std::string_view password, std::string_view email) {
  std::vector<std::string> out;
  auto status = domain::ValidatePassword(password, email);
  if (status) return out;
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().reason, "validation_failed");
  EXPECT_FALSE(status.error().message.empty());
  for (const auto& d : status.error().details) {
    EXPECT_EQ(d.field, "password");
    out.push_back(d.message);
  }
  return out;
}

TEST(PasswordPolicy, AcceptsGoodPasswords) {
  EXPECT_TRUE(domain::ValidatePassword("Blue-Harbor-42", "zhang.san@example.com"));
  EXPECT_TRUE(domain::ValidatePassword("blue harbor 42x", ""));  // lower, digit, other (space)
  EXPECT_TRUE(domain::ValidatePassword("密码密码密码密码Ab1", "hr@example.com"));  // 11 code points
  EXPECT_TRUE(domain::ValidatePassword("Li-Hr-2024!x", "li@example.com"));   // local part < 3 chars
  EXPECT_TRUE(domain::ValidatePassword(std::string(125, 'a') + "B1!", ""));  // 128 chars
}

TEST(PasswordPolicy, TooShortOrTooLong) {
  auto p = Problems("Ab1!xyz", "");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("10 to 128"), std::string::npos);
  // 9 code points although 21 bytes: length is counted in characters.
  EXPECT_EQ(Problems("密码Ab1!xyz", "").size(), 1u);
  EXPECT_EQ(Problems(std::string(126, 'a') + "B1!", "").size(), 1u);  // 129 chars
  EXPECT_EQ(Problems("Ab1!Ab1!\xff\xfe", "").size(), 1u);             // invalid UTF-8
}

TEST(PasswordPolicy, NeedsThreeClasses) {
  auto p = Problems("abcdefghij12", "");  // lower + digit
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("at least 3"), std::string::npos);
  EXPECT_EQ(Problems("ABCDEFGHIJ!!", "").size(), 1u);  // upper + other
  EXPECT_EQ(Problems("abcdefghijKLMN", "").size(), 1u);
  EXPECT_TRUE(domain::ValidatePassword("abcdefghij1!", ""));
}

TEST(PasswordPolicy, MustNotContainEmailLocalPart) {
  auto p = Problems("Zhang.San-2024", "zhang.san@example.com");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("e-mail"), std::string::npos);
  EXPECT_EQ(Problems("x-ZHANG.SAN-2024", " Zhang.San@Example.com ").size(), 1u);
  EXPECT_EQ(Problems("Good-wangwu-42", "wangwu@example.com").size(), 1u);
  EXPECT_TRUE(domain::ValidatePassword("Good-wangwu-42", "zhaoliu@example.com"));
  EXPECT_TRUE(domain::ValidatePassword("Good-wangwu-42", ""));
}

TEST(PasswordPolicy, RejectsCommonPasswords) {
  for (const char* common : {"Password123!", "PASSWORD123!", "password123!", "Qwerty12345",
                             "Admin@12345", "1qaz@WSX3edc", "Woaini1314!"}) {
    auto p = Problems(common, "");
    ASSERT_EQ(p.size(), 1u) << common;
    EXPECT_NE(p[0].find("too common"), std::string::npos);
  }
}

TEST(PasswordPolicy, ReportsEveryBrokenRule) {
  auto status = domain::ValidatePassword("zhang", "zhang@example.com");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().details.size(), 3u);  // length, classes, e-mail
  EXPECT_NE(status.error().message.find("password"), std::string::npos);
}

TEST(GeneratePassword, AlwaysSatisfiesPolicy) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string pw = GeneratePassword();
    EXPECT_EQ(pw.size(), 20u);
    EXPECT_TRUE(domain::ValidatePassword(pw, "")) << pw;
    EXPECT_TRUE(domain::ValidatePassword(pw, "zhang.san@example.com")) << pw;
    EXPECT_EQ(pw.find_first_of("\"'\\ 0O1lI"), std::string::npos) << pw;
    bool lower = false, upper = false, digit = false, symbol = false;
    for (char c : pw) {
      lower |= (c >= 'a' && c <= 'z');
      upper |= (c >= 'A' && c <= 'Z');
      digit |= (c >= '0' && c <= '9');
      symbol |= std::string_view("!@#$%^&*-_=+?").find(c) != std::string_view::npos;
    }
    EXPECT_TRUE(lower && upper && digit && symbol) << pw;
    seen.insert(pw);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_TRUE(domain::ValidatePassword(GeneratePassword("abc@example.com"), "abc@example.com"));
}

}  // namespace
}  // namespace zm::security
