#include "services/workspace_service.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/json/mapping.h"
#include "security/audit_log.h"
#include "security/crypto.h"
#include "security/masking.h"
#include "security/normalize.h"
#include "services/audit_changes.h"
#include "services/interview_service.h"
#include "services/name_index.h"
#include "services/services.h"
#include "storage/hiring_repository.h"
#include "workflow/stage_change.h"

namespace zm::services {
namespace {

using nlohmann::json;
using security::Permission;
using storage::Tx;

constexpr int kMaxDimensionFilters = 12;
constexpr size_t kMaxExplicitMentions = 20;
constexpr int kHistoryMaxEntries = 1000;
constexpr int kExcerptChars = 140;

json Time(int64_t ms) { return FormatIso8601(ms); }
json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? json(FormatIso8601(*ms)) : json(nullptr);
}
double Round1(double v) { return std::round(v * 10.0) / 10.0; }
json Round1OrNull(const std::optional<double>& v) { return v ? json(Round1(*v)) : json(nullptr); }

std::string NameAd(const std::string& candidate_id) {
  return "candidate:" + candidate_id + ":name";
}
std::string ContactAd(const std::string& candidate_id, const char* field) {
  return "candidate:" + candidate_id + ":" + field;
}
// Comment bodies are bound to their application and row.
std::string CommentAd(const std::string& application_id, const std::string& comment_id) {
  return "application_comment:" + application_id + ":" + comment_id;
}

bool IsDimensionKey(std::string_view k) {
  if (k.empty() || k.size() > 40 || k[0] < 'a' || k[0] > 'z') return false;
  return std::ranges::all_of(
      k, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// A plain decimal number (digits with an optional fraction); nullopt otherwise.
std::optional<double> ParseScore(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 12) return std::nullopt;
  bool dot = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !dot && i > 0 && i + 1 < text.size()) {
      dot = true;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// The first `n` code points of valid UTF-8 text, with "…" when cut.
std::string Excerpt(std::string_view text, size_t n) {
  size_t count = 0, i = 0;
  while (i < text.size() && count < n) {
    auto b = static_cast<unsigned char>(text[i]);
    i += b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
    ++count;
  }
  if (i >= text.size()) return std::string(text);
  return std::string(text.substr(0, i)) + "…";
}

const char* RecommendationZh(const std::string& r) {
  if (r == "recommend") return "推荐";
  if (r == "review") return "待定";
  if (r == "not_recommended") return "不推荐";
  return "";
}

const char* InterviewStatusZh(const std::string& s) {
  if (s == "invited") return "已邀请";
  if (s == "in_progress") return "进行中";
  if (s == "completed") return "已完成";
  if (s == "revoked") return "已撤销";
  return "";
}

// "2026-11-22 02:41:00" (UTC): a form spreadsheets read as a date.
std::string CsvTime(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (=, +, -, @, tab,
// CR at the start) is prefixed with an apostrophe.
void AppendCsvField(std::string& out, std::string_view v, bool text = true) {
  std::string cell;
  if (text && !v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    cell = "'";
  cell.append(v);
  if (cell.find_first_of(",\"\r\n") != std::string::npos) {
    out += '"';
    for (char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  } else {
    out += cell;
  }
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", Round1(v));
  return buf;
}

// Roles whose grants include applications:read, split into unscoped roles and roles scoped to
// their departments (managers): the colleagues who may read an application, and so may be
// mentioned on it.
void ReaderRoles(std::vector<std::string>* unscoped, std::vector<std::string>* scoped) {
  for (auto role :
       {domain::Role::kAdmin, domain::Role::kHr, domain::Role::kManager, domain::Role::kAuditor}) {
    if (!security::PermissionsForRole(role).test(
            static_cast<size_t>(Permission::kApplicationsRead)))
      continue;
    (role == domain::Role::kManager ? scoped : unscoped)
        ->push_back(std::string(domain::ToString(role)));
  }
}

// Resolves "@name" mentions in `body` against `staff`: at each '@', the longest staff name that
// follows it; a name that several colleagues share is ambiguous and resolves to nobody (use the
// explicit id list instead).
std::vector<std::string> MentionsInText(std::string_view body,
                                        const std::vector<storage::StaffRef>& staff) {
  std::vector<std::string> out;
  for (size_t at = body.find('@'); at != std::string_view::npos; at = body.find('@', at + 1)) {
    std::string_view rest = body.substr(at + 1);
    size_t best_len = 0;
    std::vector<const storage::StaffRef*> best;
    for (const auto& s : staff) {
      if (s.name.empty() || !StartsWith(rest, s.name)) continue;
      if (s.name.size() > best_len) {
        best_len = s.name.size();
        best = {&s};
      } else if (s.name.size() == best_len) {
        best.push_back(&s);
      }
    }
    if (best.size() == 1) out.push_back(best[0]->id);
  }
  return out;
}

// Safe facts of an audit entry for activity feeds and history: enum values, numbers and ids
// only, never free text or personal data.
json ActivityDetails(const std::string& action, const std::string& changes_json) {
  json c = json::parse(changes_json, nullptr, false);
  json before = c.is_object() && c.contains("before") ? c["before"] : json(nullptr);
  json after = c.is_object() && c.contains("after") ? c["after"] : json(nullptr);
  auto pick = [](const json& from, std::initializer_list<const char*> keys) {
    json out = json::object();
    if (!from.is_object()) return out;
    for (const char* k : keys)
      if (from.contains(k) &&
          (from[k].is_number() || from[k].is_boolean() || from[k].is_null() || from[k].is_string()))
        out[k] = from[k];
    return out;
  };
  if (action == "application.stage_changed") {
    json d = json::object();
    d["from"] = before.is_object() ? before.value("stage", "") : "";
    d["to"] = after.is_object() ? after.value("stage", "") : "";
    return d;
  }
  if (action == "application.create") return pick(after, {"stage"});
  if (action == "application.decision")
    return pick(after, {"decision", "from", "to", "comment_id"});
  if (action == "application.comment") return pick(after, {"comment_id", "kind"});
  if (action == "interview.invite" || action == "interview.resend" ||
      action == "interview.extend" || action == "interview.revoke")
    return pick(after, {"status", "expires_at", "invitations_sent"});
  if (action == "interview.consent") return pick(after, {"audio_video_analysis"});
  if (action == "interview.finish") return pick(after, {"answered", "question_count"});
  if (action == "interview.scored" || action == "interview.rescored")
    return pick(after, {"version", "overall", "recommendation"});
  if (action == "interview.score_override")
    return pick(after, {"dimension_key", "score", "original", "overall", "recommendation"});
  if (action == "task.create" || action == "task.resolve") return pick(after, {"kind", "status"});
  return json::object();
}

std::string HistoryKind(const std::string& action) {
  static const std::map<std::string, std::string> kKinds = {
      {"application.create", "created"},
      {"application.stage_changed", "stage_change"},
      {"application.decision", "decision"},
      {"application.comment", "comment"},
      {"interview.invite", "invitation"},
      {"interview.resend", "invitation"},
      {"interview.revoke", "invitation"},
      {"interview.extend", "invitation"},
      {"interview.consent", "interview"},
      {"interview.finish", "interview"},
      {"interview.scored", "score"},
      {"interview.rescored", "score"},
      {"interview.score_override", "score_override"},
      {"interview.report_released", "report"},
      {"interview.result_viewed", "view"},
      {"task.create", "review_request"},
      {"task.resolve", "review_request"},
  };
  auto it = kKinds.find(action);
  return it == kKinds.end() ? "other" : it->second;
}

json ActorJson(const storage::ActivityRecord& e) {
  return {{"type", e.actor_type},
          {"id", e.actor_id},
          {"name", e.actor_name ? json(*e.actor_name) : json(nullptr)}};
}

// Reads one page request's cursor for the given sort.
Result<std::optional<storage::ApplicationCursor>> ParseCursor(const std::optional<std::string>& c,
                                                              storage::ApplicationSort sort) {
  if (!c) return std::optional<storage::ApplicationCursor>{};
  auto bad = [] { return InvalidArgument("invalid cursor", {{"cursor", "malformed"}}); };
  bool by_overall = sort == storage::ApplicationSort::kOverallDesc ||
                    sort == storage::ApplicationSort::kOverallAsc;
  if (!by_overall) {
    if (!IsValidId(*c)) return bad();
    return std::optional<storage::ApplicationCursor>{storage::ApplicationCursor{0, *c}};
  }
  size_t colon = c->find(':');
  if (colon == std::string::npos) return bad();
  std::string_view num(c->data(), colon);
  std::string id = c->substr(colon + 1);
  int64_t key = 0;
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), key);
  if (ec != std::errc() || p != num.data() + num.size() || !IsValidId(id)) return bad();
  return std::optional<storage::ApplicationCursor>{storage::ApplicationCursor{key, id}};
}

std::string FormatCursor(const storage::ApplicationCursor& c, storage::ApplicationSort sort) {
  if (sort == storage::ApplicationSort::kOverallDesc ||
      sort == storage::ApplicationSort::kOverallAsc)
    return std::to_string(c.score_key) + ":" + c.id;
  return c.id;
}

json ApplicationJson(const domain::Application& a) { return zm::json::ToJson(a); }

}  // namespace

struct WorkspaceService::ParsedQuery {
  storage::ApplicationQuery query;
  std::optional<storage::ApplicationCursor> cursor;
  json audit_filters = json::object();  // the filters without personal data, for exports
};

WorkspaceService::WorkspaceService(storage::Database& db, const security::FieldCipher& cipher,
                                   CandidateService& candidates, InterviewService& interviews)
    : db_(db), cipher_(cipher), candidates_(candidates), interviews_(interviews) {}

Result<domain::Application> WorkspaceService::OpenApplication(const storage::ApplicationRecord& r,
                                                              bool show_pii) const {
  return candidates_.OpenApplication(r, show_pii);
}

// ---- the applications table ----

Result<WorkspaceService::ParsedQuery> WorkspaceService::Parse(
    const Context& ctx, const ApplicationListParams& p) const {
  ParsedQuery out;
  auto& q = out.query;
  json& af = out.audit_filters;
  std::vector<FieldError> details;
  auto id_filter = [&](const std::optional<std::string>& v, const char* field,
                       std::optional<std::string>& into) {
    if (!v) return;
    if (!IsValidId(*v)) {
      details.push_back({field, "must be an id"});
      return;
    }
    into = *v;
    af[field] = *v;
  };
  id_filter(p.job_id, "job_id", q.job_id);
  id_filter(p.department_id, "department_id", q.department_id);
  id_filter(p.candidate_id, "candidate_id", q.candidate_id);

  std::set<std::string> stages;
  for (const auto& raw : p.stages)
    for (const auto& part : Split(raw, ',')) {
      std::string name(Trim(part));
      if (name.empty()) continue;
      if (!domain::ParseStage(name)) {
        details.push_back({"stage", "unknown stage '" + SanitizeUtf8(name, 40) + "'"});
        continue;
      }
      stages.insert(name);
    }
  q.stages.assign(stages.begin(), stages.end());
  if (!q.stages.empty()) af["stage"] = q.stages;

  if (p.q) {
    auto found = ParseCandidateSearch(cipher_, *p.q, "q", details);
    q.email_bidx = found.email_bidx;
    q.phone_bidx = found.phone_bidx;
    q.name_bidx = found.name_bidx;
    if (q.email_bidx || q.phone_bidx || q.name_bidx) af["q"] = "[personal data]";
  }

  if (p.interview_status) {
    static const std::set<std::string> kStatuses = {"invited", "in_progress", "completed",
                                                    "revoked", "none"};
    if (kStatuses.contains(*p.interview_status)) {
      q.interview_status = *p.interview_status;
      af["interview_status"] = *p.interview_status;
    } else {
      details.push_back(
          {"interview_status", "must be one of: invited, in_progress, completed, revoked, none"});
    }
  }
  if (p.recommendation) {
    if (*p.recommendation == "recommend" || *p.recommendation == "review" ||
        *p.recommendation == "not_recommended") {
      q.recommendation = *p.recommendation;
      af["recommendation"] = *p.recommendation;
    } else {
      details.push_back({"recommendation", "must be one of: recommend, review, not_recommended"});
    }
  }
  auto score = [&](const std::optional<std::string>& v, const char* field,
                   std::optional<double>& into) {
    if (!v) return;
    auto s = ParseScore(*v);
    if (!s || *s > 100) {
      details.push_back({field, "must be a number 0..100"});
      return;
    }
    into = *s;
    af[field] = *s;
  };
  score(p.min_score, "min_score", q.min_overall);
  score(p.max_score, "max_score", q.max_overall);
  if (q.min_overall && q.max_overall && *q.min_overall > *q.max_overall)
    details.push_back({"max_score", "must not be below min_score"});

  if (static_cast<int>(p.dims.size()) > kMaxDimensionFilters)
    details.push_back({"dim", "at most 12 dimension thresholds"});
  for (size_t i = 0; i < p.dims.size(); ++i) {
    const std::string& d = p.dims[i];
    size_t colon = d.find(':');
    std::string field = "dim[" + std::to_string(i) + "]";
    if (colon == std::string::npos) {
      details.push_back({field, "must be key:minimum, e.g. communication:80"});
      continue;
    }
    std::string key = d.substr(0, colon);
    auto min = ParseScore(std::string_view(d).substr(colon + 1));
    if (!IsDimensionKey(key)) {
      details.push_back({field, "the dimension key must match [a-z][a-z0-9_]{0,39}"});
    } else if (!min || *min > 100) {
      details.push_back({field, "the minimum must be a number 0..100"});
    } else {
      q.dimension_min.push_back({key, *min});
      af["dim"].push_back(key + ":" + FormatNumber(*min));
    }
  }

  std::string sort = p.sort.value_or("-created_at");
  if (sort == "-created_at") {
    q.sort = storage::ApplicationSort::kCreatedDesc;
  } else if (sort == "created_at") {
    q.sort = storage::ApplicationSort::kCreatedAsc;
  } else if (sort == "-overall") {
    q.sort = storage::ApplicationSort::kOverallDesc;
  } else if (sort == "overall") {
    q.sort = storage::ApplicationSort::kOverallAsc;
  } else {
    details.push_back({"sort", "must be one of: -created_at, created_at, -overall, overall"});
  }
  af["sort"] = sort;
  if (details.empty()) {
    auto cursor = ParseCursor(p.cursor, q.sort);
    if (!cursor) return std::unexpected(cursor.error());
    out.cursor = *cursor;
  }
  if (!details.empty()) return InvalidArgument("invalid filters", std::move(details));
  q.department_scope = ctx.principal.department_scope;
  return out;
}

Result<ApplicationListPage> WorkspaceService::List(const Context& ctx, const ParsedQuery& pq,
                                                   int limit) {
  bool show = ctx.principal.Has(Permission::kPiiRead);
  return db_.ReadValue<ApplicationListPage>([&](Tx& tx) -> Result<ApplicationListPage> {
    ZM_ASSIGN_OR_RETURN(auto page,
                        storage::ListApplicationSummaries(tx, pq.query, pq.cursor, limit));
    ApplicationListPage out;
    ZM_ASSIGN_OR_RETURN(out.total, storage::CountApplicationSummaries(tx, pq.query));
    if (page.next) out.next_cursor = FormatCursor(*page.next, pq.query.sort);
    out.items.reserve(page.items.size());
    for (auto& s : page.items) {
      ZM_ASSIGN_OR_RETURN(auto a, OpenApplication(s.application, show));
      out.items.push_back({std::move(a), std::move(s.interview)});
    }
    return out;
  });
}

Result<ApplicationListPage> WorkspaceService::ListApplications(const Context& ctx,
                                                               const ApplicationListParams& p) {
  ZM_ASSIGN_OR_RETURN(auto pq, Parse(ctx, p));
  return List(ctx, pq, p.limit);
}

Result<ApplicationListPage> WorkspaceService::ListReviews(const Context& ctx,
                                                          ApplicationListParams p) {
  p.stages = {std::string(domain::ToString(domain::Stage::kHrReview))};
  if (!p.sort) p.sort = "created_at";
  ZM_ASSIGN_OR_RETURN(auto pq, Parse(ctx, p));
  return List(ctx, pq, p.limit);
}

Result<std::string> WorkspaceService::ExportCsv(const Context& ctx,
                                                const ApplicationListParams& p) {
  ZM_ASSIGN_OR_RETURN(auto pq, Parse(ctx, p));
  pq.cursor.reset();
  const bool show = ctx.principal.Has(Permission::kPiiRead);
  return db_.WriteValue<std::string>([&](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(int64_t total, storage::CountApplicationSummaries(tx, pq.query));
    if (total > kExportMaxRows)
      return InvalidArgument(
          "too many applications to export",
          {{"filters", "the filters match " + std::to_string(total) + " applications; at most " +
                           std::to_string(kExportMaxRows) +
                           " can be exported at once: narrow the filters"}});
    std::vector<storage::ApplicationSummary> rows;
    rows.reserve(static_cast<size_t>(total));
    std::optional<storage::ApplicationCursor> cursor;
    for (;;) {
      ZM_ASSIGN_OR_RETURN(auto page, storage::ListApplicationSummaries(tx, pq.query, cursor, 1000));
      for (auto& r : page.items) rows.push_back(std::move(r));
      if (!page.next) break;
      cursor = page.next;
    }

    // Dimension columns: the keys found, in the order of the jobs' models, named from them.
    std::vector<std::string> dim_keys;
    std::map<std::string, std::string> dim_names;
    std::set<std::string> jobs_seen;
    for (const auto& r : rows) {
      if (!r.interview || r.interview->dimension_scores.empty()) continue;
      if (jobs_seen.insert(r.application.job_id).second) {
        ZM_ASSIGN_OR_RETURN(auto doc, storage::GetCompetencyModelDoc(tx, r.application.job_id));
        if (doc) {
          json dims = json::parse(doc->json, nullptr, false);
          if (dims.is_object()) dims = dims.value("dimensions", json::array());
          if (dims.is_array())
            for (const auto& d : dims)
              if (d.is_object() && d.contains("key") && d["key"].is_string()) {
                std::string key = d["key"];
                dim_names.emplace(key, d.value("name", key));
              }
        }
      }
      for (const auto& [key, _] : r.interview->dimension_scores)
        if (std::ranges::find(dim_keys, key) == dim_keys.end()) dim_keys.push_back(key);
    }
    std::map<std::string, int> name_uses;
    for (const auto& k : dim_keys) ++name_uses[dim_names.contains(k) ? dim_names[k] : k];

    std::map<std::string, storage::CandidateContact> contacts;
    {
      std::vector<std::string> ids;
      for (const auto& r : rows) ids.push_back(r.application.candidate_id);
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      for (size_t i = 0; i < ids.size(); i += 500) {
        std::vector<std::string> chunk(
            ids.begin() + static_cast<ptrdiff_t>(i),
            ids.begin() + static_cast<ptrdiff_t>(std::min(i + 500, ids.size())));
        ZM_ASSIGN_OR_RETURN(auto found, storage::CandidateContacts(tx, chunk));
        for (auto& c : found) contacts[c.id] = std::move(c);
      }
    }
    ZM_ASSIGN_OR_RETURN(auto departments, storage::DepartmentNames(tx));

    std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel then reads Chinese text correctly
    std::vector<std::string> header = {
        "申请ID",   "候选人ID",      "候选人",     "邮箱",
        "电话",     "岗位",          "部门",       "阶段",
        "来源",     "申请时间(UTC)", "面试状态",   "面试完成时间(UTC)",
        "综合得分", "推荐结论",      "风险标记数", "结果首次查看时间(UTC)"};
    for (const auto& k : dim_keys) {
      std::string name = dim_names.contains(k) ? dim_names[k] : k;
      header.push_back(name_uses[name] > 1 ? name + " (" + k + ")" : name);
    }
    for (size_t i = 0; i < header.size(); ++i) {
      if (i) out += ',';
      AppendCsvField(out, header[i]);
    }
    out += "\r\n";
    for (const auto& r : rows) {
      const auto& a = r.application;
      ZM_ASSIGN_OR_RETURN(std::string name,
                          cipher_.Decrypt(a.candidate_name_enc, NameAd(a.candidate_id)));
      std::string email, phone;
      if (auto it = contacts.find(a.candidate_id); it != contacts.end()) {
        if (it->second.email_enc) {
          ZM_ASSIGN_OR_RETURN(
              email, cipher_.Decrypt(*it->second.email_enc, ContactAd(a.candidate_id, "email")));
        }
        if (it->second.phone_enc) {
          ZM_ASSIGN_OR_RETURN(
              phone, cipher_.Decrypt(*it->second.phone_enc, ContactAd(a.candidate_id, "phone")));
        }
      }
      if (!show) {  // masked exactly as the API masks them
        name = security::MaskName(name);
        if (!email.empty()) email = security::MaskEmail(email);
        if (!phone.empty()) phone = security::MaskPhone(phone);
      }
      auto stage = domain::ParseStage(a.stage);
      std::vector<std::pair<std::string, bool>> cells = {
          {a.id, true},
          {a.candidate_id, true},
          {name, true},
          {email, true},
          {phone, true},
          {a.job_title, true},
          {departments.contains(a.department_id) ? departments[a.department_id] : "", true},
          {stage ? std::string(domain::StageLabelZh(*stage)) : a.stage, true},
          {a.source, true},
          {CsvTime(a.created_at), false}};
      const auto& iv = r.interview;
      cells.push_back({iv ? InterviewStatusZh(iv->status) : "未邀请", true});
      cells.push_back({iv && iv->finished_at ? CsvTime(*iv->finished_at) : "", false});
      cells.push_back({iv && iv->overall ? FormatNumber(*iv->overall) : "", false});
      cells.push_back(
          {iv && iv->recommendation ? RecommendationZh(*iv->recommendation) : "", true});
      cells.push_back({iv && iv->score_version > 0 ? std::to_string(iv->flags_count) : "", false});
      cells.push_back({iv && iv->viewed_at ? CsvTime(*iv->viewed_at) : "", false});
      for (const auto& k : dim_keys) {
        std::string v;
        if (iv)
          if (auto it = iv->dimension_scores.find(k); it != iv->dimension_scores.end())
            v = FormatNumber(it->second);
        cells.push_back({v, false});
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        AppendCsvField(out, cells[i].first, cells[i].second);
      }
      out += "\r\n";
    }
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, ctx,
                              {"application.export", "application", "",
                               Changes({}, json{{"format", "csv"},
                                                {"rows", static_cast<int64_t>(rows.size())},
                                                {"personal_data", show},
                                                {"filters", pq.audit_filters}})}));
    return out;
  });
}

// ---- result views ----

Status WorkspaceService::RecordResultView(const Context& ctx, const std::string& application_id) {
  if (ctx.principal.kind != security::Principal::Kind::kUser ||
      !ctx.principal.Has(Permission::kApplicationsRead))
    return Ok();
  // A read first: after the first view nothing is written, so repeated reads stay reads.
  ZM_ASSIGN_OR_RETURN(
      auto state, db_.ReadValue<std::optional<storage::ResultViewState>>(
                      [&](Tx& tx) -> Result<std::optional<storage::ResultViewState>> {
                        ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, application_id));
                        if (!app || !ctx.principal.InScope(app->department_id))
                          return std::optional<storage::ResultViewState>{};
                        return storage::GetResultViewState(tx, application_id);
                      }));
  if (!state || !state->finished || state->viewed_at) return Ok();
  return db_.Write([&](Tx& tx) -> Status {
    int64_t now = NowMillis();
    ZM_ASSIGN_OR_RETURN(bool first,
                        storage::MarkResultViewed(tx, state->interview_id, ctx.principal.id, now));
    if (!first) return Ok();  // another request recorded it meanwhile
    return security::AppendAudit(tx, ctx,
                                 {"interview.result_viewed", "interview", state->interview_id,
                                  Changes({}, json{{"viewed_at", Time(now)}})});
  });
}

