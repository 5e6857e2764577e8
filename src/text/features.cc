#include "text/features.h"

#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include "text/internal_utf8.h"
#include "text/phrase_matcher.h"

namespace zm::text {

namespace {

using internal::CodePointAt;
using internal::CodePointBefore;
using internal::DecodeUtf8;
using internal::IsWordChar;

// ---------------------------------------------------------------------------------------------
// Lexicon matching

// Lexicon phrase ids. kIgnore entries only exist to shadow shorter terms (自我 hides 我).
constexpr std::string_view kIgnore = "ignore";

PhraseMatcher Lexicon(std::vector<PhraseSpec> phrases) {
  PhraseMatcherOptions options;
  options.english_inflections = false;
  return PhraseMatcher::FromNormalized(std::move(phrases), options);
}

std::vector<TermMention> ToMentions(const PhraseMatcher& matcher,
                                    const std::vector<PhraseMatch>& matches, std::string_view id) {
  std::vector<TermMention> out;
  for (const PhraseMatch& m : matches) {
    if (m.phrase_id != id) continue;
    out.push_back(
        {matcher.normalized(m.phrase_index, m.variant), m.norm_begin, m.norm_end, m.span});
  }
  return out;
}

const PhraseMatcher& PronounMatcher() {
  static const PhraseMatcher* matcher = new PhraseMatcher(Lexicon({
      {"singular", "我", {"本人", "i", "me", "my", "mine", "myself"}},
      {"plural", "我们", {"咱们", "我方", "我司", "we", "us", "our", "ours", "ourselves"}},
      {"team",
       "团队",
       {"小组", "同事", "组员", "团队成员", "team", "teams", "teammate", "teammates", "colleague",
        "colleagues"}},
      {std::string(kIgnore), "自我", {"你我", "忘我"}},
  }));
  return *matcher;
}

const PhraseMatcher& HedgeMatcher() {
  static const PhraseMatcher* matcher = new PhraseMatcher(Lexicon({
      {"hedge", "可能", {"也许",    "或许",     "大概",     "应该吧",       "我觉得",  "好像",
                         "似乎",    "估计",     "差不多",   "不太确定",     "说不定",  "maybe",
                         "perhaps", "probably", "possibly", "i think",      "i guess", "i suppose",
                         "kind of", "sort of",  "not sure", "i'm not sure", "might be"}},
      {std::string(kIgnore), "不可能", {"可能性", "尽可能"}},
  }));
  return *matcher;
}

const PhraseMatcher& FillerMatcher() {
  static const PhraseMatcher* matcher = new PhraseMatcher(Lexicon({
      {"filler",
       "嗯",
       {"呃", "那个", "这个这个", "就是说", "然后然后", "um", "umm", "uh", "uhm", "erm", "hmm",
        "like", "you know", "i mean"}},
      {std::string(kIgnore),
       "would like",
       {"i like", "we like", "you like", "they like", "looks like", "look like", "feel like",
        "feels like", "just like", "something like", "like to", "likes", "liked"}},
  }));
  return *matcher;
}

// 那个 is a filler only before a pause, when repeated, or right after another filler.
bool IsFillerNage(std::string_view s, size_t begin, size_t end) {
  char32_t next = CodePointAt(s, end);
  switch (next) {
    case 0:
    case ',':
    case ' ':
    case 0x2026:  // …
    case 0x3001:  // 、
    case 0x3002:  // 。
    case '.':
    case '!':
    case '?':
      return true;
    default:
      break;
  }
  if (s.substr(end).starts_with("那个")) return true;
  char32_t prev = CodePointBefore(s, begin);
  return prev == U'嗯' || prev == U'呃' || s.substr(0, begin).ends_with("那个");
}

// ---------------------------------------------------------------------------------------------
// Numbers

struct Literal {
  std::string_view text;
  std::string_view unit;
  double factor = 1;
};

// Ordered longest first where one is a prefix of another.
constexpr Literal kZhDurations[] = {
    {"个多小时", "hour"}, {"个多星期", "week"}, {"个多季度", "quarter"}, {"个多月", "month"},
    {"个小时", "hour"},   {"个星期", "week"},   {"个礼拜", "week"},      {"个季度", "quarter"},
    {"个钟头", "hour"},   {"个月", "month"},    {"小时", "hour"},        {"钟头", "hour"},
    {"分钟", "minute"},   {"秒钟", "second"},   {"星期", "week"},        {"礼拜", "week"},
    {"季度", "quarter"},  {"年", "year"},       {"周", "week"},          {"天", "day"},
    {"秒", "second"},
};
constexpr Literal kEnDurations[] = {
    {"years", "year"},   {"year", "year"},        {"yrs", "year"},        {"yr", "year"},
    {"months", "month"}, {"month", "month"},      {"weeks", "week"},      {"week", "week"},
    {"days", "day"},     {"day", "day"},          {"hours", "hour"},      {"hour", "hour"},
    {"hrs", "hour"},     {"hr", "hour"},          {"minutes", "minute"},  {"minute", "minute"},
    {"mins", "minute"},  {"min", "minute"},       {"seconds", "second"},  {"second", "second"},
    {"secs", "second"},  {"quarters", "quarter"}, {"quarter", "quarter"},
};
constexpr Literal kZhMultipliers[] = {
    {"千万", "", 1e7}, {"百万", "", 1e6}, {"亿", "", 1e8}, {"万", "", 1e4}, {"千", "", 1e3},
};
constexpr Literal kEnMultipliers[] = {
    {"million", "", 1e6},
    {"billion", "", 1e9},
    {"thousand", "", 1e3},
    {"k", "", 1e3},
};
constexpr Literal kZhMoney[] = {
    {"块钱", "CNY"}, {"元", "CNY"},     {"块", "CNY"},   {"美元", "USD"},
    {"美金", "USD"}, {"人民币", "CNY"}, {"欧元", "EUR"}, {"英镑", "GBP"},
};
constexpr Literal kEnMoney[] = {
    {"yuan", "CNY"}, {"rmb", "CNY"},   {"dollars", "USD"}, {"dollar", "USD"},
    {"usd", "USD"},  {"euros", "EUR"}, {"euro", "EUR"},    {"eur", "EUR"},
};
constexpr Literal kCurrencyPrefixes[] = {
    {"¥", "CNY"}, {"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"rmb", "CNY"}, {"us$", "USD"},
};
constexpr Literal kEnNumberWords[] = {
    {"one", "", 1},     {"two", "", 2},     {"three", "", 3},       {"four", "", 4},
    {"five", "", 5},    {"six", "", 6},     {"seven", "", 7},       {"eight", "", 8},
    {"nine", "", 9},    {"ten", "", 10},    {"eleven", "", 11},     {"twelve", "", 12},
    {"twenty", "", 20}, {"thirty", "", 30}, {"a couple of", "", 2},
};
// First characters of counters and nouns that make a bare 万/亿 amount a count, not money,
// and let a single Chinese digit stand as a number (三个, 两次).
constexpr std::u32string_view kCounters =
    U"个人名位次家项倍款场件条份本台套种篇页轮期届支组门所座户单笔遍回部间张只辆层级岁多余用客粉字"
    U"行";

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

int ChineseDigit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

double ChineseUnit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    case U'万':
      return 1e4;
    case U'亿':
      return 1e8;
    default:
      return 0;
  }
}

bool IsChineseNumeral(char32_t c) { return ChineseDigit(c) >= 0 || ChineseUnit(c) > 0; }

// Matches a literal at `pos`; English literals (starting with an ASCII letter) must end at a
// word boundary. Returns the matched entry or nullptr.
template <size_t N>
const Literal* MatchLiteral(std::string_view s, size_t pos, const Literal (&table)[N]) {
  for (const Literal& lit : table) {
    if (!s.substr(pos).starts_with(lit.text)) continue;
    bool ascii_word = lit.text[0] >= 'a' && lit.text[0] <= 'z';
    if (ascii_word && IsWordChar(CodePointAt(s, pos + lit.text.size()))) continue;
    return &lit;
  }
  return nullptr;
}

// Like MatchLiteral, allowing one space (or hyphen) before an English literal.
template <size_t N>
const Literal* MatchUnit(std::string_view s, size_t pos, const Literal (&table)[N], size_t* end) {
  for (size_t skip : {size_t{0}, size_t{1}}) {
    if (skip == 1 && !(pos < s.size() && (s[pos] == ' ' || s[pos] == '-'))) break;
    if (const Literal* lit = MatchLiteral(s, pos + skip, table)) {
      bool ascii_word = lit->text[0] >= 'a' && lit->text[0] <= 'z';
      if (skip == 1 && !ascii_word) continue;
      *end = pos + skip + lit->text.size();
      return lit;
    }
  }
  return nullptr;
}

// Arabic number at `pos`: 1200, 1,200, 3.5. Returns the end or nullopt.
std::optional<size_t> ParseArabic(std::string_view s, size_t pos, double* value) {
  size_t i = pos;
  std::string digits;
  while (i < s.size() && IsAsciiDigit(static_cast<unsigned char>(s[i]))) digits += s[i++];
  if (digits.empty()) return std::nullopt;
  // Thousands groups: ",ddd" not followed by another digit.
  while (i + 3 < s.size() + 0 && s[i] == ',' && IsAsciiDigit(s[i + 1]) && IsAsciiDigit(s[i + 2]) &&
         IsAsciiDigit(s[i + 3]) && (i + 4 >= s.size() || !IsAsciiDigit(s[i + 4]))) {
    digits.append(s.substr(i + 1, 3));
    i += 4;
  }
  if (i + 1 < s.size() && s[i] == '.' && IsAsciiDigit(s[i + 1])) {
    digits += '.';
    ++i;
    while (i < s.size() && IsAsciiDigit(s[i])) digits += s[i++];
  }
  *value = std::strtod(digits.c_str(), nullptr);
  return i;
}

struct ChineseRun {
  size_t end = 0;
  double value = 0;
  size_t chars = 0;       // numeral characters in the run
  bool has_unit = false;  // contains 十百千万亿
  bool ends_big = false;  // ends with 万 or 亿
  char32_t first = 0;
};

// Chinese numeral run at `pos` (三十, 一百零五, 三点五, 二〇二三, 两万). nullopt when the run has
// no reliable value (三四 "three or four", 一一 "one by one").
std::optional<ChineseRun> ParseChinese(std::string_view s, size_t pos) {
  std::vector<char32_t> run;
  std::vector<char32_t> fraction;
  size_t i = pos;
  while (i < s.size()) {
    size_t next = i;
    char32_t c = DecodeUtf8(s, &next);
    if (IsChineseNumeral(c)) {
      run.push_back(c);
      i = next;
      continue;
    }
    if (c == U'点' && !run.empty() && ChineseDigit(run.back()) >= 0 &&
        ChineseDigit(CodePointAt(s, next)) >= 0) {
      i = next;
      while (i < s.size()) {
        size_t n2 = i;
        char32_t d = DecodeUtf8(s, &n2);
        if (ChineseDigit(d) < 0) break;
        fraction.push_back(d);
        i = n2;
      }
    }
    break;
  }
  if (run.empty()) return std::nullopt;
  ChineseRun r;
  r.end = i;
  r.chars = run.size();
  r.first = run.front();
  for (char32_t c : run) r.has_unit |= ChineseUnit(c) > 0;
  r.ends_big = run.back() == U'万' || run.back() == U'亿';
  if (!r.has_unit) {
    if (run.size() == 1) {
      r.value = ChineseDigit(run[0]);
    } else {
      bool has_zero = false;
      for (char32_t c : run) has_zero |= ChineseDigit(c) == 0;
      if (!has_zero || !fraction.empty()) return std::nullopt;
      double v = 0;
      for (char32_t c : run) v = v * 10 + ChineseDigit(c);  // 二〇二三 -> 2023
      r.value = v;
    }
  } else {
    double total = 0;
    double section = 0;
    double number = 0;
    bool have_number = false;
    for (char32_t c : run) {
      int d = ChineseDigit(c);
      if (d >= 0) {
        number = d;
        have_number = true;
        continue;
      }
      double unit = ChineseUnit(c);
      if (unit >= 1e4) {
        total = (total + section + number) * unit;
        if (unit == 1e4 && total >= 1e8 * 1e4) return std::nullopt;  // 亿万: not a numeral
        section = 0;
      } else {
        section += (have_number ? number : 1) * unit;
      }
      number = 0;
      have_number = false;
    }
    r.value = total + section + number;
  }
  double scale = 0.1;
  for (char32_t c : fraction) {
    r.value += ChineseDigit(c) * scale;
    scale /= 10;
  }
  return r;
}

bool StartsWithCounter(std::string_view s, size_t pos) {
  char32_t c = CodePointAt(s, pos);
  return c != 0 && kCounters.find(c) != std::u32string_view::npos;
}

class NumberScanner {
 public:
  explicit NumberScanner(const NormalizedText& text) : text_(text), s_(text.text) {}

