#include "security/normalize.h"

#include <gtest/gtest.h>

#include <string>

namespace zm::security {
namespace {

TEST(NormalizeEmail, TrimsAndLowerCases) {
  EXPECT_EQ(NormalizeEmail("zhang@example.com"), "zhang@example.com");
  EXPECT_EQ(NormalizeEmail("  Zhang.San@Example.COM \n"), "zhang.san@example.com");
  EXPECT_EQ(NormalizeEmail("li+hr@mail.zhimian.cn"), "li+hr@mail.zhimian.cn");
  EXPECT_EQ(NormalizeEmail("王@例子.中国"), "王@例子.中国");  // non-ASCII kept as is
  // Equal people give equal bytes.
  EXPECT_EQ(NormalizeEmail("ZHANG@EXAMPLE.COM"), NormalizeEmail("zhang@example.com"));
}

TEST(NormalizeEmail, RejectsMalformed) {
  for (const char* bad : {"", "   ", "zhang", "zhang@", "@example.com", "zhang@example",
                          "zhang@@example.com", "a@b@example.com", "zhang san@example.com",
                          "zhang@exa mple.com", "zhang@.example.com", "zhang@example.com.",
                          "zhang@example..com", "zhang@example.com\x01", "zh\tang@example.com"}) {
    EXPECT_EQ(NormalizeEmail(bad), std::nullopt) << bad;
  }
  std::string long_local(250, 'a');
  EXPECT_EQ(NormalizeEmail(long_local + "@b.cn"), std::nullopt);  // 255 chars
  EXPECT_EQ(NormalizeEmail(std::string(248, 'a') + "@b.cn").value().size(), 253u);
  EXPECT_TRUE(NormalizeEmail(std::string(249, 'a') + "@b.cn").has_value());  // 254 chars
}

TEST(NormalizePhone, ChineseMobileFormsAreEqual) {
  EXPECT_EQ(NormalizePhone("13812348000"), "13812348000");
  EXPECT_EQ(NormalizePhone("+86 138 1234 8000"), "13812348000");
  EXPECT_EQ(NormalizePhone("+86-138-1234-8000"), "13812348000");
  EXPECT_EQ(NormalizePhone("0086 13812348000"), "13812348000");
  EXPECT_EQ(NormalizePhone("(+86) 138.1234.8000"), "13812348000");  // '(' is stripped first
  EXPECT_EQ(NormalizePhone(" 138 1234 8000 "), "13812348000");
}

TEST(NormalizePhone, OtherNumbersKeepTheirPlus) {
  EXPECT_EQ(NormalizePhone("+1 (415) 555-0100"), "+14155550100");
  EXPECT_EQ(NormalizePhone("010-8888 6666"), "01088886666");
  EXPECT_EQ(NormalizePhone("+86 10 8888 6666"), "+861088886666");  // landline: prefix kept
  EXPECT_EQ(NormalizePhone("0086 10 8888 6666"), "+861088886666");
  EXPECT_EQ(NormalizePhone("+8613812348000"), "13812348000");
  EXPECT_EQ(NormalizePhone("123456"), "123456");
  EXPECT_EQ(NormalizePhone("123456789012345"), "123456789012345");
}

TEST(NormalizePhone, RejectsInvalid) {
  for (const char* bad :
       {"", "+", "12345", "1234567890123456", "138-1234-800O", "138 1234 8000 ext 5",
        "++8613812348000", "138+12348000", "１３８１２３４８０００", "tel:13812348000"}) {
    EXPECT_EQ(NormalizePhone(bad), std::nullopt) << bad;
  }
}

TEST(NormalizeNationalId, ChinaResidentIdChecksum) {
  EXPECT_EQ(NormalizeNationalId("11010519491231002X"), "11010519491231002X");
  EXPECT_EQ(NormalizeNationalId(" 11010519491231002x "), "11010519491231002X");
  EXPECT_EQ(NormalizeNationalId("110105199001011232"), "110105199001011232");
  EXPECT_EQ(NormalizeNationalId("440304199001011233"), "440304199001011233");
  EXPECT_TRUE(IsValidChinaResidentId("11010119900307803X"));
  // Wrong check digits are refused, not accepted under the generic rule.
  EXPECT_EQ(NormalizeNationalId("110105194912310021"), std::nullopt);
  EXPECT_EQ(NormalizeNationalId("110105199001011234"), std::nullopt);
  EXPECT_EQ(NormalizeNationalId("440304199001011230"), std::nullopt);
  EXPECT_FALSE(IsValidChinaResidentId("11010519491231002Y"));
  EXPECT_FALSE(IsValidChinaResidentId("1101051949123100X2"));
}

TEST(NormalizeNationalId, OtherFormatsWithoutChecksum) {
  EXPECT_EQ(NormalizeNationalId("e12345678"), "E12345678");      // passport
  EXPECT_EQ(NormalizeNationalId("H1234567890"), "H1234567890");  // HK/Macau permit
  EXPECT_EQ(NormalizeNationalId("A1234"), "A1234");              // 5 chars
  EXPECT_EQ(NormalizeNationalId(std::string(30, '7')), std::string(30, '7'));
  EXPECT_EQ(NormalizeNationalId("1101051949123100"), "1101051949123100");  // 16 digits: generic
  for (const char* bad : {"", "A123", "E1234 5678", "E1234-5678", "护照12345", "ABC_12345"}) {
    EXPECT_EQ(NormalizeNationalId(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(NormalizeNationalId(std::string(31, '7')), std::nullopt);
}

}  // namespace
}  // namespace zm::security