// ---- dashboard ----

Result<json> WorkspaceService::Dashboard(const Context& ctx, int todo_limit, int activity_limit) {
  const bool show = ctx.principal.Has(Permission::kPiiRead);
  const auto& scope = ctx.principal.department_scope;
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    const int64_t now = NowMillis();
    const int64_t overdue_ms = int64_t{kOverdueHours} * 3'600'000;
    ZM_ASSIGN_OR_RETURN(auto unviewed, storage::ListUnviewedResults(tx, scope, todo_limit));
    ZM_ASSIGN_OR_RETURN(auto counts, storage::CountUnviewedResults(tx, scope, now - overdue_ms));
    json todo_items = json::array();
    for (const auto& u : unviewed) {
      ZM_ASSIGN_OR_RETURN(std::string name,
                          cipher_.Decrypt(u.candidate_name_enc, NameAd(u.candidate_id)));
      if (!show) name = security::MaskName(name);
      int64_t age_ms = std::max<int64_t>(0, now - u.finished_at);
      todo_items.push_back(
          {{"application_id", u.application_id},
           {"interview_id", u.interview_id},
           {"candidate_id", u.candidate_id},
           {"candidate_name", name},
           {"job_id", u.job_id},
           {"job_title", u.job_title},
           {"department_id", u.department_id},
           {"stage", u.stage},
           {"finished_at", Time(u.finished_at)},
           {"age_hours", Round1(static_cast<double>(age_ms) / 3'600'000.0)},
           {"overdue", age_ms > overdue_ms},
           {"overall", Round1OrNull(u.overall)},
           {"recommendation", u.recommendation ? json(*u.recommendation) : json(nullptr)}});
    }

    ZM_ASSIGN_OR_RETURN(auto stage_counts, storage::PipelineStageCounts(tx, scope));
    json funnel = json::array();
    std::map<std::string, size_t> job_index;
    for (const auto& sc : stage_counts) {
      auto [it, fresh] = job_index.emplace(sc.job_id, funnel.size());
      if (fresh) {
        json stages = json::object();
        for (auto s : domain::AllStages()) stages[std::string(domain::ToString(s))] = 0;
        funnel.push_back({{"job_id", sc.job_id},
                          {"job_title", sc.job_title},
                          {"department_id", sc.department_id},
                          {"job_status", sc.job_status},
                          {"total", 0},
                          {"stages", std::move(stages)}});
      }
      json& job = funnel[it->second];
      if (!sc.stage.empty() && job["stages"].contains(sc.stage)) {
        job["stages"][sc.stage] = sc.count;
        job["total"] = job["total"].get<int64_t>() + sc.count;
      }
    }

    ZM_ASSIGN_OR_RETURN(auto activity, storage::RecentPipelineActivity(tx, scope, activity_limit));
    json recent = json::array();
    for (const auto& e : activity)
      recent.push_back(
          {{"id", e.id},
           {"seq", e.seq},
           {"at", Time(e.at)},
           {"action", e.action},
           {"kind", HistoryKind(e.action)},
           {"actor", ActorJson(e)},
           {"target_type", e.target_type},
           {"target_id", e.target_id},
           {"application_id", e.application_id ? json(*e.application_id) : json(nullptr)},
           {"job_title", e.job_title ? json(*e.job_title) : json(nullptr)},
           {"details", ActivityDetails(e.action, e.changes_json)}});

    ZM_ASSIGN_OR_RETURN(int64_t tasks, storage::CountOpenReviewTasks(tx, scope));
    storage::ApplicationQuery reviews;
    reviews.stages = {std::string(domain::ToString(domain::Stage::kHrReview))};
    reviews.department_scope = scope;
    ZM_ASSIGN_OR_RETURN(int64_t pending_reviews, storage::CountApplicationSummaries(tx, reviews));
    int64_t unread = 0;
    if (ctx.principal.kind == security::Principal::Kind::kUser) {
      ZM_ASSIGN_OR_RETURN(unread, storage::CountUnreadNotifications(tx, ctx.principal.id, scope));
    }
    return json{{"generated_at", Time(now)},
                {"todo",
                 {{"total", counts.total},
                  {"overdue", counts.overdue},
                  {"overdue_after_hours", kOverdueHours},
                  {"items", std::move(todo_items)}}},
                {"funnel", std::move(funnel)},
                {"recent_activity", std::move(recent)},
                {"open_review_tasks", tasks},
                {"pending_reviews", pending_reviews},
                {"unread_notifications", unread}};
  });
}