  std::vector<NumberMention> Run() {
    size_t pos = 0;
    while (pos < s_.size()) {
      size_t end = Try(pos);
      if (end > pos) {
        pos = end;
      } else {
        DecodeUtf8(s_, &pos);
      }
    }
    return std::move(out_);
  }

 private:
  // Scans a mention starting at `pos`; returns its end, or pos when there is none.
  size_t Try(size_t pos) {
    char32_t prev = CodePointBefore(s_, pos);
    char32_t c = CodePointAt(s_, pos);
    // 百分之二十, 百分之20
    if (s_.substr(pos).starts_with("百分之")) {
      size_t q = pos + std::string_view("百分之").size();
      double v = 0;
      std::optional<size_t> end = ParseArabic(s_, q, &v);
      if (!end) {
        if (auto run = ParseChinese(s_, q)) end = run->end, v = run->value;
      }
      if (end) return Emit(NumberKind::kPercent, v, "", pos, *end);
    }
    // ¥3000, $5k, rmb 200
    if (!IsWordChar(prev)) {
      if (const Literal* cur = MatchLiteral(s_, pos, kCurrencyPrefixes)) {
        size_t q = pos + cur->text.size();
        if (q < s_.size() && s_[q] == ' ') ++q;
        double v = 0;
        if (auto end = ParseArabic(s_, q, &v)) {
          size_t e = *end;
          double factor = Multiplier(&e);
          size_t money_end = e;
          if (MatchUnit(s_, e, kZhMoney, &money_end) || MatchUnit(s_, e, kEnMoney, &money_end)) {
            e = money_end;
          }
          return Emit(NumberKind::kMoney, v * factor, cur->unit, pos, e);
        }
      }
    }
    // 半年, 半个月
    if (c == U'半' && !IsChineseNumeral(prev) && !IsAsciiDigit(prev)) {
      size_t q = pos + std::string_view("半").size();
      size_t end = q;
      if (const Literal* d = MatchUnit(s_, q, kZhDurations, &end)) {
        return Emit(NumberKind::kDuration, 0.5, d->unit, pos, end);
      }
    }
    if (IsAsciiDigit(c)) {
      // Inside a token (mp3, v2) or a number this scan did not take (1.2.3): skip.
      bool glued = (prev == '.' || prev == ',') && pos >= 2 && IsAsciiDigit(s_[pos - 2]);
      // 第3 is an ordinal, not a quantity.
      if ((prev < 0x80 && IsWordChar(prev)) || glued || prev == U'第') return SkipDigits(pos);
      double v = 0;
      std::optional<size_t> end = ParseArabic(s_, pos, &v);
      return Classify(pos, *end, v, /*chinese=*/nullptr);
    }
    if (IsChineseNumeral(c) && prev != U'第' && !IsChineseNumeral(prev)) {
      std::optional<ChineseRun> run = ParseChinese(s_, pos);
      if (!run) return SkipChinese(pos);
      return Classify(pos, run->end, run->value, &*run);
    }
    // two years, a couple of months
    if (c >= 'a' && c <= 'z' && !IsWordChar(prev)) {
      if (const Literal* w = MatchLiteral(s_, pos, kEnNumberWords)) {
        size_t q = pos + w->text.size();
        size_t end = q;
        if (const Literal* d = MatchUnit(s_, q, kEnDurations, &end)) {
          if (q < s_.size() && s_[q] == ' ') {
            return Emit(NumberKind::kDuration, w->factor, d->unit, pos, end);
          }
        }
      }
    }
    return pos;
  }

