#include "security/masking.h"

#include <gtest/gtest.h>

namespace zm::security {
namespace {

TEST(MaskName, KeepsFirstCodePointOfEachWord) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("John Smith"), "J*** S****");
  EXPECT_EQ(MaskName("  李小龙 "), "李**");
  EXPECT_EQ(MaskName("Ana  María"), "A**  M****");  // 'í' is one code point
  EXPECT_EQ(MaskName("Émile"), "É****");
  EXPECT_EQ(MaskName("𠀋先生"), "𠀋**");  // 4-byte code point kept whole
}

TEST(MaskName, TinyInputs) {
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("   "), "");
  EXPECT_EQ(MaskName("张"), "*");  // a one-character name would otherwise be shown in full
  EXPECT_EQ(MaskName("J S"), "J S");
}

TEST(MaskPhone, KeepsFirstThreeAndLastFour) {
  EXPECT_EQ(MaskPhone("13812348000"), "138****8000");
  EXPECT_EQ(MaskPhone("+14155550100"), "+141****0100");
  EXPECT_EQ(MaskPhone("+861088886666"), "+861*****6666");
  EXPECT_EQ(MaskPhone("123456789012345"), "123********2345");
  EXPECT_EQ(MaskPhone("138-1234-8000"), "138****8000");  // separators ignored
}

TEST(MaskPhone, ShortNumbersKeepLastTwo) {
  EXPECT_EQ(MaskPhone("0108888666"), "********66");
  EXPECT_EQ(MaskPhone("55501234"), "******34");
  EXPECT_EQ(MaskPhone("123456"), "****56");
  EXPECT_EQ(MaskPhone("12345"), "****45");
  EXPECT_EQ(MaskPhone("1234"), "****");
  EXPECT_EQ(MaskPhone(""), "");
}

TEST(MaskEmail, AlwaysThreeStars) {
  EXPECT_EQ(MaskEmail("zhang@example.com"), "z***@example.com");
  EXPECT_EQ(MaskEmail("a@example.com"), "a***@example.com");
  EXPECT_EQ(MaskEmail("zhang.san.long.name@mail.example.cn"), "z***@mail.example.cn");
  EXPECT_EQ(MaskEmail("王小明@例子.中国"), "王***@例子.中国");
  EXPECT_EQ(MaskEmail("@example.com"), "***@example.com");
  EXPECT_EQ(MaskEmail("no-at-sign"), "***");
}

TEST(MaskNationalId, KeepsFirstAndLastFour) {
  EXPECT_EQ(MaskNationalId("110105199001011234"), "1101**********1234");
  EXPECT_EQ(MaskNationalId("11010519491231002X"), "1101**********002X");
  EXPECT_EQ(MaskNationalId("123456789012"), "1234****9012");
  EXPECT_EQ(MaskNationalId("E12345678"), "*******78");
  EXPECT_EQ(MaskNationalId("A1234"), "****34");
  EXPECT_EQ(MaskNationalId("AB"), "****");
  EXPECT_EQ(MaskNationalId(""), "");
}

}  // namespace
}  // namespace zm::security