// ---- comments ----

Result<json> WorkspaceService::CommentJson(const storage::CommentRecord& c) const {
  ZM_ASSIGN_OR_RETURN(auto body, cipher_.Decrypt(c.body_enc, CommentAd(c.application_id, c.id)));
  json mentions = json::array();
  for (const auto& m : c.mentions) mentions.push_back({{"user_id", m.user_id}, {"name", m.name}});
  return json{{"id", c.id},
              {"application_id", c.application_id},
              {"kind", c.kind},
              {"body", body},
              {"author", {{"id", c.author_id}, {"name", c.author_name}}},
              {"mentions", std::move(mentions)},
              {"created_at", Time(c.created_at)}};
}

Result<storage::CommentRecord> WorkspaceService::InsertComment(
    Tx& tx, const Context& ctx, const storage::ApplicationRecord& app, const std::string& kind,
    const std::string& body, const std::vector<std::string>& explicit_mentions) {
  std::vector<std::string> unscoped, scoped;
  ReaderRoles(&unscoped, &scoped);
  ZM_ASSIGN_OR_RETURN(auto staff,
                      storage::ListActiveStaff(tx, unscoped, scoped, app.department_id));
  std::set<std::string> eligible;
  for (const auto& s : staff) eligible.insert(s.id);
  std::vector<FieldError> details;
  std::vector<std::string> mentioned;
  for (size_t i = 0; i < explicit_mentions.size(); ++i) {
    if (!eligible.contains(explicit_mentions[i])) {
      details.push_back({"mentions[" + std::to_string(i) + "]",
                         "not an active colleague who can read this application"});
      continue;
    }
    mentioned.push_back(explicit_mentions[i]);
  }
  if (!details.empty()) return InvalidArgument("invalid mentions", std::move(details));
  for (auto& id : MentionsInText(body, staff)) mentioned.push_back(std::move(id));
  std::sort(mentioned.begin(), mentioned.end());
  mentioned.erase(std::unique(mentioned.begin(), mentioned.end()), mentioned.end());

  storage::CommentRecord c;
  c.id = NewId();
  c.application_id = app.id;
  c.author_id = ctx.principal.id;
  c.kind = kind;
  c.body_chars = static_cast<int64_t>(Utf8Length(body));
  c.created_at = NowMillis();
  ZM_ASSIGN_OR_RETURN(c.body_enc, cipher_.Encrypt(body, CommentAd(app.id, c.id)));
  ZM_RETURN_IF_ERROR(storage::InsertComment(tx, c, mentioned));
  for (const auto& user_id : mentioned) {
    if (user_id == ctx.principal.id) continue;  // no notification for mentioning oneself
    storage::NotificationRecord n;
    n.id = NewId();
    n.recipient_id = user_id;
    n.kind = "mention";
    n.application_id = app.id;
    n.comment_id = c.id;
    n.actor_id = ctx.principal.id;
    n.created_at = c.created_at;
    ZM_RETURN_IF_ERROR(storage::InsertNotification(tx, n));
  }
  // The body is free text: the audit log records only that there is one, its size and who was
  // mentioned.
  ZM_RETURN_IF_ERROR(security::AppendAudit(tx, ctx,
                                           {"application.comment", "application", app.id,
                                            Changes({}, json{{"comment_id", c.id},
                                                             {"kind", kind},
                                                             {"chars", c.body_chars},
                                                             {"mentions", mentioned}})}));
  ZM_ASSIGN_OR_RETURN(auto stored, storage::GetComment(tx, app.id, c.id));
  if (!stored) return Internal("comment vanished");
  return std::move(*stored);
}