  // Consumes a multiplier after an Arabic number (50万, 3.5亿, 5k, 2 million); returns the factor.
  double Multiplier(size_t* pos) {
    size_t end = *pos;
    if (const Literal* m = MatchUnit(s_, *pos, kZhMultipliers, &end)) {
      // 3千米 is a distance, 3千克 a weight: not multipliers.
      if (m->text == "千" && (CodePointAt(s_, end) == U'米' || CodePointAt(s_, end) == U'克')) {
        return 1;
      }
      *pos = end;
      return m->factor;
    }
    if (const Literal* m = MatchUnit(s_, *pos, kEnMultipliers, &end)) {
      if (m->text == "k" && end != *pos + 1) return 1;  // "5 k" is not 5000
      *pos = end;
      return m->factor;
    }
    return 1;
  }

  size_t Classify(size_t begin, size_t end, double value, const ChineseRun* chinese) {
    bool big = chinese != nullptr && chinese->ends_big;
    double factor = 1;
    if (chinese == nullptr) {
      factor = Multiplier(&end);
      big = factor >= 1e4;
    }
    value *= factor;
    size_t e = end;
    for (size_t space : {size_t{0}, size_t{1}}) {  // 20%, 20 %
      if (end + space < s_.size() && s_[end + space] == '%' && (space == 0 || s_[end] == ' ')) {
        return Emit(NumberKind::kPercent, value, "", begin, end + space + 1);
      }
    }
    if (s_.substr(end).starts_with("个百分点")) {
      return Emit(NumberKind::kPercent, value, "", begin,
                  end + std::string_view("个百分点").size());
    }
    for (std::string_view p : {std::string_view(" percent"), std::string_view("percent"),
                               std::string_view(" per cent")}) {
      if (s_.substr(end).starts_with(p) && !IsWordChar(CodePointAt(s_, end + p.size()))) {
        return Emit(NumberKind::kPercent, value, "", begin, end + p.size());
      }
    }
    if (const Literal* m = MatchUnit(s_, end, kZhMoney, &e)) {
      return Emit(NumberKind::kMoney, value, m->unit, begin, e);
    }
    if (const Literal* m = MatchUnit(s_, end, kEnMoney, &e)) {
      return Emit(NumberKind::kMoney, value, m->unit, begin, e);
    }
    if (factor == 1) {
      if (s_.substr(end).starts_with("个半月")) {  // bare 月 is no unit elsewhere (3月: March)
        return Emit(NumberKind::kDuration, value + 0.5, "month", begin,
                    end + std::string_view("个半月").size());
      }
      if (s_.substr(end).starts_with("个半")) {
        size_t half_end = end;
        if (const Literal* h =
                MatchUnit(s_, end + std::string_view("个半").size(), kZhDurations, &half_end)) {
          return Emit(NumberKind::kDuration, value + 0.5, h->unit, begin, half_end);
        }
      }
      const Literal* d = MatchUnit(s_, end, kZhDurations, &e);
      if (d == nullptr) d = MatchUnit(s_, end, kEnDurations, &e);
      if (d != nullptr) {
        if (d->unit == "year" && value >= 1000 && d->text == "年") {
          return Emit(NumberKind::kNumber, value, "", begin, e);  // 2020年: a calendar year
        }
        // 一年半, 两个半小时: half a unit more.
        if ((d->text == "年" || d->text == "个月") && s_.substr(e).starts_with("半")) {
          return Emit(NumberKind::kDuration, value + 0.5, d->unit, begin,
                      e + std::string_view("半").size());
        }
        // 十分钟 is a duration; 十分 alone ("very") is rejected below.
        return Emit(NumberKind::kDuration, value, d->unit, begin, e);
      }
    }
    bool counter = StartsWithCounter(s_, end);
    if (chinese != nullptr) {
      char32_t first = chinese->first;
      if (first == U'万' || first == U'亿') return end;                // 万一, 亿万
      if ((first == U'千' || first == U'百') && !counter) return end;  // 千万不要, 百分百
      if (chinese->chars == 1 && first == U'十' && CodePointAt(s_, end) == U'分') return end;
      if (chinese->chars == 1 && ChineseUnit(first) == 0 && (first == U'一' || !counter)) {
        return end;  // 一个问题, 一起, 三思
      }
    }
    if (big && !counter) return Emit(NumberKind::kMoney, value, "", begin, end);
    return Emit(NumberKind::kNumber, value, "", begin, end);
  }

