#include "domain/interview.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/strings.h"
#include "domain/validation.h"

namespace zm::domain {
namespace {

template <class E, size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

template <class E, size_t N>
std::string_view NameOf(const Names<E, N>& names, E value) {
  for (const auto& [v, s] : names)
    if (v == value) return s;
  return names[0].second;
}

template <class E, size_t N>
std::optional<E> Lookup(const Names<E, N>& names, std::string_view text) {
  for (const auto& [v, s] : names)
    if (s == text) return v;
  return std::nullopt;
}

constexpr Names<InterviewStatus, 4> kInterviewStatuses = {{
    {InterviewStatus::kInvited, "invited"},
    {InterviewStatus::kInProgress, "in_progress"},
    {InterviewStatus::kCompleted, "completed"},
    {InterviewStatus::kRevoked, "revoked"},
}};

constexpr Names<IntegrityEventKind, 5> kIntegrityKinds = {{
    {IntegrityEventKind::kTabHidden, "tab_hidden"},
    {IntegrityEventKind::kPaste, "paste"},
    {IntegrityEventKind::kWindowBlur, "window_blur"},
    {IntegrityEventKind::kCopy, "copy"},
    {IntegrityEventKind::kFullscreenExit, "fullscreen_exit"},
}};

constexpr Names<TaskStatus, 2> kTaskStatuses = {{
    {TaskStatus::kOpen, "open"},
    {TaskStatus::kDone, "done"},
}};

bool IsHttpUrl(std::string_view url) {
  // Schemes are case-insensitive (RFC 3986 §3.1): "HTTPS://" is as good as "https://".
  std::string scheme = AsciiLower(url.substr(0, 8));
  auto rest = scheme.starts_with("https://")  ? url.substr(8)
              : scheme.starts_with("http://") ? url.substr(7)
                                              : std::string_view{};
  if (rest.empty() || rest.front() == '/') return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

std::string_view ToString(InterviewStatus s) { return NameOf(kInterviewStatuses, s); }
std::optional<InterviewStatus> ParseInterviewStatus(std::string_view text) {
  return Lookup(kInterviewStatuses, text);
}
std::string_view ToString(IntegrityEventKind k) { return NameOf(kIntegrityKinds, k); }
std::optional<IntegrityEventKind> ParseIntegrityEventKind(std::string_view text) {
  return Lookup(kIntegrityKinds, text);
}
const std::vector<IntegrityEventKind>& AllIntegrityEventKinds() {
  static const std::vector<IntegrityEventKind> kAll = [] {
    std::vector<IntegrityEventKind> v;
    for (const auto& [k, name] : kIntegrityKinds) v.push_back(k);
    return v;
  }();
  return kAll;
}
std::string_view ToString(TaskStatus s) { return NameOf(kTaskStatuses, s); }
std::optional<TaskStatus> ParseTaskStatus(std::string_view text) {
  return Lookup(kTaskStatuses, text);
}

bool IsTaskKind(std::string_view kind) {
  return std::find(kTaskKinds.begin(), kTaskKinds.end(), kind) != kTaskKinds.end();
}

Status ValidateTaskFilter(const std::optional<std::string>& status,
                          const std::optional<std::string>& kind) {
  FieldErrors errors;
  if (status && !ParseTaskStatus(*status)) errors.Add("status", "must be open or done");
  if (kind && !IsTaskKind(*kind)) errors.Add("kind", "is not a task kind");
  return errors.ToStatus("invalid task filter");
}

Status ValidateConsent(const ConsentRequest& c) {
  FieldErrors errors;
  if (c.consent_version != kConsentTextVersion)
    errors.Add("consent_version",
               "must be the current data-use text version " + std::string(kConsentTextVersion));
  if (!c.accept) errors.Add("accept", "must be true to start the interview");
  return errors.ToStatus("invalid consent");
}

Status ValidateAnswerText(std::string_view text) {
  FieldErrors errors;
  CheckText(errors, "text", text, 0, kAnswerMaxChars);
  return errors.ToStatus("invalid answer");
}

Status ValidateScoreOverride(const ScoreOverride& o) {
  FieldErrors errors;
  if (!o.dimension_key.empty()) CheckKey(errors, "dimension_key", o.dimension_key);
  CheckRange(errors, "score", o.score, 0.0, 100.0);
  CheckText(errors, "reason", o.reason, kOverrideReasonMin, kOverrideReasonMax);
  return errors.ToStatus("invalid score override");
}

void CoursePatch::Apply(Course& c) const {
  if (title) c.title = *title;
  if (title_en) c.title_en = *title_en;
  if (url) c.url = *url;
  if (description) c.description = *description;
  if (dimension_keys) c.dimension_keys = *dimension_keys;
  if (max_level) c.max_level = *max_level;
}

Status ValidateCourse(const Course& c) {
  FieldErrors errors;
  CheckText(errors, "title", c.title, 1, kCourseTitleMax);
  CheckText(errors, "title_en", c.title_en, 0, kCourseTitleMax);
  CheckText(errors, "url", c.url, 1, kCourseUrlMax);
  if (!errors.HasAtOrBelow("url") && !IsHttpUrl(c.url))
    errors.Add("url", "must be an http:// or https:// URL");
  CheckText(errors, "description", c.description, 0, kCourseDescriptionMax);
  if (CheckCount(errors, "dimension_keys", c.dimension_keys.size(), 1, 12))
    CheckKeyList(errors, "dimension_keys", c.dimension_keys, 12);
  CheckRange(errors, "max_level", c.max_level, 1, 5);
  return errors.ToStatus("invalid course");
}

}  // namespace zm::domain