namespace {
Status ValidateCommentBody(const std::string& body, bool required, const char* field) {
  if (!IsValidUtf8(body)) return InvalidArgument("invalid comment", {{field, "must be UTF-8"}});
  size_t n = Utf8Length(body);
  if (required && Trim(body).empty())
    return InvalidArgument("invalid comment", {{field, "must not be empty"}});
  if (n > WorkspaceService::kCommentMaxChars)
    return InvalidArgument("invalid comment", {{field, "must be at most 5000 characters"}});
  return Ok();
}

Result<storage::ApplicationRecord> ScopedApplication(Tx& tx, const Context& ctx,
                                                     const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, id));
  if (!app || !ctx.principal.InScope(app->department_id)) return NotFound("application");
  return std::move(*app);
}
}  // namespace

Result<json> WorkspaceService::AddComment(const Context& ctx, const std::string& application_id,
                                          const CommentCreate& comment) {
  ZM_RETURN_IF_ERROR(ValidateCommentBody(comment.body, true, "body"));
  std::vector<FieldError> details;
  if (comment.mentions.size() > kMaxExplicitMentions)
    details.push_back({"mentions", "at most 20 users"});
  for (size_t i = 0; i < comment.mentions.size(); ++i)
    if (!IsValidId(comment.mentions[i]))
      details.push_back({"mentions[" + std::to_string(i) + "]", "must be a user id"});
  if (!details.empty()) return InvalidArgument("invalid comment", std::move(details));
  if (ctx.principal.kind != security::Principal::Kind::kUser)
    return PermissionDenied("only staff users can comment");
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto app, ScopedApplication(tx, ctx, application_id));
    ZM_ASSIGN_OR_RETURN(auto c,
                        InsertComment(tx, ctx, app, "comment", comment.body, comment.mentions));
    return CommentJson(c);
  });
}

