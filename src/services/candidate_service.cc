#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/json/mapping.h"
#include "security/audit_log.h"
#include "security/crypto.h"
#include "security/masking.h"
#include "security/normalize.h"
#include "services/audit_changes.h"
#include "services/name_index.h"
#include "services/services.h"
#include "storage/hiring_repository.h"
#include "workflow/stage_change.h"

namespace zm::services {
namespace json = zm::json;
using storage::Tx;

namespace {
constexpr char kEncrypted[] = "[encrypted]";

std::string Ad(const std::string& id, const char* field) { return "candidate:" + id + ":" + field; }

// Contact fields arrive as typed by people: surrounding spaces are not part of the value.
void TrimContact(domain::Candidate& c) {
  for (auto* field : {&c.email, &c.phone, &c.national_id})
    if (*field) **field = std::string(Trim(**field));
}

// Normalizes e-mail, phone and national id in place; reports every invalid one.
Status NormalizeContact(domain::Candidate& c) {
  std::vector<FieldError> details;
  if (c.email) {
    if (auto e = security::NormalizeEmail(*c.email))
      c.email = *e;
    else
      details.push_back({"email", "not a valid e-mail address"});
  }
  if (c.phone) {
    if (auto p = security::NormalizePhone(*c.phone))
      c.phone = *p;
    else
      details.push_back({"phone", "not a valid phone number"});
  }
  if (c.national_id) {
    if (auto n = security::NormalizeNationalId(*c.national_id))
      c.national_id = *n;
    else
      details.push_back({"national_id", "not a valid ID number"});
  }
  if (!details.empty()) return InvalidArgument("invalid contact data", std::move(details));
  return Ok();
}

// What the audit log may show of a candidate: no personal data in clear.
nlohmann::json AuditView(const domain::Candidate& c) {
  nlohmann::json j = {{"name", kEncrypted}, {"source", c.source}, {"tags", c.tags}};
  j["email"] = c.email ? nlohmann::json(kEncrypted) : nlohmann::json(nullptr);
  j["phone"] = c.phone ? nlohmann::json(kEncrypted) : nlohmann::json(nullptr);
  j["national_id"] = c.national_id ? nlohmann::json(kEncrypted) : nlohmann::json(nullptr);
  j["resume_text"] = c.resume_text ? nlohmann::json(kEncrypted) : nlohmann::json(nullptr);
  return j;
}

Status MapDuplicate(Status st) {
  if (!st && st.error().code == ErrorCode::kConflict && st.error().reason == "unique_violation")
    return Conflict("duplicate_candidate", "a candidate with this e-mail or phone exists");
  return st;
}
}  // namespace

Result<domain::Candidate> CandidateService::Open(const storage::CandidateRecord& r,
                                                 bool show_pii) const {
  domain::Candidate c;
  c.id = r.id;
  c.source = r.source;
  c.tags = r.tags;
  c.created_at = r.created_at;
  c.updated_at = r.updated_at;
  ZM_ASSIGN_OR_RETURN(c.name, cipher_.Decrypt(r.name_enc, Ad(r.id, "name")));
  auto open = [&](const std::optional<std::string>& enc,
                  const char* field) -> Result<std::optional<std::string>> {
    if (!enc) return std::optional<std::string>{};
    ZM_ASSIGN_OR_RETURN(auto v, cipher_.Decrypt(*enc, Ad(r.id, field)));
    return std::optional<std::string>{std::move(v)};
  };
  ZM_ASSIGN_OR_RETURN(c.email, open(r.email_enc, "email"));
  ZM_ASSIGN_OR_RETURN(c.phone, open(r.phone_enc, "phone"));
  ZM_ASSIGN_OR_RETURN(c.national_id, open(r.national_id_enc, "national_id"));
  if (show_pii) {
    ZM_ASSIGN_OR_RETURN(c.resume_text, open(r.resume_enc, "resume"));
  } else {
    c.name = security::MaskName(c.name);
    if (c.email) c.email = security::MaskEmail(*c.email);
    if (c.phone) c.phone = security::MaskPhone(*c.phone);
    if (c.national_id) c.national_id = security::MaskNationalId(*c.national_id);
  }
  return c;
}

Result<domain::Application> CandidateService::OpenApplication(const storage::ApplicationRecord& r,
                                                              bool show_pii) const {
  domain::Application a;
  a.id = r.id;
  a.candidate_id = r.candidate_id;
  a.job_id = r.job_id;
  a.department_id = r.department_id;
  auto stage = domain::ParseStage(r.stage);
  if (!stage) return Internal("corrupt application stage " + r.id);
  a.stage = *stage;
  a.source = r.source;
  a.job_title = r.job_title;
  a.created_at = r.created_at;
  a.updated_at = r.updated_at;
  ZM_ASSIGN_OR_RETURN(a.candidate_name,
                      cipher_.Decrypt(r.candidate_name_enc, Ad(r.candidate_id, "name")));
  if (!show_pii) a.candidate_name = security::MaskName(a.candidate_name);
  return a;
}

Result<Page<domain::Candidate>> CandidateService::ListCandidates(const Context& ctx,
                                                                 const CandidateFilter& f,
                                                                 const PageRequest& page) {
  storage::CandidateFilter sf;
  sf.tag = f.tag;
  sf.department_scope = ctx.principal.department_scope;
  // Exact lookups go through the blind index; an unparseable value matches nothing.
  if (f.email) {
    auto e = security::NormalizeEmail(*f.email);
    sf.email_bidx = e ? cipher_.BlindIndex("email", *e) : std::string("-");
  }
  if (f.phone) {
    auto p = security::NormalizePhone(*f.phone);
    sf.phone_bidx = p ? cipher_.BlindIndex("phone", *p) : std::string("-");
  }
  bool show = ctx.principal.Has(security::Permission::kPiiRead);
  return db_.ReadValue<Page<domain::Candidate>>([&](Tx& tx) -> Result<Page<domain::Candidate>> {
    ZM_ASSIGN_OR_RETURN(auto records, storage::ListCandidates(tx, sf, page));
    Page<domain::Candidate> out;
    out.next_cursor = records.next_cursor;
    for (const auto& r : records.items) {
      ZM_ASSIGN_OR_RETURN(auto c, Open(r, show));
      c.resume_text.reset();  // lists never carry resumes
      out.items.push_back(std::move(c));
    }
    return out;
  });
}

Result<domain::Candidate> CandidateService::GetCandidate(const Context& ctx,
                                                         const std::string& id) {
  bool show = ctx.principal.Has(security::Permission::kPiiRead);
  auto load = [&](Tx& tx) -> Result<domain::Candidate> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetCandidate(tx, id));
    if (!r) return NotFound("candidate");
    if (ctx.principal.department_scope) {
      ZM_ASSIGN_OR_RETURN(bool in,
                          storage::CandidateInDepartments(tx, id, *ctx.principal.department_scope));
      if (!in) return NotFound("candidate");
    }
    return Open(*r, show);
  };
  if (!show) return db_.ReadValue<domain::Candidate>(load);
  // A view of personal data is itself recorded.
  return db_.WriteValue<domain::Candidate>([&](Tx& tx) -> Result<domain::Candidate> {
    ZM_ASSIGN_OR_RETURN(auto c, load(tx));
    ZM_RETURN_IF_ERROR(security::AppendAudit(tx, ctx, {"candidate.view_pii", "candidate", id, ""}));
    return c;
  });
}

