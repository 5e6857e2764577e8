#include "domain/candidate.h"

#include <string_view>

#include "common/strings.h"
#include "domain/validation.h"

namespace zm::domain {
namespace {

void CheckName(FieldErrors& e, std::string_view v) {
  CheckText(e, "name", v, 1, kCandidateNameMax);
}

void CheckEmail(FieldErrors& e, const std::optional<std::string>& v) {
  if (!v) return;
  if (!IsValidUtf8(*v)) {
    e.Add("email", "must be valid UTF-8");
  } else if (!IsPlausibleEmail(Trim(*v))) {  // surrounding spaces are trimmed on save
    e.Add("email", "must be a valid e-mail address");
  }
}

void CheckPhone(FieldErrors& e, const std::optional<std::string>& v) {
  if (!v) return;
  if (!IsValidUtf8(*v)) {
    e.Add("phone", "must be valid UTF-8");
  } else if (!IsPlausiblePhone(Trim(*v))) {
    e.Add("phone", "must be a phone number (digits, optional leading +)");
  }
}

void CheckNationalId(FieldErrors& e, const std::optional<std::string>& v) {
  if (!v) return;
  bool ok = !v->empty() && v->size() <= kNationalIdMax;
  for (char c : *v)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
      ok = false;
  if (!ok) e.Add("national_id", "must be 1..32 letters, digits or '-'");
}

void CheckResume(FieldErrors& e, const std::optional<std::string>& v) {
  if (v) CheckText(e, "resume_text", *v, 0, kResumeTextMax);
}

void CheckSource(FieldErrors& e, std::string_view v) { CheckText(e, "source", v, 0, kSourceMax); }

void CheckTags(FieldErrors& e, const std::vector<std::string>& v) {
  CheckTextList(e, "tags", v, kCandidateTagsMax, 1, kCandidateTagMax, true);
}

void CheckContact(FieldErrors& e, const std::optional<std::string>& email,
                  const std::optional<std::string>& phone) {
  if (!email && !phone) e.Add("email", "at least one of email and phone is required");
}

}  // namespace

void CandidatePatch::Apply(Candidate& c) const {
  if (name) c.name = *name;
  if (email) c.email = *email;
  if (phone) c.phone = *phone;
  if (national_id) c.national_id = *national_id;
  if (resume_text) c.resume_text = *resume_text;
  if (source) c.source = *source;
  if (tags) c.tags = *tags;
}

Status ValidateCandidate(const Candidate& c) {
  FieldErrors e;
  CheckName(e, c.name);
  CheckEmail(e, c.email);
  CheckPhone(e, c.phone);
  CheckContact(e, c.email, c.phone);
  CheckNationalId(e, c.national_id);
  CheckResume(e, c.resume_text);
  CheckSource(e, c.source);
  CheckTags(e, c.tags);
  return e.ToStatus("invalid candidate");
}

Status ValidateCandidatePatch(const CandidatePatch& p) {
  FieldErrors e;
  if (p.name) CheckName(e, *p.name);
  if (p.email) CheckEmail(e, *p.email);
  if (p.phone) CheckPhone(e, *p.phone);
  if (p.email && p.phone) CheckContact(e, *p.email, *p.phone);
  if (p.national_id) CheckNationalId(e, *p.national_id);
  if (p.resume_text) CheckResume(e, *p.resume_text);
  if (p.source) CheckSource(e, *p.source);
  if (p.tags) CheckTags(e, *p.tags);
  return e.ToStatus("invalid candidate");
}

}  // namespace zm::domain