Result<json> WorkspaceService::ListComments(const Context& ctx, const std::string& application_id,
                                            const storage::PageRequest& page) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_RETURN_IF_ERROR(ScopedApplication(tx, ctx, application_id));
    ZM_ASSIGN_OR_RETURN(auto comments, storage::ListComments(tx, application_id, page));
    json items = json::array();
    for (const auto& c : comments.items) {
      ZM_ASSIGN_OR_RETURN(auto doc, CommentJson(c));
      items.push_back(std::move(doc));
    }
    return json{
        {"items", std::move(items)},
        {"next_cursor", comments.next_cursor ? json(*comments.next_cursor) : json(nullptr)}};
  });
}

Result<json> WorkspaceService::MentionableUsers(const Context& ctx,
                                                const std::string& application_id) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto app, ScopedApplication(tx, ctx, application_id));
    std::vector<std::string> unscoped, scoped;
    ReaderRoles(&unscoped, &scoped);
    ZM_ASSIGN_OR_RETURN(auto staff,
                        storage::ListActiveStaff(tx, unscoped, scoped, app.department_id));
    json items = json::array();
    for (const auto& s : staff) items.push_back({{"id", s.id}, {"name", s.name}, {"role", s.role}});
    return json{{"items", std::move(items)}};
  });
}