Result<domain::Candidate> CandidateService::CreateCandidate(const Context& ctx,
                                                            domain::Candidate c) {
  c.id = NewId();
  c.created_at = c.updated_at = NowMillis();
  TrimContact(c);
  ZM_RETURN_IF_ERROR(domain::ValidateCandidate(c));
  ZM_RETURN_IF_ERROR(NormalizeContact(c));
  storage::CandidateRecord r;
  r.id = c.id;
  r.source = c.source;
  r.tags = c.tags;
  r.created_at = c.created_at;
  r.updated_at = c.updated_at;
  ZM_ASSIGN_OR_RETURN(r.name_enc, cipher_.Encrypt(c.name, Ad(c.id, "name")));
  auto seal = [&](const std::optional<std::string>& v,
                  const char* field) -> Result<std::optional<std::string>> {
    if (!v) return std::optional<std::string>{};
    ZM_ASSIGN_OR_RETURN(auto enc, cipher_.Encrypt(*v, Ad(c.id, field)));
    return std::optional<std::string>{std::move(enc)};
  };
  ZM_ASSIGN_OR_RETURN(r.email_enc, seal(c.email, "email"));
  ZM_ASSIGN_OR_RETURN(r.phone_enc, seal(c.phone, "phone"));
  ZM_ASSIGN_OR_RETURN(r.national_id_enc, seal(c.national_id, "national_id"));
  ZM_ASSIGN_OR_RETURN(r.resume_enc, seal(c.resume_text, "resume"));
  if (c.email) r.email_bidx = cipher_.BlindIndex("email", *c.email);
  if (c.phone) r.phone_bidx = cipher_.BlindIndex("phone", *c.phone);
  r.name_bidx = NameBlindIndex(cipher_, c.name);

  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto dup,
                        storage::FindCandidateByBlindIndex(tx, r.email_bidx, r.phone_bidx, r.id));
    if (dup)
      return Conflict("duplicate_candidate", "a candidate with this e-mail or phone exists",
                      {{"candidate_id", *dup}});
    ZM_RETURN_IF_ERROR(MapDuplicate(storage::InsertCandidate(tx, r)));
    return security::AppendAudit(
        tx, ctx, {"candidate.create", "candidate", c.id, Changes({}, AuditView(c))});
  }));
  if (!ctx.principal.Has(security::Permission::kPiiRead)) return Open(r, false);
  return c;
}