  size_t SkipDigits(size_t pos) {
    while (pos < s_.size() && (IsAsciiDigit(s_[pos]) || s_[pos] == '.')) ++pos;
    return pos;
  }

  size_t SkipChinese(size_t pos) {
    while (pos < s_.size()) {
      size_t next = pos;
      if (!IsChineseNumeral(DecodeUtf8(s_, &next))) break;
      pos = next;
    }
    return pos;
  }

  size_t Emit(NumberKind kind, double value, std::string_view unit, size_t begin, size_t end) {
    out_.push_back({kind, value, std::string(unit), begin, end, text_.OriginalSpan(begin, end)});
    return end;
  }

  const NormalizedText& text_;
  std::string_view s_;
  std::vector<NumberMention> out_;
};

}  // namespace

const char* NumberKindName(NumberKind kind) {
  switch (kind) {
    case NumberKind::kNumber:
      return "number";
    case NumberKind::kPercent:
      return "percent";
    case NumberKind::kMoney:
      return "money";
    case NumberKind::kDuration:
      return "duration";
  }
  return "number";
}

std::vector<NumberMention> ExtractNumbers(const NormalizedText& text) {
  return NumberScanner(text).Run();
}

PronounCounts CountPronouns(const NormalizedText& text) {
  const PhraseMatcher& m = PronounMatcher();
  std::vector<PhraseMatch> matches = PhraseMatcher::LeftmostLongest(m.Find(text));
  PronounCounts counts;
  counts.first_singular = ToMentions(m, matches, "singular");
  counts.first_plural = ToMentions(m, matches, "plural");
  // Team words never overlap a pronoun (我们团队 is one plural and one team mention).
  counts.team = ToMentions(m, matches, "team");
  return counts;
}

std::vector<TermMention> FindHedges(const NormalizedText& text) {
  const PhraseMatcher& m = HedgeMatcher();
  return ToMentions(m, PhraseMatcher::LeftmostLongest(m.Find(text)), "hedge");
}

std::vector<TermMention> FindFillers(const NormalizedText& text) {
  const PhraseMatcher& m = FillerMatcher();
  std::vector<TermMention> out;
  for (TermMention& t : ToMentions(m, PhraseMatcher::LeftmostLongest(m.Find(text)), "filler")) {
    if (t.term == "那个" && !IsFillerNage(text.text, t.norm_begin, t.norm_end)) continue;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace zm::text