// ---- notifications ----

Result<json> WorkspaceService::ListNotifications(const Context& ctx, bool unread_only,
                                                 const storage::PageRequest& page) {
  const bool show = ctx.principal.Has(Permission::kPiiRead);
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    storage::NotificationFilter f{ctx.principal.id, unread_only, ctx.principal.department_scope};
    ZM_ASSIGN_OR_RETURN(auto records, storage::ListNotifications(tx, f, page));
    ZM_ASSIGN_OR_RETURN(int64_t unread, storage::CountUnreadNotifications(
                                            tx, ctx.principal.id, ctx.principal.department_scope));
    json items = json::array();
    for (const auto& n : records.items) {
      ZM_ASSIGN_OR_RETURN(std::string name,
                          cipher_.Decrypt(n.candidate_name_enc, NameAd(n.candidate_id)));
      if (!show) name = security::MaskName(name);
      json excerpt = nullptr;
      if (n.comment_id && n.comment_body_enc) {
        ZM_ASSIGN_OR_RETURN(auto body, cipher_.Decrypt(*n.comment_body_enc,
                                                       CommentAd(n.application_id, *n.comment_id)));
        excerpt = Excerpt(body, kExcerptChars);
      }
      items.push_back(
          {{"id", n.id},
           {"kind", n.kind},
           {"read", n.read_at.has_value()},
           {"read_at", TimeOrNull(n.read_at)},
           {"created_at", Time(n.created_at)},
           {"application_id", n.application_id},
           {"candidate_name", name},
           {"job_id", n.job_id},
           {"job_title", n.job_title},
           {"comment_id", n.comment_id ? json(*n.comment_id) : json(nullptr)},
           {"excerpt", excerpt},
           {"actor",
            {{"id", n.actor_id}, {"name", n.actor_name ? json(*n.actor_name) : json(nullptr)}}}});
    }
    return json{{"items", std::move(items)},
                {"next_cursor", records.next_cursor ? json(*records.next_cursor) : json(nullptr)},
                {"unread_count", unread}};
  });
}

Result<json> WorkspaceService::MarkNotificationsRead(const Context& ctx,
                                                     const MarkReadRequest& req) {
  std::vector<FieldError> details;
  if (req.all == req.ids.has_value()) details.push_back({"ids", "give either ids or all: true"});
  if (req.ids) {
    if (req.ids->empty() || req.ids->size() > 200)
      details.push_back({"ids", "must hold 1..200 ids"});
    for (size_t i = 0; i < req.ids->size(); ++i)
      if (!IsValidId((*req.ids)[i]))
        details.push_back({"ids[" + std::to_string(i) + "]", "must be a notification id"});
  }
  if (!details.empty()) return InvalidArgument("invalid request", std::move(details));
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(int64_t marked,
                        storage::MarkNotificationsRead(
                            tx, ctx.principal.id, req.all ? std::nullopt : req.ids, NowMillis()));
    ZM_ASSIGN_OR_RETURN(int64_t unread, storage::CountUnreadNotifications(
                                            tx, ctx.principal.id, ctx.principal.department_scope));
    return json{{"marked", marked}, {"unread_count", unread}};
  });
}

// ---- history ----