Result<domain::Candidate> CandidateService::UpdateCandidate(const Context& ctx,
                                                            const std::string& id,
                                                            const domain::CandidatePatch& patch) {
  ZM_RETURN_IF_ERROR(domain::ValidateCandidatePatch(patch));
  return db_.WriteValue<domain::Candidate>([&](Tx& tx) -> Result<domain::Candidate> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetCandidate(tx, id));
    if (!r) return NotFound("candidate");
    ZM_ASSIGN_OR_RETURN(auto before, Open(*r, true));
    domain::Candidate c = before;
    patch.Apply(c);
    c.updated_at = NowMillis();
    TrimContact(c);
    ZM_RETURN_IF_ERROR(domain::ValidateCandidate(c));
    ZM_RETURN_IF_ERROR(NormalizeContact(c));
    storage::CandidateRecord nr = *r;
    nr.source = c.source;
    nr.tags = c.tags;
    nr.updated_at = c.updated_at;
    ZM_ASSIGN_OR_RETURN(nr.name_enc, cipher_.Encrypt(c.name, Ad(id, "name")));
    auto seal = [&](const std::optional<std::string>& v,
                    const char* field) -> Result<std::optional<std::string>> {
      if (!v) return std::optional<std::string>{};
      ZM_ASSIGN_OR_RETURN(auto enc, cipher_.Encrypt(*v, Ad(id, field)));
      return std::optional<std::string>{std::move(enc)};
    };
    ZM_ASSIGN_OR_RETURN(nr.email_enc, seal(c.email, "email"));
    ZM_ASSIGN_OR_RETURN(nr.phone_enc, seal(c.phone, "phone"));
    ZM_ASSIGN_OR_RETURN(nr.national_id_enc, seal(c.national_id, "national_id"));
    ZM_ASSIGN_OR_RETURN(nr.resume_enc, seal(c.resume_text, "resume"));
    nr.email_bidx = c.email ? std::optional(cipher_.BlindIndex("email", *c.email)) : std::nullopt;
    nr.phone_bidx = c.phone ? std::optional(cipher_.BlindIndex("phone", *c.phone)) : std::nullopt;
    nr.name_bidx = NameBlindIndex(cipher_, c.name);
    ZM_ASSIGN_OR_RETURN(auto dup,
                        storage::FindCandidateByBlindIndex(tx, nr.email_bidx, nr.phone_bidx, id));
    if (dup)
      return Conflict("duplicate_candidate", "a candidate with this e-mail or phone exists",
                      {{"candidate_id", *dup}});
    ZM_RETURN_IF_ERROR(MapDuplicate(storage::UpdateCandidate(tx, nr)));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"candidate.update", "candidate", id, Changes(AuditView(before), AuditView(c))}));
    if (!ctx.principal.Has(security::Permission::kPiiRead)) return Open(nr, false);
    return c;
  });
}

