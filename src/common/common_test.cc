#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"

namespace zm {
namespace {

TEST(Ids, AreValidUniqueAndTimeOrdered) {
  std::string a = MakeId(1000, 1, 2), b = MakeId(2000, 0, 0);
  EXPECT_TRUE(IsValidId(a));
  EXPECT_LT(a, b);
  EXPECT_NE(NewId(), NewId());
  EXPECT_TRUE(IsValidId(NewId()));
  EXPECT_FALSE(IsValidId("../../etc/passwd"));
  EXPECT_FALSE(IsValidId("01ARZ3NDEKTSV4RRFFQ69G5FAI"));  // I is not Crockford
  EXPECT_FALSE(IsValidId("1' OR '1'='1"));
}

TEST(Time, RoundTripsIso8601) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(ParseIso8601("2026-11-22T02:41:00.123Z"), 1795315260123);
  EXPECT_EQ(FormatIso8601(1795315260123), "2026-11-22T02:41:00.123Z");
  EXPECT_EQ(ParseIso8601("2026-11-22T10:41:00+08:00"), 1795315260000);
  EXPECT_EQ(ParseIso8601("2026-11-22"), 1795305600000);
  EXPECT_FALSE(ParseIso8601("2026-02-30").has_value());
  EXPECT_FALSE(ParseIso8601("2026-11-22T02:41:00").has_value());
  EXPECT_FALSE(ParseIso8601("yesterday").has_value());
}

TEST(Strings, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("沟通能力 communication 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE6\xB2"));   // truncated
  EXPECT_EQ(Utf8Length("沟通ab"), 4u);
}

TEST(Strings, Base64RoundTrip) {
  for (std::string s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    std::string back;
    ASSERT_TRUE(Base64Decode(Base64Encode(s), &back));
    EXPECT_EQ(back, s);
  }
  std::string out;
  EXPECT_FALSE(Base64Decode("a===", &out));
  EXPECT_FALSE(Base64Decode("ab$d", &out));
  EXPECT_EQ(JsonQuote("a\"b\n\x01"), "\"a\\\"b\\n\\u0001\"");
}

TEST(Config, EnvOverridesAndValidates) {
  auto c =
      ApplyEnv(Config{}, {{"ZHIMIAN_LISTEN", "0.0.0.0:9090"}, {"ZHIMIAN_DB", "sqlite:/tmp/x.db"}});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9090);
  EXPECT_EQ(c->DatabaseUrl(), "sqlite:/tmp/x.db");
  EXPECT_FALSE(ApplyEnv(Config{}, {{"ZHIMIAN_LISTEN", "nohost"}}).has_value());
  EXPECT_FALSE(ApplyEnv(Config{}, {{"ZHIMIAN_HTTP_THREADS", "0"}}).has_value());
  EXPECT_EQ(Config{}.DatabaseUrl(), "sqlite:data/zhimian.db");
}

TEST(Config, ScoringSettings) {
  EXPECT_EQ(Config{}.scoring_min_ratings, 50);
  EXPECT_EQ(Config{}.scoring_train_threads, 1);
  auto c = ApplyEnv(Config{}, {{"ZHIMIAN_MIN_RATINGS", "80"}});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->scoring_min_ratings, 80);
  for (const char* bad : {"9", "abc", "100001"})
    EXPECT_FALSE(ApplyEnv(Config{}, {{"ZHIMIAN_MIN_RATINGS", bad}}).has_value()) << bad;
  auto dir =
      std::filesystem::temp_directory_path() / ("zm_config_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "zhimian.toml").string();
  {
    std::ofstream f(path);
    f << "[scoring]\nmin_ratings = 120\ntrain_threads = 2\n";
  }
  auto file = LoadConfigFile(path, true);
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ(file->scoring_min_ratings, 120);
  EXPECT_EQ(file->scoring_train_threads, 2);
  {
    std::ofstream f(path);
    f << "[scoring]\ntrain_threads = 0\n";
  }
  EXPECT_FALSE(LoadConfigFile(path, true).has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zm