Result<json> WorkspaceService::History(const Context& ctx, const std::string& application_id) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto app, ScopedApplication(tx, ctx, application_id));
    ZM_ASSIGN_OR_RETURN(auto entries,
                        storage::ApplicationActivity(tx, application_id, kHistoryMaxEntries));
    ZM_ASSIGN_OR_RETURN(auto comments,
                        storage::AllComments(tx, application_id, kHistoryMaxEntries));
    std::map<std::string, const storage::CommentRecord*> by_id;
    for (const auto& c : comments) by_id[c.id] = &c;
    json items = json::array();
    for (const auto& e : entries) {
      json details = ActivityDetails(e.action, e.changes_json);
      if (e.action == "application.comment" || e.action == "application.decision") {
        std::string cid = details.value("comment_id", "");
        if (auto it = by_id.find(cid); it != by_id.end()) {
          ZM_ASSIGN_OR_RETURN(auto doc, CommentJson(*it->second));
          details["comment"] = std::move(doc);
        }
      }
      items.push_back({{"id", e.id},
                       {"seq", e.seq},
                       {"at", Time(e.at)},
                       {"kind", HistoryKind(e.action)},
                       {"action", e.action},
                       {"actor", ActorJson(e)},
                       {"target_type", e.target_type},
                       {"target_id", e.target_id},
                       {"details", std::move(details)}});
    }
    return json{{"application_id", app.id}, {"stage", app.stage}, {"items", std::move(items)}};
  });
}

// ---- bulk actions ----

Result<json> WorkspaceService::Bulk(const Context& ctx, const BulkRequest& req) {
  std::vector<FieldError> details;
  const bool move = req.action == "move_stage";
  const bool invite = req.action == "invite";
  if (!move && !invite) details.push_back({"action", "must be one of: move_stage, invite"});
  if (req.ids.empty() || static_cast<int>(req.ids.size()) > kBulkMaxIds)
    details.push_back({"ids", "must hold 1..200 application ids"});
  std::set<std::string> seen;
  for (size_t i = 0; i < req.ids.size(); ++i) {
    std::string field = "ids[" + std::to_string(i) + "]";
    if (!IsValidId(req.ids[i]))
      details.push_back({field, "must be an application id"});
    else if (!seen.insert(req.ids[i]).second)
      details.push_back({field, "duplicate id"});
  }
  std::optional<domain::Stage> stage;
  if (move) {
    if (!req.stage)
      details.push_back({"stage", "is required for move_stage"});
    else if (!(stage = domain::ParseStage(*req.stage)))
      details.push_back({"stage", "unknown stage"});
    if (req.expires_in_days) details.push_back({"expires_in_days", "only for invite"});
    if (req.send_email) details.push_back({"send_email", "only for invite"});
  }
  if (invite) {
    if (req.stage) details.push_back({"stage", "only for move_stage"});
    if (req.expires_in_days && (*req.expires_in_days < 1 || *req.expires_in_days > 90))
      details.push_back({"expires_in_days", "must be 1..90"});
  }
  if (!details.empty()) return InvalidArgument("invalid bulk request", std::move(details));
  if (invite && !ctx.principal.Has(Permission::kApplicationsWrite))
    return PermissionDenied("missing permission applications:write");

  json results = json::array();
  int64_t ok = 0;
  for (const auto& id : req.ids) {
    json r = {{"id", id}, {"ok", false}, {"error", nullptr}};
    auto fail = [&](const Error& e) {
      // Internal details never reach the client (as in the HTTP error mapping).
      std::string message = e.code == ErrorCode::kInternal ? "internal error" : e.message;
      std::string code = e.reason.empty() ? ErrorCodeName(e.code) : e.reason;
      r["error"] = {{"code", code}, {"message", message}};
      if (e.code == ErrorCode::kInternal)
        Log(LogLevel::kError, "bulk_item_failed", {{"action", req.action}, {"what", e.message}});
    };
    if (move) {
      auto moved = candidates_.MoveStage(ctx, id, *stage);
      if (moved) {
        r["ok"] = true;
        r["application"] = ApplicationJson(*moved);
      } else {
        fail(moved.error());
      }
    } else {
      auto invited = interviews_.Invite(ctx, id, req.expires_in_days, req.send_email);
      if (invited) {
        r["ok"] = true;
        r["interview"] = {{"id", (*invited)["id"]},
                          {"status", (*invited)["status"]},
                          {"expires_at", (*invited)["expires_at"]},
                          {"link", (*invited)["link"]},
                          {"token", (*invited)["token"]}};
        if (invited->contains("email")) r["interview"]["email"] = (*invited)["email"];
      } else {
        fail(invited.error());
      }
    }
    if (r["ok"].get<bool>()) ++ok;
    results.push_back(std::move(r));
  }
  return json{{"action", req.action},
              {"total", static_cast<int64_t>(req.ids.size())},
              {"succeeded", ok},
              {"failed", static_cast<int64_t>(req.ids.size()) - ok},
              {"results", std::move(results)}};
}

// ---- talent pool ----

Result<json> WorkspaceService::TalentPool(const Context& ctx, const TalentPoolParams& p) {
  std::vector<FieldError> details;
  storage::TalentPoolQuery q;
  q.department_scope = ctx.principal.department_scope;
  if (p.q) {
    auto found = ParseCandidateSearch(cipher_, *p.q, "q", details);
    q.name_bidx = found.name_bidx;
    q.email_bidx = found.email_bidx;
    q.phone_bidx = found.phone_bidx;
  }
  if (p.tag) {
    std::string tag(Trim(*p.tag));
    if (tag.empty() || !IsValidUtf8(tag) || Utf8Length(tag) > 50)
      details.push_back({"tag", "must be 1..50 characters"});
    q.tag = tag;
  }
  if (p.min_score) {
    auto v = ParseScore(*p.min_score);
    if (!v || *v > 100)
      details.push_back({"min_score", "must be a number 0..100"});
    else
      q.min_best = *v;
  }
  if (p.cursor && !IsValidId(*p.cursor)) details.push_back({"cursor", "malformed"});
  if (!details.empty()) return InvalidArgument("invalid talent pool query", std::move(details));
  const bool show = ctx.principal.Has(Permission::kPiiRead);
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto page, storage::ListTalentPool(tx, q, {p.cursor, p.limit}));
    json items = json::array();
    for (const auto& e : page.items) {
      ZM_ASSIGN_OR_RETURN(std::string name, cipher_.Decrypt(e.name_enc, NameAd(e.candidate_id)));
      if (!show) name = security::MaskName(name);
      json apps = json::array();
      for (const auto& a : e.applications)
        apps.push_back({{"application_id", a.id},
                        {"job_id", a.job_id},
                        {"job_title", a.job_title},
                        {"stage", a.stage},
                        {"overall", Round1OrNull(a.overall)},
                        {"updated_at", Time(a.updated_at)}});
      items.push_back({{"candidate_id", e.candidate_id},
                       {"candidate_name", name},
                       {"tags", e.tags},
                       {"best_overall", Round1OrNull(e.best_overall)},
                       {"applications", std::move(apps)}});
    }
    return json{{"items", std::move(items)},
                {"next_cursor", page.next_cursor ? json(*page.next_cursor) : json(nullptr)}};
  });
}