Status CandidateService::DeleteCandidate(const Context& ctx, const std::string& id) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(storage::DeleteCandidate(tx, id));
    return security::AppendAudit(tx, ctx, {"candidate.erase", "candidate", id, ""});
  });
}

Result<Page<domain::Application>> CandidateService::ListApplications(const Context& ctx,
                                                                     const ApplicationFilter& f,
                                                                     const PageRequest& page) {
  bool show = ctx.principal.Has(security::Permission::kPiiRead);
  return db_.ReadValue<Page<domain::Application>>([&](Tx& tx) -> Result<Page<domain::Application>> {
    ZM_ASSIGN_OR_RETURN(
        auto records, storage::ListApplications(tx,
                                                {f.job_id, f.department_id, f.stage, f.candidate_id,
                                                 ctx.principal.department_scope},
                                                page));
    Page<domain::Application> out;
    out.next_cursor = records.next_cursor;
    for (const auto& r : records.items) {
      ZM_ASSIGN_OR_RETURN(auto a, OpenApplication(r, show));
      out.items.push_back(std::move(a));
    }
    return out;
  });
}

Result<domain::Application> CandidateService::GetApplication(const Context& ctx,
                                                             const std::string& id) {
  bool show = ctx.principal.Has(security::Permission::kPiiRead);
  return db_.ReadValue<domain::Application>([&](Tx& tx) -> Result<domain::Application> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetApplication(tx, id));
    if (!r || !ctx.principal.InScope(r->department_id)) return NotFound("application");
    return OpenApplication(*r, show);
  });
}

Result<domain::Application> CandidateService::CreateApplication(const Context& ctx,
                                                                domain::Application a) {
  a.id = NewId();
  a.created_at = a.updated_at = NowMillis();
  ZM_RETURN_IF_ERROR(domain::ValidateApplication(a));
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    std::vector<FieldError> details;
    // Locked: the application copies the job's department, which must not change meanwhile.
    ZM_ASSIGN_OR_RETURN(auto job, storage::GetJobForUpdate(tx, a.job_id));
    if (!job || !ctx.principal.InScope(job->department_id))
      details.push_back({"job_id", "no such job"});
    ZM_ASSIGN_OR_RETURN(auto cand, storage::GetCandidate(tx, a.candidate_id));
    if (!cand) details.push_back({"candidate_id", "no such candidate"});
    if (!details.empty()) return InvalidArgument("unknown reference", std::move(details));
    a.department_id = job->department_id;
    storage::ApplicationRecord r{a.id,
                                 a.candidate_id,
                                 a.job_id,
                                 a.department_id,
                                 std::string(domain::ToString(a.stage)),
                                 a.source,
                                 a.created_at,
                                 a.updated_at,
                                 "",
                                 ""};
    auto st = storage::InsertApplication(tx, r);
    if (!st && st.error().reason == "unique_violation")
      return Conflict("duplicate_application", "the candidate already applied to this job");
    ZM_RETURN_IF_ERROR(st);
    ZM_RETURN_IF_ERROR(workflow::EmitApplicationEvent(
        tx, cipher_, "application.created", r,
        nlohmann::json{{"stage", r.stage}, {"source", r.source}}.dump()));
    return security::AppendAudit(
        tx, ctx,
        {"application.create", "application", a.id,
         Changes({}, nlohmann::json{{"candidate_id", a.candidate_id},
                                    {"job_id", a.job_id},
                                    {"stage", domain::ToString(a.stage)}})});
  }));
  return GetApplication(ctx, a.id);
}

Result<domain::Application> CandidateService::MoveStage(const Context& ctx, const std::string& id,
                                                        domain::Stage stage) {
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetApplication(tx, id));
    if (!r || !ctx.principal.InScope(r->department_id)) return NotFound("application");
    std::string to(domain::ToString(stage));
    if (r->stage == to) return Ok();
    return workflow::RecordStageChange(
        tx, cipher_, ctx, *r,
        {r->stage, to, Changes(nlohmann::json{{"stage", r->stage}}, nlohmann::json{{"stage", to}}),
         ""});
  }));
  return GetApplication(ctx, id);
}

}  // namespace zm::services
