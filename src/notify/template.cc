#include "notify/template.h"

#include <algorithm>

#include "common/strings.h"

namespace zm::notify {
namespace {

const std::vector<std::string_view> kVariables = {
    "candidate_name", "job_title", "organisation_name", "interview_link",      "interview_deadline",
    "overall_score",  "stage",     "next_round_time",   "next_round_location",
};

// 1-based position in code points of byte offset `at` (for messages people read).
size_t CharPos(std::string_view text, size_t at) { return Utf8Length(text.substr(0, at)) + 1; }

std::string KnownList() {
  std::string out;
  for (auto v : kVariables) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

struct Token {
  size_t begin = 0, end = 0;  // byte range of "{{ ... }}"
  std::string name;
};

// Scans `text`; records problems in `errors` (when non-null) and returns the placeholders.
std::vector<Token> Scan(std::string_view text, std::string_view field,
                        std::vector<FieldError>* errors) {
  std::vector<Token> tokens;
  auto problem = [&](std::string msg) {
    if (errors) errors->push_back({std::string(field), std::move(msg)});
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("{{", i);
    size_t close = text.find("}}", i);
    if (close != std::string_view::npos && (open == std::string_view::npos || close < open)) {
      problem("unmatched }} at character " + std::to_string(CharPos(text, close)));
      i = close + 2;
      continue;
    }
    if (open == std::string_view::npos) break;
    size_t end = text.find("}}", open + 2);
    size_t next_open = text.find("{{", open + 2);
    if (end == std::string_view::npos || (next_open != std::string_view::npos && next_open < end)) {
      problem("unclosed {{ at character " + std::to_string(CharPos(text, open)));
      i = open + 2;
      continue;
    }
    std::string_view inner = Trim(text.substr(open + 2, end - open - 2));
    Token t{open, end + 2, std::string(inner)};
    if (inner.empty()) {
      problem("empty placeholder {{}} at character " + std::to_string(CharPos(text, open)));
    } else if (inner.find_first_of("{}") != std::string_view::npos) {
      problem("stray brace inside {{...}} at character " + std::to_string(CharPos(text, open)));
    } else if (!IsKnownVariable(inner)) {
      problem("unknown variable {{" + std::string(inner) + "}} at character " +
              std::to_string(CharPos(text, open)) + " (known: " + KnownList() + ")");
    } else {
      tokens.push_back(std::move(t));
    }
    i = end + 2;
  }
  return tokens;
}

}  // namespace

const std::vector<std::string_view>& KnownVariables() { return kVariables; }

bool IsKnownVariable(std::string_view name) {
  return std::ranges::find(kVariables, name) != kVariables.end();
}

std::vector<std::string> CheckTemplate(std::string_view text, std::string_view field,
                                       std::vector<FieldError>& errors) {
  std::vector<std::string> used;
  for (auto& t : Scan(text, field, &errors))
    if (std::ranges::find(used, t.name) == used.end()) used.push_back(t.name);
  return used;
}

Result<std::string> RenderTemplate(std::string_view text, const Variables& values) {
  std::vector<FieldError> errors;
  auto tokens = Scan(text, "template", &errors);
  if (!errors.empty()) return InvalidArgument("invalid template", std::move(errors));
  std::string out;
  out.reserve(text.size() + 64);
  size_t at = 0;
  for (const auto& t : tokens) {
    auto it = values.find(t.name);
    if (it == values.end())
      return Fail(MakeError(ErrorCode::kInvalidArgument, "template_variable_missing",
                            "no value for template variable " + t.name,
                            {{"variables." + t.name, "is required by the template"}}));
    out.append(text.substr(at, t.begin - at));
    out += it->second;
    at = t.end;
  }
  out.append(text.substr(at));
  return out;
}

Variables SampleVariables(std::string_view language) {
  if (language == "en")
    return {{"candidate_name", "Li Lei"},
            {"job_title", "Customer Success Specialist"},
            {"organisation_name", "Xinghai Technology"},
            {"interview_link", "https://hr.example.com/interview/SAMPLE-TOKEN"},
            {"interview_deadline", "2026-12-11 18:00 UTC"},
            {"overall_score", "85.0"},
            {"stage", "second_round"},
            {"next_round_time", "2026-12-15 10:00 UTC"},
            {"next_round_location", "Room 301, Building A"}};
  return {{"candidate_name", "李雷"},
          {"job_title", "客户成功专员"},
          {"organisation_name", "星海科技集团"},
          {"interview_link", "https://hr.example.com/interview/SAMPLE-TOKEN"},
          {"interview_deadline", "2026-12-11 18:00 UTC"},
          {"overall_score", "85.0"},
          {"stage", "复试"},
          {"next_round_time", "2026-12-15 10:00 UTC"},
          {"next_round_location", "A座301会议室"}};
}

}  // namespace zm::notify