Result<json> WorkspaceService::Reinvite(const Context& ctx, const std::string& candidate_id,
                                        const ReinviteRequest& req) {
  std::vector<FieldError> details;
  if (!IsValidId(req.job_id)) details.push_back({"job_id", "must be a job id"});
  if (req.expires_in_days && (*req.expires_in_days < 1 || *req.expires_in_days > 90))
    details.push_back({"expires_in_days", "must be 1..90"});
  if (!details.empty()) return InvalidArgument("invalid re-invitation", std::move(details));
  // Everything that can refuse is checked before the first write.
  ZM_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    std::vector<storage::Value> params = {candidate_id};
    std::string sql =
        "SELECT 1 FROM applications WHERE candidate_id = ? AND stage = 'talent_pool'" +
        storage::ScopeClause(ctx.principal.department_scope, "department_id", params);
    ZM_ASSIGN_OR_RETURN(auto in_pool, tx.QueryOne(sql, params));
    if (!in_pool) return NotFound("candidate in the talent pool");
    ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, req.job_id));
    if (!job || !ctx.principal.InScope(job->department_id))
      return InvalidArgument("unknown job", {{"job_id", "no such job"}});
    ZM_ASSIGN_OR_RETURN(auto model, storage::GetCompetencyModelDoc(tx, job->id));
    ZM_ASSIGN_OR_RETURN(auto plan, storage::GetInterviewPlanDoc(tx, job->id));
    if (!model || !plan)
      return Conflict("plan_missing",
                      "the job needs a competency model and an interview plan before inviting");
    ZM_ASSIGN_OR_RETURN(auto existing,
                        tx.QueryOne("SELECT 1 FROM applications WHERE candidate_id = ? AND "
                                    "job_id = ?",
                                    {candidate_id, req.job_id}));
    if (existing)
      return Conflict("duplicate_application", "the candidate already applied to this job");
    return Ok();
  }));
  domain::Application a;
  a.candidate_id = candidate_id;
  a.job_id = req.job_id;
  a.stage = domain::Stage::kScreening;
  a.source = "人才库";
  ZM_ASSIGN_OR_RETURN(auto app, candidates_.CreateApplication(ctx, std::move(a)));
  ZM_ASSIGN_OR_RETURN(auto invited,
                      interviews_.Invite(ctx, app.id, req.expires_in_days, req.send_email));
  ZM_ASSIGN_OR_RETURN(auto fresh, candidates_.GetApplication(ctx, app.id));
  return json{{"application", ApplicationJson(fresh)}, {"interview", std::move(invited)}};
}

// ---- manager review ----

Result<json> WorkspaceService::Decide(const Context& ctx, const std::string& application_id,
                                      const DecisionRequest& req) {
  std::vector<FieldError> details;
  const bool approve = req.decision == "approve";
  if (!approve && req.decision != "decline")
    details.push_back({"decision", "must be one of: approve, decline"});
  if (auto st = ValidateCommentBody(req.comment, !approve && req.decision == "decline", "comment");
      !st)
    for (auto& d : st.error().details) details.push_back(std::move(d));
  if (!details.empty()) return InvalidArgument("invalid decision", std::move(details));
  const bool show = ctx.principal.Has(Permission::kPiiRead);
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto app, ScopedApplication(tx, ctx, application_id));
    auto from = domain::ParseStage(app.stage);
    if (!from || (*from != domain::Stage::kInterviewCompleted && *from != domain::Stage::kHrReview))
      return Conflict("decision_not_allowed",
                      "a decision is taken in the stages interview_completed and hr_review; the "
                      "application is in " +
                          app.stage);
    std::string to(
        domain::ToString(approve ? domain::Stage::kSecondRound : domain::Stage::kRejected));
    ZM_RETURN_IF_ERROR(workflow::RecordStageChange(
        tx, cipher_, ctx, app,
        {app.stage, to, Changes(json{{"stage", app.stage}}, json{{"stage", to}}), ""}));
    json comment = nullptr;
    std::optional<std::string> comment_id;
    if (!Trim(req.comment).empty()) {
      ZM_ASSIGN_OR_RETURN(auto c, InsertComment(tx, ctx, app, "decision", req.comment, {}));
      comment_id = c.id;
      ZM_ASSIGN_OR_RETURN(comment, CommentJson(c));
    }
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"application.decision", "application", app.id,
         Changes(json{{"stage", app.stage}},
                 json{{"decision", req.decision},
                      {"from", app.stage},
                      {"to", to},
                      {"comment_id", comment_id ? json(*comment_id) : json(nullptr)}})}));
    ZM_ASSIGN_OR_RETURN(auto updated, storage::GetApplication(tx, app.id));
    if (!updated) return Internal("application vanished");
    ZM_ASSIGN_OR_RETURN(auto view, OpenApplication(*updated, show));
    return json{{"decision", req.decision},
                {"application", ApplicationJson(view)},
                {"comment", std::move(comment)}};
  });
}

// ---- name index backfill ----

Result<int> WorkspaceService::BackfillNameIndexes() {
  int total = 0;
  for (;;) {
    ZM_ASSIGN_OR_RETURN(int n, db_.WriteValue<int>([&](Tx& tx) -> Result<int> {
      ZM_ASSIGN_OR_RETURN(auto rows, storage::CandidatesWithoutNameIndex(tx, 500));
      for (const auto& r : rows) {
        ZM_ASSIGN_OR_RETURN(auto name, cipher_.Decrypt(r.name_enc, NameAd(r.id)));
        ZM_RETURN_IF_ERROR(
            storage::SetCandidateNameIndex(tx, r.id, NameBlindIndex(cipher_, name).value_or("")));
      }
      return static_cast<int>(rows.size());
    }));
    total += n;
    if (n < 500) return total;
  }
}

}  // namespace zm::services
