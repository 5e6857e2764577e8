#include "services/interview_service.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/strings.h"
#include "common/time.h"
#include "domain/application.h"
#include "domain/json/mapping.h"
#include "domain/validation.h"
#include "jobs/queue.h"
#include "notify/application_message.h"
#include "scoring/aggregate.h"
#include "scoring/rubric.h"
#include "security/audit_log.h"
#include "security/crypto.h"
#include "services/audit_changes.h"
#include "services/documents.h"
#include "services/model_service.h"
#include "services/score_document.h"
#include "services/supervised_document.h"
#include "storage/hiring_repository.h"
#include "storage/interview_repository.h"
#include "storage/model_repository.h"
#include "workflow/stage_change.h"

namespace zm::services {
namespace {

using nlohmann::json;
using storage::Tx;

constexpr size_t kTokenBytes = 32;  // 256 bits; only the SHA-256 hash is stored
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, unpadded

json Time(int64_t ms) { return FormatIso8601(ms); }
json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? json(FormatIso8601(*ms)) : json(nullptr);
}
json Round1(double v) { return std::round(v * 10.0) / 10.0; }
json Round1OrNull(const std::optional<double>& v) { return v ? Round1(*v) : json(nullptr); }

std::unexpected<Error> LinkNotFound(std::string message) {
  return Fail(MakeError(ErrorCode::kNotFound, "not_found", std::move(message)));
}

bool PlausibleToken(const std::string& token) {
  if (token.size() != kTokenChars) return false;
  return std::ranges::all_of(token, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string StatusOf(domain::InterviewStatus s) { return std::string(domain::ToString(s)); }

// Candidates act through their token; the audit log names the interview as the actor.
Context CandidateContext(const Context& ctx, const std::string& interview_id) {
  Context c = ctx;
  c.principal = security::Principal{};
  c.principal.kind = security::Principal::Kind::kCandidate;
  c.principal.id = interview_id;
  return c;
}

size_t StageIndex(domain::Stage s) {
  const auto& all = domain::AllStages();
  return static_cast<size_t>(std::ranges::find(all, s) - all.begin());
}

// Moves the application forward to `to` along the interview stages; never backwards and never
// out of a decision already taken (rejected, talent pool, later rounds).
Status AdvanceStage(Tx& tx, const security::FieldCipher& cipher, const Context& ctx,
                    const std::string& application_id, domain::Stage to) {
  ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, application_id));
  if (!app) return Ok();
  auto from = domain::ParseStage(app->stage);
  if (!from || *from == domain::Stage::kRejected || *from == domain::Stage::kTalentPool ||
      StageIndex(*from) >= StageIndex(to))
    return Ok();
  std::string to_name(domain::ToString(to));
  return workflow::RecordStageChange(
      tx, cipher, ctx, *app,
      {app->stage, to_name, Changes(json{{"stage", app->stage}}, json{{"stage", to_name}}), ""});
}

json InterviewJson(const storage::InterviewRecord& r, int64_t now) {
  bool active = r.status != "revoked" && r.status != "completed" && r.expires_at > now;
  return {{"id", r.id},
          {"application_id", r.application_id},
          {"job_id", r.job_id},
          {"status", r.status},
          {"link_active", active},
          {"expires_at", Time(r.expires_at)},
          {"invitations_sent", r.invitations_sent},
          {"question_count", r.question_count},
          {"current_position", r.current_position},
          {"consented_at", TimeOrNull(r.consented_at)},
          {"audio_video_consent", r.audio_video_consent},
          {"finished_at", TimeOrNull(r.finished_at)},
          {"revoked_at", TimeOrNull(r.revoked_at)},
          {"report_released_at", TimeOrNull(r.report_released_at)},
          {"overall", Round1OrNull(r.overall)},
          {"recommendation", r.recommendation ? json(*r.recommendation) : json(nullptr)},
          {"score_version", r.score_version},
          {"created_at", Time(r.created_at)},
          {"updated_at", Time(r.updated_at)}};
}

int ExpiryDays(const domain::InterviewPlan& plan, std::optional<int> requested) {
  return requested.value_or(plan.expires_in_days);
}

// The newest attempt of `kind` at `position`, or nullptr.
const storage::AnswerRecord* LastAttempt(const std::vector<storage::AnswerRecord>& answers,
                                         int64_t position, std::string_view kind) {
  const storage::AnswerRecord* last = nullptr;
  for (const auto& a : answers)
    if (a.position == position && a.kind == kind && (!last || a.attempt > last->attempt)) last = &a;
  return last;
}

int64_t CountAttempts(const std::vector<storage::AnswerRecord>& answers, int64_t position,
                      std::string_view kind) {
  return std::ranges::count_if(
      answers, [&](const auto& a) { return a.position == position && a.kind == kind; });
}

std::string AnswerAad(const std::string& answer_id) { return "interview_answer:" + answer_id; }
std::string DraftAad(const std::string& interview_id, int64_t position) {
  return "interview_draft:" + interview_id + ":" + std::to_string(position);
}

std::string DataUseZh(const InterviewSettings& s, bool audio_video) {
  std::string text = s.organisation +
                     "将使用你在本次面试中提交的回答，仅用于评估你与该岗位的匹配程度。"
                     "每个回答由规则评分器按岗位能力模型自动打分，并附评分依据；"
                     "最终录用决定由招聘人员作出，你可以申请人工复核。"
                     "你的个人信息加密存储，保存期限为" +
                     std::to_string(s.retention_days) +
                     "天，到期后删除；你可以随时申请查阅或删除。";
  if (audio_video)
    text += "本次面试包含音频/视频作答，音视频分析需要你单独同意；不同意时仅对文字转写评分。";
  else
    text += "本次面试仅分析文字回答，不进行音频或视频分析。";
  return text;
}

std::string DataUseEn(const InterviewSettings& s, bool audio_video) {
  std::string text = s.organisation +
                     " uses the answers you give in this interview only to assess how well you "
                     "match this position. Each answer is scored automatically against the job's "
                     "competency model, with the reasons shown; a recruiter makes the hiring "
                     "decision and you can ask for a human review. Your personal data is stored "
                     "encrypted for " +
                     std::to_string(s.retention_days) +
                     " days and then deleted; you may ask to see or delete it at any time.";
  if (audio_video)
    text +=
        " This interview includes audio/video answers; analysing audio/video needs your "
        "separate consent, without it only the transcript is scored.";
  else
    text += " Only your text answers are analysed; no audio or video analysis is used.";
  return text;
}

}  // namespace

struct InterviewService::Loaded {
  storage::InterviewRecord rec;
  std::vector<storage::InterviewItemRecord> items;
  std::string organisation;
  std::string job_title;
  domain::Thresholds thresholds;
  domain::CompetencyModel model;
  domain::InterviewPlan plan;
  std::vector<domain::Question> questions;                    // by position
  std::vector<std::pair<std::string, std::string>> sections;  // (key, title) by position

  domain::InterviewStatus status() const {
    return domain::ParseInterviewStatus(rec.status).value_or(domain::InterviewStatus::kInvited);
  }
};

struct InterviewService::Scored {
  json result;
  std::optional<double> overall;
  std::optional<std::string> recommendation;
};

namespace {

std::string Snapshot(const std::string& organisation, const domain::Job& job,
                     const domain::CompetencyModel& model, const domain::InterviewPlan& plan,
                     const std::vector<domain::Question>& questions) {
  json qs = json::array();
  for (const auto& q : questions) {
    json body = WithoutMeta(zm::json::ToJson(q), {"created_at", "updated_at"});
    qs.push_back(std::move(body));
  }
  return json{{"organisation", organisation},
              {"job",
               {{"id", job.id},
                {"title", job.title},
                {"thresholds",
                 {{"recommend", job.thresholds.recommend}, {"review", job.thresholds.review}}}}},
              {"model", json::parse(StoredModel(model))},
              {"model_version", model.version},
              {"plan", json::parse(StoredPlan(plan))},
              {"questions", std::move(qs)}}
      .dump();
}

}  // namespace

InterviewService::InterviewService(storage::Database& db, const security::FieldCipher& cipher,
                                   const scoring::RubricScorer& scorer, InterviewSettings settings,
                                   ModelCache* models)
    : db_(db), cipher_(cipher), scorer_(scorer), settings_(std::move(settings)), models_(models) {}

Result<std::string> InterviewService::Seal(std::string_view text, const std::string& aad) const {
  return cipher_.Encrypt(text, aad);
}

Result<std::string> InterviewService::Open(const std::string& stored,
                                           const std::string& aad) const {
  return cipher_.Decrypt(stored, aad);
}

namespace {

using Loaded = InterviewService::Loaded;

// Fills `l` from the snapshot taken at invitation time. A snapshot that fails to parse is a
// bug or corruption: kInternal.
Status ParseSnapshot(Loaded& l) {
  json s = json::parse(l.rec.snapshot, nullptr, false);
  if (!s.is_object()) return Internal("interview snapshot is corrupt");
  l.organisation = s.value("organisation", "");
  const json& job = s["job"];
  l.job_title = job.value("title", "");
  l.thresholds.recommend = job["thresholds"].value("recommend", 80);
  l.thresholds.review = job["thresholds"].value("review", 60);
  storage::StoredDocument model_doc{s["model"].dump(), s.value("model_version", int64_t{0}), 0};
  auto model = LoadModel(l.rec.job_id, model_doc);
  if (!model) return Internal("interview snapshot model is corrupt");
  l.model = std::move(*model);
  auto plan = LoadPlan(l.rec.job_id, {s["plan"].dump(), 0, 0});
  if (!plan) return Internal("interview snapshot plan is corrupt");
  l.plan = std::move(*plan);
  std::map<std::string, domain::Question> by_id;
  for (const json& q : s["questions"]) {
    std::string id = q.value("id", "");
    auto parsed = zm::json::ParseQuestionCreate(WithoutMeta(q, {"id"}));
    if (!parsed) return Internal("interview snapshot question is corrupt");
    parsed->id = id;
    by_id.emplace(id, std::move(*parsed));
  }
  for (const auto& section : l.plan.sections)
    for (const auto& qid : section.question_ids) {
      auto it = by_id.find(qid);
      if (it == by_id.end()) return Internal("interview snapshot lacks a question");
      l.questions.push_back(it->second);
      l.sections.emplace_back(section.key, section.title);
    }
  return Ok();
}

Result<Loaded> Load(Tx& tx, storage::InterviewRecord rec) {
  Loaded l;
  l.rec = std::move(rec);
  ZM_RETURN_IF_ERROR(ParseSnapshot(l));
  ZM_ASSIGN_OR_RETURN(l.items, storage::ListItems(tx, l.rec.id));
  if (l.items.size() != l.questions.size()) return Internal("interview items do not match");
  return l;
}

// Candidate actions other than reading need a consented, unfinished interview.
Status CheckAnswering(const Loaded& l) {
  switch (l.status()) {
    case domain::InterviewStatus::kInvited:
      return Conflict("consent_required", "consent to the data-use terms first");
    case domain::InterviewStatus::kCompleted:
      return Conflict("interview_finished", "the interview is finished; answers are closed");
    default:
      return Ok();
  }
}

Status CheckCurrent(const Loaded& l, int position) {
  if (position < 0 || position >= l.rec.question_count)
    return NotFound("question " + std::to_string(position));
  if (position != l.rec.current_position)
    return Conflict("not_current_question", "question " + std::to_string(position) +
                                                " is not the current question (" +
                                                std::to_string(l.rec.current_position) + ")");
  return Ok();
}

int64_t AnswerDeadline(const domain::Question& q, int64_t shown_at) {
  return shown_at + (int64_t{q.think_seconds} + q.answer_seconds) * 1000;
}

}  // namespace

Result<Loaded> InterviewService::LoadByToken(Tx& tx, const std::string& token, bool for_update) {
  constexpr char kUnknown[] = "this interview link is unknown; check the link in your invitation";
  if (!PlausibleToken(token)) return LinkNotFound(kUnknown);
  ZM_ASSIGN_OR_RETURN(auto rec,
                      storage::GetInterviewByToken(tx, security::Sha256Hex(token), for_update));
  if (!rec) return LinkNotFound(kUnknown);
  if (rec->status == "revoked") return LinkNotFound("this interview link has been revoked");
  // A finished interview stays reachable for its report after the link's expiry.
  if (rec->status != "completed" && rec->expires_at <= NowMillis())
    return LinkNotFound("this interview link has expired; ask the recruiter for a new one");
  return Load(tx, std::move(*rec));
}

Result<Loaded> InterviewService::LoadByApplication(Tx& tx, const Context& ctx,
                                                   const std::string& application_id,
                                                   bool for_update) {
  ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, application_id));
  if (!app || !ctx.principal.InScope(app->department_id)) return NotFound("application");
  ZM_ASSIGN_OR_RETURN(auto rec, storage::GetInterviewByApplication(tx, application_id));
  if (!rec) return NotFound("interview");
  if (for_update) {
    ZM_ASSIGN_OR_RETURN(rec, storage::GetInterview(tx, rec->id, true));
  }
  if (!rec) return NotFound("interview");
  return Load(tx, std::move(*rec));
}

// ---- invitations ----

Result<json> InterviewService::EmailLink(Tx& tx, const storage::InterviewRecord& rec,
                                         const std::string& token,
                                         const std::string& template_key) {
  notify::ApplicationMessage m;
  m.application_id = rec.application_id;
  m.template_key = template_key;
  // One e-mail per link: the same token never produces a second message.
  m.idempotency_key = "interview-link:" + rec.id + ":" + rec.token_hash.substr(0, 16);
  std::string deadline = FormatIso8601(rec.expires_at).substr(0, 16);
  deadline[10] = ' ';
  m.extra = {{"interview_link", settings_.public_base_url + "/interview/" + token},
             {"interview_deadline", deadline + " (UTC)"}};
  notify::NotifySettings ns;
  ns.organisation_name = settings_.organisation;
  auto ids = notify::EnqueueApplicationMessage(tx, cipher_, ns, m);
  // Logical refusals (no channel, no address) leave the transaction usable: the invitation
  // stands and the answer says why nothing was sent.
  if (!ids) {
    if (ids.error().code == ErrorCode::kInternal || ids.error().code == ErrorCode::kUnavailable)
      return Fail(ids.error());
    return json{{"queued", false}, {"reason", ids.error().message}};
  }
  return json{{"queued", true}, {"delivery_id", ids->empty() ? json(nullptr) : json(ids->front())}};
}

Result<json> InterviewService::Invite(const Context& ctx, const std::string& application_id,
                                      std::optional<int> expires_in_days, bool send_email) {
  if (expires_in_days && (*expires_in_days < domain::kExpiresInDaysMin ||
                          *expires_in_days > domain::kExpiresInDaysMax))
    return InvalidArgument("invalid invitation", {{"expires_in_days", "must be 1..90"}});
  std::string token = security::RandomToken(kTokenBytes);
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, application_id));
    if (!app || !ctx.principal.InScope(app->department_id)) return NotFound("application");
    ZM_ASSIGN_OR_RETURN(auto existing, storage::GetInterviewByApplication(tx, application_id));
    if (existing)
      return Conflict("interview_exists",
                      "the application already has an interview; resend or extend its link");
    ZM_ASSIGN_OR_RETURN(auto job, storage::GetJobForUpdate(tx, app->job_id));
    if (!job) return NotFound("job");
    ZM_ASSIGN_OR_RETURN(auto model_doc, storage::GetCompetencyModelDoc(tx, job->id));
    ZM_ASSIGN_OR_RETURN(auto plan_doc, storage::GetInterviewPlanDoc(tx, job->id));
    if (!model_doc || !plan_doc)
      return Conflict("plan_missing",
                      "the job needs a competency model and an interview plan before inviting");
    ZM_ASSIGN_OR_RETURN(auto model, LoadModel(job->id, *model_doc));
    ZM_ASSIGN_OR_RETURN(auto plan, LoadPlan(job->id, *plan_doc));
    std::vector<domain::Question> questions;
    for (const auto& qid : plan.QuestionIds()) {
      ZM_ASSIGN_OR_RETURN(auto rec, storage::GetQuestion(tx, qid));
      if (!rec) return Conflict("plan_missing", "a question of the plan no longer exists");
      ZM_ASSIGN_OR_RETURN(auto q, FromRecord(*rec));
      questions.push_back(std::move(q));
    }
    int64_t now = NowMillis();
    storage::InterviewRecord r;
    r.id = NewId();
    r.application_id = application_id;
    r.job_id = job->id;
    r.department_id = app->department_id;
    r.status = StatusOf(domain::InterviewStatus::kInvited);
    r.token_hash = security::Sha256Hex(token);
    r.expires_at = now + int64_t{ExpiryDays(plan, expires_in_days)} * 86'400'000;
    r.snapshot = Snapshot(settings_.organisation, *job, model, plan, questions);
    r.question_count = static_cast<int64_t>(questions.size());
    r.created_by = ctx.principal.id;
    r.created_at = r.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::InsertInterview(tx, r, plan.QuestionIds()));
    json view = InterviewJson(r, now);
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, ctx, {"interview.invite", "interview", r.id, Changes({}, view)}));
    ZM_RETURN_IF_ERROR(
        AdvanceStage(tx, cipher_, ctx, application_id, domain::Stage::kInterviewInvited));
    ZM_RETURN_IF_ERROR(workflow::EmitApplicationEvent(
        tx, cipher_, "interview.invited", *app,
        json{{"interview_id", r.id}, {"expires_at", Time(r.expires_at)}}.dump()));
    if (send_email) {
      ZM_ASSIGN_OR_RETURN(view["email"], EmailLink(tx, r, token, "interview_invitation"));
    }
    view["token"] = token;
    view["link"] = settings_.public_base_url + "/interview/" + token;
    return view;
  });
}

Result<json> InterviewService::Resend(const Context& ctx, const std::string& application_id,
                                      bool send_email, const std::string& template_key) {
  std::string token = security::RandomToken(kTokenBytes);
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, true));
    if (l.status() == domain::InterviewStatus::kCompleted)
      return Conflict("interview_finished", "the interview is finished; nothing to resend");
    // A reminder never replaces the link of a candidate who is taking the interview.
    if (template_key == "interview_reminder" && l.status() != domain::InterviewStatus::kInvited)
      return Conflict("interview_started", "the candidate has started; no reminder");
    int64_t now = NowMillis();
    json before = InterviewJson(l.rec, now);
    l.rec.token_hash = security::Sha256Hex(token);
    l.rec.invitations_sent += 1;
    if (l.status() == domain::InterviewStatus::kRevoked) {
      l.rec.status = StatusOf(l.rec.consented_at ? domain::InterviewStatus::kInProgress
                                                 : domain::InterviewStatus::kInvited);
      l.rec.revoked_at.reset();
    }
    l.rec.expires_at =
        std::max(l.rec.expires_at, now + int64_t{l.plan.expires_in_days} * 86'400'000);
    l.rec.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
    json view = InterviewJson(l.rec, now);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"interview.resend", "interview", l.rec.id, Changes(before, view)}));
    if (send_email) {
      ZM_ASSIGN_OR_RETURN(view["email"], EmailLink(tx, l.rec, token, template_key));
    }
    view["token"] = token;
    view["link"] = settings_.public_base_url + "/interview/" + token;
    return view;
  });
}

Result<json> InterviewService::Revoke(const Context& ctx, const std::string& application_id) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, true));
    int64_t now = NowMillis();
    if (l.status() == domain::InterviewStatus::kCompleted)
      return Conflict("interview_finished", "the interview is finished; its link is closed");
    if (l.status() == domain::InterviewStatus::kRevoked) return InterviewJson(l.rec, now);
    json before = InterviewJson(l.rec, now);
    l.rec.status = StatusOf(domain::InterviewStatus::kRevoked);
    l.rec.revoked_at = now;
    l.rec.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
    json view = InterviewJson(l.rec, now);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"interview.revoke", "interview", l.rec.id, Changes(before, view)}));
    return view;
  });
}

Result<json> InterviewService::Extend(const Context& ctx, const std::string& application_id,
                                      int days) {
  if (days < domain::kExtendDaysMin || days > domain::kExtendDaysMax)
    return InvalidArgument("invalid extension", {{"days", "must be 1..90"}});
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, true));
    if (l.status() == domain::InterviewStatus::kCompleted)
      return Conflict("interview_finished", "the interview is finished; nothing to extend");
    if (l.status() == domain::InterviewStatus::kRevoked)
      return Conflict("interview_revoked", "the link is revoked; resend a new one instead");
    int64_t now = NowMillis();
    json before = InterviewJson(l.rec, now);
    l.rec.expires_at = std::max(l.rec.expires_at, now) + int64_t{days} * 86'400'000;
    l.rec.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
    json view = InterviewJson(l.rec, now);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"interview.extend", "interview", l.rec.id, Changes(before, view)}));
    return view;
  });
}

// ---- candidate ----

namespace {

// True when the plan lets candidates answer by voice or video (audio/video analysis applies).
bool UsesAudioVideo(const domain::InterviewPlan& plan) {
  return std::any_of(plan.answer_modes.begin(), plan.answer_modes.end(),
                     [](domain::AnswerMode m) { return m != domain::AnswerMode::kText; });
}

json OverviewJson(const Loaded& l, const InterviewSettings& settings, int64_t now) {
  json sections = json::array();
  for (const auto& s : l.plan.sections)
    sections.push_back(
        {{"key", s.key}, {"title", s.title}, {"question_count", s.question_ids.size()}});
  json per_question = json::array();
  int64_t think_total = 0, answer_total = 0;
  for (size_t i = 0; i < l.questions.size(); ++i) {
    const auto& q = l.questions[i];
    think_total += q.think_seconds;
    answer_total += q.answer_seconds;
    per_question.push_back({{"position", i},
                            {"section_key", l.sections[i].first},
                            {"think_seconds", q.think_seconds},
                            {"answer_seconds", q.answer_seconds}});
  }
  json dims = json::array();
  for (const auto& d : l.model.dimensions) {
    json indicators = json::array();
    for (const auto& ind : d.indicators)
      indicators.push_back({{"name", ind.name}, {"name_en", ind.name_en}});
    dims.push_back({{"key", d.key},
                    {"name", d.name},
                    {"name_en", d.name_en},
                    {"weight", d.weight},
                    {"description", d.description},
                    {"indicators", std::move(indicators)}});
  }
  json modes = json::array();
  for (auto m : l.plan.answer_modes) modes.push_back(domain::ToString(m));
  bool audio_video = UsesAudioVideo(l.plan);
  int64_t answered = 0;
  for (const auto& item : l.items) answered += item.completed_at ? 1 : 0;
  bool finished = l.status() == domain::InterviewStatus::kCompleted;
  return {{"status", l.rec.status},
          {"organisation", l.organisation},
          {"job_title", l.job_title},
          {"expires_at", Time(l.rec.expires_at)},
          {"server_time", Time(now)},
          {"sections", std::move(sections)},
          {"question_count", l.rec.question_count},
          {"time_limits",
           {{"think_seconds_total", think_total},
            {"answer_seconds_total", answer_total},
            {"per_question", std::move(per_question)}}},
          {"dimensions", std::move(dims)},
          {"how_assessed",
           {{"zh",
             "每个回答按岗位能力模型中的维度评分（0-100分，1-5级）：是否体现各维度的行为指标、"
             "是否用具体事例说明情境、任务、行动和结果（STAR）、是否有具体数据和成果、"
             "与问题的相关程度，以及回答的完整度。每项得分都附有依据，总分按维度权重加权计算。"},
            {"en",
             "Each answer is scored on the job's competency dimensions (0-100, levels 1-5): "
             "whether it shows each dimension's behavioural indicators, whether it uses a concrete "
             "example with situation, task, action and result (STAR), concrete numbers and "
             "outcomes, relevance to the question, and completeness. Every score comes with its "
             "reasons; the overall score is weighted by the dimension weights."}}},
          {"reanswer_limit", l.plan.reanswer_limit},
          {"feedback_enabled", l.plan.feedback_enabled},
          {"follow_ups_enabled", l.plan.follow_ups_enabled},
          {"answer_modes", std::move(modes)},
          {"audio_video_analysis", audio_video},
          {"data_use",
           {{"version", domain::kConsentTextVersion},
            {"text_zh", DataUseZh(settings, audio_video)},
            {"text_en", DataUseEn(settings, audio_video)},
            {"retention_days", settings.retention_days}}},
          {"consent",
           {{"given", l.rec.consented_at.has_value()},
            {"at", TimeOrNull(l.rec.consented_at)},
            {"version", l.rec.consent_version ? json(*l.rec.consent_version) : json(nullptr)},
            {"audio_video_analysis", l.rec.audio_video_consent}}},
          {"progress",
           {{"current_position", l.rec.current_position},
            {"answered", answered},
            {"finished", finished}}},
          {"report_available", finished && l.rec.report_released_at.has_value()}};
}

json FeedbackOf(const storage::InterviewItemRecord& item) {
  if (!item.feedback) return nullptr;
  json f = json::parse(*item.feedback, nullptr, false);
  return f.is_object() ? f : json(nullptr);
}

// The immediate-feedback note of a stored feedback document, or null when there is none (feedback
// off in the plan stores only the follow-up probe).
json NoteView(const json& fb) {
  if (!fb.is_object() || !fb.contains("note_zh")) return nullptr;
  return json{{"note_zh", fb["note_zh"]}, {"note_en", fb["note_en"]}};
}

// The follow-up probe of a stored feedback document plus one view-specific field (`key`), or
// null when no probe was offered.
json FollowUpView(const json& fb, const char* key, json value) {
  if (!fb.is_object() || !fb.contains("follow_up_zh") || !fb["follow_up_zh"].is_string())
    return nullptr;
  return json{
      {"question_zh", fb["follow_up_zh"]}, {"question_en", fb["follow_up_en"]}, {key, value}};
}

// Transparency: when a question of the interview is scored by a supervised model (now), the
// candidate is told how such a score comes about.
Result<json> WithModelNote(Tx& tx, const Loaded& l, json overview) {
  bool supervised = false;
  for (const auto& q : l.questions) {
    ZM_ASSIGN_OR_RETURN(auto active, storage::ActiveModels(tx, q.id));
    supervised = supervised || !active.empty();
  }
  if (supervised) {
    auto& how = overview["how_assessed"];
    how["zh"] = how["zh"].get<std::string>() +
                "部分题目由模型评分：模型学习了本组织面试官对以往回答的评分，得分同样附有依据，"
                "标出对得分影响最大的词句。";
    how["en"] = how["en"].get<std::string>() +
                " Some questions are scored by a model that learned from how the organisation's "
                "interviewers rated earlier answers; those scores also come with their reasons, "
                "showing the words that moved the score most.";
  }
  return overview;
}

}  // namespace

Result<json> InterviewService::Overview(const Context&, const std::string& token) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, false));
    return WithModelNote(tx, l, OverviewJson(l, settings_, NowMillis()));
  });
}

Result<json> InterviewService::Consent(const Context& ctx, const std::string& token,
                                       const domain::ConsentRequest& consent) {
  ZM_RETURN_IF_ERROR(domain::ValidateConsent(consent));
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    int64_t now = NowMillis();
    if (l.status() != domain::InterviewStatus::kInvited)  // already given: idempotent
      return WithModelNote(tx, l, OverviewJson(l, settings_, now));
    Context cctx = CandidateContext(ctx, l.rec.id);
    l.rec.status = StatusOf(domain::InterviewStatus::kInProgress);
    l.rec.consent_version = consent.consent_version;
    l.rec.consented_at = now;
    // Consent to an analysis the plan never runs would be meaningless: recorded only when used.
    bool audio_video = consent.audio_video_analysis && UsesAudioVideo(l.plan);
    l.rec.audio_video_consent = audio_video;
    ZM_ASSIGN_OR_RETURN(auto ip_enc, Seal(ctx.ip, "interview:" + l.rec.id + ":consent_ip"));
    l.rec.consent_ip_enc = std::move(ip_enc);
    l.rec.consent_user_agent = SanitizeUtf8(ctx.user_agent, 500);
    l.rec.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, cctx,
                              {"interview.consent", "interview", l.rec.id,
                               Changes({}, json{{"consent_version", consent.consent_version},
                                                {"audio_video_analysis", audio_video}})}));
    ZM_RETURN_IF_ERROR(
        AdvanceStage(tx, cipher_, cctx, l.rec.application_id, domain::Stage::kInterviewing));
    return WithModelNote(tx, l, OverviewJson(l, settings_, now));
  });
}

Result<json> InterviewService::StepView(Tx& tx, Loaded& l, int64_t now) {
  if (l.status() == domain::InterviewStatus::kCompleted)
    return json{{"done", true}, {"finished", true}, {"status", l.rec.status}};
  int64_t pos = l.rec.current_position;
  if (pos >= l.rec.question_count)
    return json{{"done", true}, {"finished", false}, {"status", l.rec.status}};
  auto& item = l.items[static_cast<size_t>(pos)];
  if (!item.shown_at) {  // the timers start the first time the question is served
    item.shown_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateItem(tx, item));
  }
  const auto& q = l.questions[static_cast<size_t>(pos)];
  ZM_ASSIGN_OR_RETURN(auto answers, storage::ListAnswers(tx, l.rec.id));
  int64_t think_deadline = *item.shown_at + int64_t{q.think_seconds} * 1000;
  int64_t answer_deadline = AnswerDeadline(q, *item.shown_at);
  json draft = nullptr;
  if (item.draft_enc) {
    ZM_ASSIGN_OR_RETURN(auto text, Open(*item.draft_enc, DraftAad(l.rec.id, pos)));
    draft = text;
  }
  json last_answer = nullptr;
  if (const auto* last = LastAttempt(answers, pos, "answer")) {
    ZM_ASSIGN_OR_RETURN(auto text, Open(last->text_enc, AnswerAad(last->id)));
    last_answer = {{"attempt", last->attempt}, {"text", text}, {"late", last->late}};
  }
  json feedback = FeedbackOf(item);
  json follow_up =
      FollowUpView(feedback, "answered", LastAttempt(answers, pos, "follow_up") != nullptr);
  json scenario = nullptr;
  if (q.scenario) scenario = {{"title", q.scenario->title}, {"context", q.scenario->context}};
  return json{
      {"done", false},
      {"position", pos},
      {"question_count", l.rec.question_count},
      {"section", {{"key", l.sections[pos].first}, {"title", l.sections[pos].second}}},
      {"question",
       {{"id", q.id},
        {"type", domain::ToString(q.type)},
        {"text", {{"zh", q.text.zh}, {"en", q.text.en}}},
        {"scenario", scenario},
        {"expected_length", {{"min", q.expected_length.min}, {"max", q.expected_length.max}}}}},
      {"think_seconds", q.think_seconds},
      {"answer_seconds", q.answer_seconds},
      {"shown_at", Time(*item.shown_at)},
      {"think_deadline", Time(think_deadline)},
      {"answer_deadline", Time(answer_deadline)},
      {"server_time", Time(now)},
      {"remaining_think_ms", std::max<int64_t>(0, think_deadline - now)},
      {"remaining_answer_ms", std::max<int64_t>(0, answer_deadline - now)},
      {"attempts_used", CountAttempts(answers, pos, "answer")},
      {"attempts_allowed", 1 + l.plan.reanswer_limit},
      {"draft", draft},
      {"last_answer", last_answer},
      {"feedback", NoteView(feedback)},
      {"follow_up", follow_up}};
}

Result<json> InterviewService::Current(const Context&, const std::string& token) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    if (l.status() == domain::InterviewStatus::kInvited)
      return Conflict("consent_required", "consent to the data-use terms first");
    return StepView(tx, l, NowMillis());
  });
}

Status InterviewService::SaveDraft(const Context&, const std::string& token, int position,
                                   const std::string& text) {
  ZM_RETURN_IF_ERROR(domain::ValidateAnswerText(text));
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    ZM_RETURN_IF_ERROR(CheckAnswering(l));
    ZM_RETURN_IF_ERROR(CheckCurrent(l, position));
    auto& item = l.items[static_cast<size_t>(position)];
    ZM_ASSIGN_OR_RETURN(auto enc, Seal(text, DraftAad(l.rec.id, position)));
    item.draft_enc = std::move(enc);
    item.draft_at = NowMillis();
    // Drafts are autosaved every few seconds and replaced by the answer; they are not audited.
    return storage::UpdateItem(tx, item);
  });
}

Result<json> InterviewService::Answer(const Context& ctx, const std::string& token, int position,
                                      const domain::AnswerSubmission& answer) {
  ZM_RETURN_IF_ERROR(domain::ValidateAnswerText(answer.text));
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    ZM_RETURN_IF_ERROR(CheckAnswering(l));
    ZM_RETURN_IF_ERROR(CheckCurrent(l, position));
    Context cctx = CandidateContext(ctx, l.rec.id);
    int64_t now = NowMillis();
    auto& item = l.items[static_cast<size_t>(position)];
    const auto& q = l.questions[static_cast<size_t>(position)];
    ZM_ASSIGN_OR_RETURN(auto answers, storage::ListAnswers(tx, l.rec.id));
    int64_t used = CountAttempts(answers, position, "answer");
    int64_t allowed = 1 + l.plan.reanswer_limit;
    if (used >= allowed)
      return Conflict("reanswer_limit_reached",
                      "no attempts left for this question (" + std::to_string(allowed) + ")");
    if (!item.shown_at) item.shown_at = now;
    storage::AnswerRecord a;
    a.id = NewId();
    a.interview_id = l.rec.id;
    a.position = position;
    a.kind = "answer";
    a.attempt = used + 1;
    ZM_ASSIGN_OR_RETURN(a.text_enc, Seal(answer.text, AnswerAad(a.id)));
    a.text_chars = static_cast<int64_t>(Utf8Length(answer.text));
    a.elapsed_ms = now - *item.shown_at;
    // A late answer is kept and flagged, never refused.
    a.late = now > AnswerDeadline(q, *item.shown_at) + domain::kLateGraceMs;
    a.submitted_at = now;
    ZM_RETURN_IF_ERROR(storage::InsertAnswer(tx, a));
    item.draft_enc.reset();
    item.draft_at.reset();

    json previous = FeedbackOf(item);
    bool follow_up_offered = previous.is_object() && previous["follow_up_zh"].is_string();
    json feedback = nullptr;
    // The scorer runs for the note, the probe, or both; each is shown only when its switch is on.
    if (l.plan.feedback_enabled || l.plan.follow_ups_enabled) {
      auto prepared = scorer_.Prepare(q, l.model);
      if (prepared) {
        scoring::AnswerInput input;
        input.answer = answer.text;
        input.answer_seconds = static_cast<double>(a.elapsed_ms) / 1000.0;
        auto result = scorer_.Score(**prepared, input);
        auto fb = scorer_.MakeFeedback(**prepared, result,
                                       l.plan.follow_ups_enabled && !follow_up_offered);
        feedback = EncodeFeedback(fb);
        if (!l.plan.feedback_enabled) {
          feedback.erase("note_zh");
          feedback.erase("note_en");
        }
        feedback["attempt"] = a.attempt;
        if (follow_up_offered) {  // at most one probe per question: keep the first
          feedback["follow_up_zh"] = previous["follow_up_zh"];
          feedback["follow_up_en"] = previous["follow_up_en"];
          feedback["follow_up_at"] = previous["follow_up_at"];
        } else if (feedback["follow_up_zh"].is_string()) {
          feedback["follow_up_at"] = now;
        }
        item.feedback = feedback.dump();
      }
    }
    ZM_RETURN_IF_ERROR(storage::UpdateItem(tx, item));
    ZM_RETURN_IF_ERROR(security::AppendAudit(tx, cctx,
                                             {"interview.answer", "interview", l.rec.id,
                                              Changes({}, json{{"position", position},
                                                               {"attempt", a.attempt},
                                                               {"late", a.late},
                                                               {"chars", a.text_chars}})}));
    json follow_up =
        FollowUpView(feedback, "answered", LastAttempt(answers, position, "follow_up") != nullptr);
    return json{{"position", position},
                {"attempt", a.attempt},
                {"late", a.late},
                {"elapsed_ms", a.elapsed_ms},
                {"attempts_used", a.attempt},
                {"attempts_allowed", allowed},
                {"feedback", NoteView(feedback)},
                {"follow_up", follow_up}};
  });
}

Result<json> InterviewService::AnswerFollowUp(const Context& ctx, const std::string& token,
                                              int position,
                                              const domain::AnswerSubmission& answer) {
  ZM_RETURN_IF_ERROR(domain::ValidateAnswerText(answer.text));
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    ZM_RETURN_IF_ERROR(CheckAnswering(l));
    ZM_RETURN_IF_ERROR(CheckCurrent(l, position));
    auto& item = l.items[static_cast<size_t>(position)];
    const auto& q = l.questions[static_cast<size_t>(position)];
    json fb = FeedbackOf(item);
    if (!fb.is_object() || !fb["follow_up_zh"].is_string())
      return Conflict("no_follow_up", "no follow-up question was asked for this question");
    ZM_ASSIGN_OR_RETURN(auto answers, storage::ListAnswers(tx, l.rec.id));
    if (LastAttempt(answers, position, "follow_up"))
      return Conflict("follow_up_answered", "the follow-up question is already answered");
    int64_t now = NowMillis();
    int64_t asked_at = fb.value("follow_up_at", now);
    storage::AnswerRecord a;
    a.id = NewId();
    a.interview_id = l.rec.id;
    a.position = position;
    a.kind = "follow_up";
    a.attempt = 1;
    ZM_ASSIGN_OR_RETURN(a.text_enc, Seal(answer.text, AnswerAad(a.id)));
    a.text_chars = static_cast<int64_t>(Utf8Length(answer.text));
    a.elapsed_ms = now - asked_at;
    a.late = now > asked_at + int64_t{q.answer_seconds} * 1000 + domain::kLateGraceMs;
    a.submitted_at = now;
    ZM_RETURN_IF_ERROR(storage::InsertAnswer(tx, a));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, CandidateContext(ctx, l.rec.id),
        {"interview.follow_up_answer", "interview", l.rec.id,
         Changes({}, json{{"position", position}, {"late", a.late}, {"chars", a.text_chars}})}));
    return json{{"position", position},
                {"kind", "follow_up"},
                {"late", a.late},
                {"elapsed_ms", a.elapsed_ms}};
  });
}

Result<json> InterviewService::Advance(const Context& ctx, const std::string& token, int position) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    ZM_RETURN_IF_ERROR(CheckAnswering(l));
    ZM_RETURN_IF_ERROR(CheckCurrent(l, position));
    int64_t now = NowMillis();
    auto& item = l.items[static_cast<size_t>(position)];
    item.completed_at = now;
    if (!item.shown_at) item.shown_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateItem(tx, item));
    l.rec.current_position = position + 1;
    l.rec.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, CandidateContext(ctx, l.rec.id),
        {"interview.advance", "interview", l.rec.id,
         Changes(json{{"current_position", position}}, json{{"current_position", position + 1}})}));
    return StepView(tx, l, now);
  });
}

Status InterviewService::RecordIntegrityEvent(const Context&, const std::string& token,
                                              const domain::IntegrityEvent& event) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, false));
    ZM_RETURN_IF_ERROR(CheckAnswering(l));
    if (event.position && (*event.position < 0 || *event.position >= l.rec.question_count))
      return InvalidArgument("invalid integrity event",
                             {{"position", "no such question position"}});
    // Telemetry, shown to HR as counts; never a score input, so not audited one by one.
    return storage::InsertIntegrityEvent(
        tx,
        {NewId(), l.rec.id, event.position ? std::optional<int64_t>(*event.position) : std::nullopt,
         std::string(domain::ToString(event.kind)), event.duration_ms, NowMillis()});
  });
}

// ---- scoring ----

Result<InterviewService::Scored> InterviewService::ScoreInterview(Tx& tx, const Loaded& l) {
  ZM_ASSIGN_OR_RETURN(auto answers, storage::ListAnswers(tx, l.rec.id));
  std::vector<scoring::QuestionDimensionScore> per_question;
  json answer_docs = json::array();
  json used_models = json::array();
  for (size_t pos = 0; pos < l.questions.size(); ++pos) {
    const auto& q = l.questions[pos];
    auto prepared = scorer_.Prepare(q, l.model);
    if (!prepared) continue;  // the question covers no dimension of the model
    std::string text, follow_up;
    const auto* last = LastAttempt(answers, static_cast<int64_t>(pos), "answer");
    const auto* fu = LastAttempt(answers, static_cast<int64_t>(pos), "follow_up");
    if (last) {
      ZM_ASSIGN_OR_RETURN(text, Open(last->text_enc, AnswerAad(last->id)));
    }
    if (fu) {
      ZM_ASSIGN_OR_RETURN(follow_up, Open(fu->text_enc, AnswerAad(fu->id)));
    }
    ZM_ASSIGN_OR_RETURN(auto others_enc,
                        storage::ListOtherAnswers(tx, q.id, l.rec.id, settings_.near_copy_window));
    std::vector<std::string> others;
    others.reserve(others_enc.size());
    for (const auto& o : others_enc) {
      ZM_ASSIGN_OR_RETURN(auto t, Open(o.text_enc, AnswerAad(o.answer_id)));
      others.push_back(std::move(t));
    }
    scoring::AnswerInput input;
    input.answer = text;
    input.follow_up = follow_up;
    if (last) input.answer_seconds = static_cast<double>(last->elapsed_ms) / 1000.0;
    input.other_answers = others;
    auto result = scorer_.Score(**prepared, input);
    json doc = EncodeAnswerResult(result);
    // Which other interview a near-copy points at (HR can open it); never its text.
    for (size_t f = 0; f < result.flags.size(); ++f)
      if (result.flags[f].other_index && *result.flags[f].other_index < others_enc.size())
        doc["flags"][f]["other_interview_id"] =
            others_enc[*result.flags[f].other_index].interview_id;
    doc["position"] = pos;
    doc["question_id"] = q.id;
    doc["answer_id"] = last ? json(last->id) : json(nullptr);
    doc["attempt"] = last ? json(last->attempt) : json(nullptr);
    doc["follow_up_answer_id"] = fu ? json(fu->id) : json(nullptr);
    // The question's active supervised models replace the rubric's score of the dimensions
    // they cover (the rubric's evidence stays for the others).
    std::vector<ModelCache::Active> active;
    if (models_) {
      ZM_ASSIGN_OR_RETURN(active, models_->ForQuestion(tx, q.id));
    }
    if (ApplySupervisedModels(doc, active, text, follow_up, l.model)) {
      for (const auto& m : doc["models"]) {
        bool seen = false;
        for (const auto& u : used_models) seen = seen || u == m;
        if (!seen) used_models.push_back(m);
      }
    }
    for (size_t i = 0; i < result.dimensions.size(); ++i) {
      const json& dd = doc["dimensions"][i];
      const bool by_model = dd.value("scorer", "") == kSupervisedScorerName;
      per_question.push_back({q.id, result.dimensions[i].dimension_key,
                              by_model ? dd["score"].get<double>() : result.dimensions[i].score,
                              1.0});
    }
    answer_docs.push_back(std::move(doc));
  }
  auto dims = scoring::AggregateDimensions(per_question);
  Scored s;
  s.overall = scoring::OverallScore(dims, l.model);
  auto match = scoring::JobMatchPercent(dims, l.model);
  if (s.overall)
    s.recommendation = std::string(scoring::ToString(scoring::Recommend(*s.overall, l.thresholds)));
  json dim_docs = json::array();
  for (const auto& d : l.model.dimensions) {
    auto it = std::ranges::find(dims, d.key, &scoring::DimensionScore::dimension_key);
    if (it == dims.end()) continue;
    int level = scoring::ScoreToLevel(it->score);
    dim_docs.push_back({{"dimension_key", d.key},
                        {"score", Round1(it->score)},
                        {"level", level},
                        {"question_count", it->question_count}});
  }
  const bool supervised = !used_models.empty();
  s.result = {{"scorer", supervised ? kSupervisedScorerName : scoring::kRubricScorerName},
              {"scorer_version", scoring::kRubricScorerVersion},
              {"models", std::move(used_models)},
              {"dimensions", std::move(dim_docs)},
              {"overall", Round1OrNull(s.overall)},
              {"job_match", Round1OrNull(match)},
              {"recommendation", s.recommendation ? json(*s.recommendation) : json(nullptr)},
              {"answers", std::move(answer_docs)}};
  return s;
}

// Recomputes the effective scores of the current version with HR's overrides applied (the
// newest override per dimension wins; an overall override replaces the weighted mean) and
// stores them on the interview and in dimension_scores.
Status InterviewService::ApplyEffectiveScores(Tx& tx, Loaded& l) {
  ZM_ASSIGN_OR_RETURN(auto score, storage::GetScore(tx, l.rec.id, l.rec.score_version));
  if (!score) return Ok();
  json result = json::parse(score->result, nullptr, false);
  ZM_ASSIGN_OR_RETURN(auto overrides, storage::ListOverrides(tx, l.rec.id));
  std::map<std::string, double> effective;
  for (const auto& d : result["dimensions"])
    effective[d["dimension_key"].get<std::string>()] = d["score"].get<double>();
  std::optional<double> overall_override;
  for (const auto& o : overrides) {
    if (o.dimension_key.empty())
      overall_override = o.score;
    else
      effective[o.dimension_key] = o.score;
  }
  std::vector<scoring::DimensionScore> dims;
  for (const auto& [key, value] : effective) dims.push_back({key, value, 1, 1});
  std::optional<double> overall =
      overall_override ? overall_override : scoring::OverallScore(dims, l.model);
  l.rec.overall = overall;
  l.rec.recommendation.reset();
  if (overall)
    l.rec.recommendation =
        std::string(scoring::ToString(scoring::Recommend(*overall, l.thresholds)));
  ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
  return storage::ReplaceDimensionScores(tx, l.rec.id, l.rec.job_id, effective);
}

Status InterviewService::StoreScore(Tx& tx, const Context& ctx, Loaded& l, Scored scored,
                                    std::string_view action) {
  int64_t now = NowMillis();
  storage::ScoreRecord r;
  r.interview_id = l.rec.id;
  r.version = l.rec.score_version + 1;
  r.scorer = scored.result.value("scorer", std::string(scoring::kRubricScorerName));
  r.scorer_version = std::string(scoring::kRubricScorerVersion);
  r.overall = scored.overall;
  r.recommendation = scored.recommendation;
  r.result = scored.result.dump();
  r.created_by = std::string(ctx.principal.ActorType()) + ":" + ctx.principal.id;
  r.created_at = now;
  ZM_RETURN_IF_ERROR(storage::InsertScore(tx, r));
  l.rec.score_version = r.version;
  l.rec.updated_at = now;
  ZM_RETURN_IF_ERROR(ApplyEffectiveScores(tx, l));
  return security::AppendAudit(
      tx, ctx,
      {std::string(action), "interview", l.rec.id,
       Changes({}, json{{"version", r.version},
                        {"scorer", r.scorer},
                        {"scorer_version", r.scorer_version},
                        {"overall", Round1OrNull(r.overall)},
                        {"recommendation",
                         r.recommendation ? json(*r.recommendation) : json(nullptr)}})});
}

Status InterviewService::EmitInterviewEvent(Tx& tx, const Loaded& l, const std::string& type,
                                            json data) {
  ZM_ASSIGN_OR_RETURN(auto app, storage::GetApplication(tx, l.rec.application_id));
  if (!app) return Ok();
  data["interview_id"] = l.rec.id;
  return workflow::EmitApplicationEvent(tx, cipher_, type, *app, data.dump());
}

Status InterviewService::EmitScored(Tx& tx, const Loaded& l, std::string_view cause) {
  ZM_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT dimension_key, score FROM dimension_scores "
                                          "WHERE interview_id = ? ORDER BY dimension_key",
                                          {l.rec.id}));
  json dims = json::object();
  for (const auto& r : rows.rows)
    dims[r.Text(0)] = r.IsNull(1) ? json(nullptr) : Round1OrNull(r.Double(1));
  return EmitInterviewEvent(
      tx, l, "interview.scored",
      {{"cause", cause},
       {"score_version", l.rec.score_version},
       {"overall", Round1OrNull(l.rec.overall)},
       {"recommendation", l.rec.recommendation ? json(*l.rec.recommendation) : json(nullptr)},
       {"dimensions", std::move(dims)}});
}

Result<json> InterviewService::Finish(const Context& ctx, const std::string& token) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    ZM_RETURN_IF_ERROR(CheckAnswering(l));
    Context cctx = CandidateContext(ctx, l.rec.id);
    int64_t now = NowMillis();
    int64_t answered = 0;
    ZM_ASSIGN_OR_RETURN(auto answers, storage::ListAnswers(tx, l.rec.id));
    for (auto& item : l.items) {
      if (LastAttempt(answers, item.position, "answer")) ++answered;
      if (!item.completed_at) {
        item.completed_at = now;
        ZM_RETURN_IF_ERROR(storage::UpdateItem(tx, item));
      }
    }
    l.rec.status = StatusOf(domain::InterviewStatus::kCompleted);
    l.rec.finished_at = now;
    l.rec.current_position = l.rec.question_count;
    l.rec.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, cctx,
        {"interview.finish", "interview", l.rec.id,
         Changes({}, json{{"answered", answered}, {"question_count", l.rec.question_count}})}));
    ZM_ASSIGN_OR_RETURN(auto scored, ScoreInterview(tx, l));
    ZM_RETURN_IF_ERROR(StoreScore(tx, cctx, l, std::move(scored), "interview.scored"));
    ZM_RETURN_IF_ERROR(
        AdvanceStage(tx, cipher_, cctx, l.rec.application_id, domain::Stage::kInterviewCompleted));
    // Transactional outbox: the automation rules run on this event in a worker, and the event
    // exists exactly when the finish committed. Ids only in the payload.
    jobs::NewJob event;
    event.kind = "interview.completed";
    event.payload_json =
        json{{"interview_id", l.rec.id}, {"application_id", l.rec.application_id}}.dump();
    event.idempotency_key = "interview.completed:" + l.rec.id;
    ZM_RETURN_IF_ERROR(jobs::Enqueue(tx, event));
    ZM_RETURN_IF_ERROR(EmitInterviewEvent(tx, l, "interview.completed",
                                          {{"finished_at", Time(now)},
                                           {"answered", answered},
                                           {"question_count", l.rec.question_count}}));
    ZM_RETURN_IF_ERROR(EmitScored(tx, l, "finished"));
    return json{{"status", l.rec.status},
                {"finished_at", Time(now)},
                {"scored", l.rec.score_version > 0},
                {"answered", answered},
                {"question_count", l.rec.question_count},
                {"report_available", false}};
  });
}

// ---- HR view ----

Result<json> InterviewService::HrView(Tx& tx, const Context& ctx, const Loaded& l) {
  int64_t now = NowMillis();
  ZM_ASSIGN_OR_RETURN(auto answers, storage::ListAnswers(tx, l.rec.id));
  ZM_ASSIGN_OR_RETURN(auto counts, storage::CountIntegrityEvents(tx, l.rec.id));
  ZM_ASSIGN_OR_RETURN(auto versions, storage::ListScores(tx, l.rec.id, false));
  ZM_ASSIGN_OR_RETURN(auto overrides, storage::ListOverrides(tx, l.rec.id));
  std::optional<json> result;
  if (l.rec.score_version > 0) {
    ZM_ASSIGN_OR_RETURN(auto score, storage::GetScore(tx, l.rec.id, l.rec.score_version));
    if (score) result = json::parse(score->result, nullptr, false);
  }

  auto integrity_for = [&](int64_t position) {
    json out = json::object();
    for (auto kind : domain::AllIntegrityEventKinds()) out[domain::ToString(kind)] = 0;
    int64_t total = 0;
    for (const auto& c : counts)
      if (position == -2 || c.position == position) {
        out[c.kind] = out[c.kind].get<int64_t>() + c.count;
        total += c.count;
      }
    out["total"] = total;
    return out;
  };

  json questions = json::array();
  for (size_t pos = 0; pos < l.questions.size(); ++pos) {
    const auto& q = l.questions[pos];
    const auto& item = l.items[pos];
    json attempts = json::array();
    json follow_up_answer = nullptr;
    for (const auto& a : answers) {
      if (a.position != static_cast<int64_t>(pos)) continue;
      ZM_ASSIGN_OR_RETURN(auto text, Open(a.text_enc, AnswerAad(a.id)));
      json doc = {{"id", a.id},
                  {"attempt", a.attempt},
                  {"text", text},
                  {"chars", a.text_chars},
                  {"elapsed_ms", a.elapsed_ms},
                  {"late", a.late},
                  {"submitted_at", Time(a.submitted_at)}};
      if (a.kind == "answer") {
        doc["scored"] = false;
        attempts.push_back(std::move(doc));
      } else {
        follow_up_answer = std::move(doc);
      }
    }
    if (!attempts.empty()) attempts.back()["scored"] = true;  // the last attempt is scored
    json fb = FeedbackOf(item);
    json answer_score = nullptr;
    if (result)
      for (const auto& a : (*result)["answers"])
        if (a["position"] == pos) answer_score = a;
    json dimension_keys = json::array();
    for (const auto& k : q.dimension_keys) dimension_keys.push_back(k);
    questions.push_back(
        {{"position", pos},
         {"question_id", q.id},
         {"section", {{"key", l.sections[pos].first}, {"title", l.sections[pos].second}}},
         {"type", domain::ToString(q.type)},
         {"text", {{"zh", q.text.zh}, {"en", q.text.en}}},
         {"dimension_keys", std::move(dimension_keys)},
         {"shown_at", TimeOrNull(item.shown_at)},
         {"completed_at", TimeOrNull(item.completed_at)},
         {"attempts", std::move(attempts)},
         {"feedback", NoteView(fb)},
         {"follow_up", FollowUpView(fb, "answer", follow_up_answer)},
         {"integrity", integrity_for(static_cast<int64_t>(pos))},
         {"score", answer_score}});
  }

  json score = nullptr;
  if (result) {
    ZM_ASSIGN_OR_RETURN(auto cohort, storage::CohortOverall(tx, l.rec.job_id));
    std::optional<double> percentile;
    if (l.rec.overall) percentile = scoring::Percentile(*l.rec.overall, cohort);
    std::map<std::string, const storage::OverrideRecord*> latest;
    const storage::OverrideRecord* overall_override = nullptr;
    for (const auto& o : overrides) {
      if (o.dimension_key.empty())
        overall_override = &o;
      else
        latest[o.dimension_key] = &o;
    }
    json dims = json::array();
    for (const auto& d : (*result)["dimensions"]) {
      std::string key = d["dimension_key"];
      const auto* model_dim = l.model.FindDimension(key);
      double original = d["score"].get<double>();
      auto it = latest.find(key);
      double effective = it != latest.end() ? it->second->score : original;
      // Explanations and indicators per dimension across the answers that cover it.
      json evidence = json::array();
      for (const auto& a : (*result)["answers"])
        for (const auto& ad : a["dimensions"])
          if (ad["dimension_key"] == key)
            evidence.push_back({{"position", a["position"]},
                                {"score", ad["score"]},
                                {"explanation_zh", ad["explanation_zh"]},
                                {"explanation_en", ad["explanation_en"]}});
      int level = scoring::ScoreToLevel(effective);
      dims.push_back({{"dimension_key", key},
                      {"name", model_dim ? model_dim->name : key},
                      {"name_en", model_dim ? model_dim->name_en : ""},
                      {"weight", model_dim ? model_dim->weight : 0.0},
                      {"score", Round1(effective)},
                      {"original_score", Round1(original)},
                      {"overridden", it != latest.end()},
                      {"level", level},
                      {"level_anchor", model_dim && level >= 1 && level <= 5
                                           ? json(model_dim->level_anchors[level - 1])
                                           : json("")},
                      {"question_count", d["question_count"]},
                      {"answers", std::move(evidence)}});
    }
    json flags = json::array();
    for (const auto& a : (*result)["answers"])
      for (const auto& f : a["flags"]) {
        json flag = f;
        flag["position"] = a["position"];
        flags.push_back(std::move(flag));
      }
    score = {
        {"version", l.rec.score_version},
        {"scorer", (*result)["scorer"]},
        {"scorer_version", (*result)["scorer_version"]},
        {"overall", Round1OrNull(l.rec.overall)},
        {"original_overall", (*result)["overall"]},
        {"overall_overridden", overall_override != nullptr},
        {"job_match", (*result)["job_match"]},
        {"percentile", Round1OrNull(percentile)},
        {"cohort_size", cohort.size()},
        {"recommendation", l.rec.recommendation ? json(*l.rec.recommendation) : json(nullptr)},
        {"thresholds", {{"recommend", l.thresholds.recommend}, {"review", l.thresholds.review}}},
        {"dimensions", std::move(dims)},
        {"flags", std::move(flags)}};
  }

  json version_docs = json::array();
  for (const auto& v : versions)
    version_docs.push_back(
        {{"version", v.version},
         {"scorer", v.scorer},
         {"scorer_version", v.scorer_version},
         {"overall", Round1OrNull(v.overall)},
         {"recommendation", v.recommendation ? json(*v.recommendation) : json(nullptr)},
         {"created_by", v.created_by},
         {"created_at", Time(v.created_at)},
         {"current", v.version == l.rec.score_version}});
  json override_docs = json::array();
  for (const auto& o : overrides) {
    ZM_ASSIGN_OR_RETURN(auto reason, Open(o.reason_enc, "score_override:" + o.id));
    override_docs.push_back(
        {{"id", o.id},
         {"dimension_key", o.dimension_key.empty() ? json(nullptr) : json(o.dimension_key)},
         {"score", Round1(o.score)},
         {"original", Round1OrNull(o.original)},
         {"reason", reason},
         {"actor_id", o.actor_id},
         {"created_at", Time(o.created_at)}});
  }
  json consent = {
      {"given", l.rec.consented_at.has_value()},
      {"version", l.rec.consent_version ? json(*l.rec.consent_version) : json(nullptr)},
      {"at", TimeOrNull(l.rec.consented_at)},
      {"audio_video_analysis", l.rec.audio_video_consent},
      {"user_agent", l.rec.consent_user_agent ? json(*l.rec.consent_user_agent) : json(nullptr)},
      {"ip", nullptr}};
  // The consent IP is personal data: only for callers allowed to read PII.
  if (l.rec.consent_ip_enc && ctx.principal.Has(security::Permission::kPiiRead)) {
    ZM_ASSIGN_OR_RETURN(auto ip,
                        Open(*l.rec.consent_ip_enc, "interview:" + l.rec.id + ":consent_ip"));
    consent["ip"] = ip;
  }
  return json{{"interview", InterviewJson(l.rec, now)},
              {"job", {{"id", l.rec.job_id}, {"title", l.job_title}}},
              {"consent", std::move(consent)},
              {"questions", std::move(questions)},
              {"integrity", integrity_for(-2)},
              {"score", std::move(score)},
              {"score_versions", std::move(version_docs)},
              {"overrides", std::move(override_docs)}};
}

Result<json> InterviewService::GetForApplication(const Context& ctx,
                                                 const std::string& application_id) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, false));
    return HrView(tx, ctx, l);
  });
}

Result<json> InterviewService::Override(const Context& ctx, const std::string& application_id,
                                        domain::ScoreOverride o) {
  ZM_RETURN_IF_ERROR(domain::ValidateScoreOverride(o));
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, true));
    if (l.rec.score_version == 0)
      return Conflict("not_finished", "the interview has no score to override yet");
    if (!o.dimension_key.empty() && !l.model.FindDimension(o.dimension_key))
      return InvalidArgument("invalid score override",
                             {{"dimension_key", "not a dimension of the job's model"}});
    // The value the override replaces (effective before this change) stays visible.
    if (o.dimension_key.empty()) {
      o.original = l.rec.overall;
    } else {
      ZM_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT score FROM dimension_scores WHERE "
                                              "interview_id = ? AND dimension_key = ?",
                                              {l.rec.id, o.dimension_key}));
      if (!rows.rows.empty()) o.original = rows.rows[0].Double(0);
    }
    o.id = NewId();
    o.actor_id = ctx.principal.id;
    o.created_at = NowMillis();
    ZM_ASSIGN_OR_RETURN(auto reason_enc, Seal(o.reason, "score_override:" + o.id));
    ZM_RETURN_IF_ERROR(
        storage::InsertOverride(tx, {o.id, l.rec.id, o.dimension_key, o.score, o.original,
                                     reason_enc, o.actor_id, o.created_at}));
    json before = {
        {"overall", Round1OrNull(l.rec.overall)},
        {"recommendation", l.rec.recommendation ? json(*l.rec.recommendation) : json(nullptr)}};
    l.rec.updated_at = o.created_at;
    ZM_RETURN_IF_ERROR(ApplyEffectiveScores(tx, l));
    // The reason is free text that may name people: the audit log keeps only that one exists.
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"interview.score_override", "interview", l.rec.id,
         Changes(before, json{{"dimension_key",
                               o.dimension_key.empty() ? json(nullptr) : json(o.dimension_key)},
                              {"score", o.score},
                              {"original", Round1OrNull(o.original)},
                              {"override_id", o.id},
                              {"overall", Round1OrNull(l.rec.overall)},
                              {"recommendation", l.rec.recommendation ? json(*l.rec.recommendation)
                                                                      : json(nullptr)}})}));
    ZM_RETURN_IF_ERROR(EmitScored(tx, l, "override"));
    return HrView(tx, ctx, l);
  });
}

Result<json> InterviewService::Rescore(const Context& ctx, const std::string& application_id) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, true));
    if (l.status() != domain::InterviewStatus::kCompleted)
      return Conflict("not_finished", "only a finished interview can be rescored");
    ZM_ASSIGN_OR_RETURN(auto scored, ScoreInterview(tx, l));
    ZM_RETURN_IF_ERROR(StoreScore(tx, ctx, l, std::move(scored), "interview.rescored"));
    ZM_RETURN_IF_ERROR(EmitScored(tx, l, "rescored"));
    return HrView(tx, ctx, l);
  });
}

Result<json> InterviewService::ReleaseReport(const Context& ctx,
                                             const std::string& application_id) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByApplication(tx, ctx, application_id, true));
    if (l.status() != domain::InterviewStatus::kCompleted)
      return Conflict("not_finished", "the report can be released once the interview is finished");
    int64_t now = NowMillis();
    if (!l.rec.report_released_at) {
      l.rec.report_released_at = now;
      l.rec.updated_at = now;
      ZM_RETURN_IF_ERROR(storage::UpdateInterview(tx, l.rec));
      ZM_RETURN_IF_ERROR(
          security::AppendAudit(tx, ctx,
                                {"interview.report_released", "interview", l.rec.id,
                                 Changes({}, json{{"report_released_at", Time(now)}})}));
    }
    return InterviewJson(l.rec, now);
  });
}

// ---- candidate report and human review ----

namespace {

domain::Course CourseFromRecord(const storage::CourseRecord& r) {
  return {r.id,
          r.title,
          r.title_en,
          r.url,
          r.description,
          r.dimension_keys,
          static_cast<int>(r.max_level),
          r.created_at,
          r.updated_at};
}

json CourseLink(const storage::CourseRecord& c) {
  return {{"id", c.id}, {"title", c.title}, {"title_en", c.title_en}, {"url", c.url}};
}

}  // namespace

Result<json> InterviewService::Report(const Context&, const std::string& token) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, false));
    if (l.status() != domain::InterviewStatus::kCompleted || !l.rec.report_released_at ||
        l.rec.score_version == 0)
      return Conflict("report_not_released",
                      "the report is not available yet; the organisation releases it after review");
    ZM_ASSIGN_OR_RETURN(auto score, storage::GetScore(tx, l.rec.id, l.rec.score_version));
    if (!score) return Internal("score version missing");
    json result = json::parse(score->result, nullptr, false);
    ZM_ASSIGN_OR_RETURN(auto effective_rows,
                        tx.Query("SELECT dimension_key, score FROM dimension_scores WHERE "
                                 "interview_id = ?",
                                 {l.rec.id}));
    std::map<std::string, double> effective;
    for (const auto& r : effective_rows.rows) effective[r.Text(0)] = r.Double(1);
    ZM_ASSIGN_OR_RETURN(auto courses, storage::AllCourses(tx));

    json dims = json::array(), strengths = json::array(), improvements = json::array();
    json all_courses = json::array();
    std::vector<std::string> recommended_ids;
    for (const auto& d : l.model.dimensions) {
      auto it = effective.find(d.key);
      if (it == effective.end()) continue;
      // Indicators shown in no answer are what to work on.
      std::map<std::string, scoring::IndicatorResult> missing, found;
      for (const auto& a : result["answers"])
        for (const auto& ad : a["dimensions"]) {
          if (ad["dimension_key"] != d.key) continue;
          for (const auto& ind : ad["indicators"]) {
            scoring::IndicatorResult r;
            r.key = ind.value("key", "");
            r.name = ind.value("name", "");
            r.name_en = ind.value("name_en", "");
            r.from_key_point = ind.value("from_key_point", false);
            r.found = ind.value("found", false);
            (r.found ? found : missing)[r.key] = r;
          }
        }
      std::vector<scoring::IndicatorResult> missing_list;
      for (auto& [key, r] : missing)
        if (!found.contains(key) && !r.from_key_point) missing_list.push_back(r);
      auto advice = scoring::AdviseDimension(d, it->second, missing_list);
      int level = scoring::ScoreToLevel(it->second);
      json dim_courses = json::array();
      if (!advice.strength)
        for (const auto& c : courses)
          if (std::ranges::find(c.dimension_keys, d.key) != c.dimension_keys.end() &&
              level <= c.max_level) {
            dim_courses.push_back(CourseLink(c));
            if (std::ranges::find(recommended_ids, c.id) == recommended_ids.end()) {
              recommended_ids.push_back(c.id);
              all_courses.push_back(CourseLink(c));
            }
          }
      (advice.strength ? strengths : improvements)
          .push_back({{"dimension_key", d.key}, {"name", d.name}, {"name_en", d.name_en}});
      dims.push_back({{"dimension_key", d.key},
                      {"name", d.name},
                      {"name_en", d.name_en},
                      {"weight", d.weight},
                      {"score", Round1(it->second)},
                      {"level", level},
                      {"level_anchor", d.level_anchors[static_cast<size_t>(level - 1)]},
                      {"strength", advice.strength},
                      {"summary_zh", advice.summary_zh},
                      {"summary_en", advice.summary_en},
                      {"advice_zh", advice.advice_zh},
                      {"advice_en", advice.advice_en},
                      {"courses", std::move(dim_courses)}});
    }
    return json{
        {"organisation", l.organisation},
        {"job_title", l.job_title},
        {"finished_at", TimeOrNull(l.rec.finished_at)},
        {"overall", Round1OrNull(l.rec.overall)},
        {"level", l.rec.overall ? json(scoring::ScoreToLevel(*l.rec.overall)) : json(nullptr)},
        {"dimensions", std::move(dims)},
        {"strengths", std::move(strengths)},
        {"improvements", std::move(improvements)},
        {"recommended_courses", std::move(all_courses)},
        {"human_review",
         {{"zh",
           "本结果由系统自动评分，最终决定由招聘人员作出。如对结果有疑问，你可以申请人工复核。"},
          {"en",
           "This result was scored automatically; a recruiter makes the decision. "
           "You may ask for a human review of it."}}}};
  });
}

Result<json> InterviewService::RequestHumanReview(const Context& ctx, const std::string& token,
                                                  const std::string& reason) {
  domain::FieldErrors errors;
  domain::CheckText(errors, "reason", reason, 0, domain::kReviewReasonMax);
  ZM_RETURN_IF_ERROR(errors.ToStatus("invalid review request"));
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto l, LoadByToken(tx, token, true));
    if (l.status() != domain::InterviewStatus::kCompleted)
      return Conflict("not_finished", "a review can be requested once the interview is finished");
    ZM_ASSIGN_OR_RETURN(
        auto open,
        storage::ListTasks(tx,
                           {std::string("open"), std::string("human_review"), l.rec.application_id,
                            std::nullopt, std::string("candidate")},
                           {std::nullopt, 1}));
    if (!open.items.empty())
      return Conflict("review_already_requested", "a human review is already pending");
    int64_t now = NowMillis();
    storage::TaskRecord t;
    t.id = NewId();
    t.kind = "human_review";
    t.origin = "candidate";
    t.status = std::string(domain::ToString(domain::TaskStatus::kOpen));
    t.application_id = l.rec.application_id;
    t.department_id = l.rec.department_id;
    t.title = "候选人申请人工复核 / Candidate requests a human review";
    ZM_ASSIGN_OR_RETURN(t.detail_enc, Seal(reason, "task:" + t.id + ":detail"));
    t.created_at = t.updated_at = now;
    ZM_RETURN_IF_ERROR(storage::InsertTask(tx, t));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, CandidateContext(ctx, l.rec.id),
        {"task.create", "task", t.id,
         Changes({}, json{{"kind", t.kind}, {"application_id", t.application_id}})}));
    return json{{"task_id", t.id}, {"status", t.status}, {"created_at", Time(now)}};
  });
}

// ---- courses ----

Result<storage::Page<domain::Course>> InterviewService::ListCourses(
    const Context&, const std::optional<std::string>& dimension, const storage::PageRequest& page) {
  return db_.ReadValue<storage::Page<domain::Course>>(
      [&](Tx& tx) -> Result<storage::Page<domain::Course>> {
        ZM_ASSIGN_OR_RETURN(auto records, storage::ListCourses(tx, dimension, page));
        storage::Page<domain::Course> out;
        out.next_cursor = records.next_cursor;
        for (const auto& r : records.items) out.items.push_back(CourseFromRecord(r));
        return out;
      });
}

Result<domain::Course> InterviewService::GetCourse(const Context&, const std::string& id) {
  return db_.ReadValue<domain::Course>([&](Tx& tx) -> Result<domain::Course> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetCourse(tx, id));
    if (!r) return NotFound("course");
    return CourseFromRecord(*r);
  });
}

namespace {
storage::CourseRecord CourseRecordOf(const domain::Course& c) {
  return {c.id,        c.title,      c.title_en,  c.url, c.description, c.dimension_keys,
          c.max_level, c.created_at, c.updated_at};
}
}  // namespace

Result<domain::Course> InterviewService::CreateCourse(const Context& ctx, domain::Course c) {
  ZM_RETURN_IF_ERROR(domain::ValidateCourse(c));
  c.id = NewId();
  c.created_at = c.updated_at = NowMillis();
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(storage::InsertCourse(tx, CourseRecordOf(c)));
    return security::AppendAudit(
        tx, ctx, {"course.create", "course", c.id, Changes({}, zm::json::ToJson(c))});
  }));
  return c;
}

Result<domain::Course> InterviewService::UpdateCourse(const Context& ctx, const std::string& id,
                                                      const domain::CoursePatch& patch) {
  return db_.WriteValue<domain::Course>([&](Tx& tx) -> Result<domain::Course> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetCourse(tx, id));
    if (!r) return NotFound("course");
    domain::Course before = CourseFromRecord(*r);
    domain::Course c = before;
    patch.Apply(c);
    ZM_RETURN_IF_ERROR(domain::ValidateCourse(c));
    c.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(storage::UpdateCourse(tx, CourseRecordOf(c)));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"course.update", "course", id, Changes(zm::json::ToJson(before), zm::json::ToJson(c))}));
    return c;
  });
}

Status InterviewService::DeleteCourse(const Context& ctx, const std::string& id) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetCourse(tx, id));
    if (!r) return NotFound("course");
    ZM_RETURN_IF_ERROR(storage::DeleteCourse(tx, id));
    return security::AppendAudit(
        tx, ctx,
        {"course.delete", "course", id, Changes(zm::json::ToJson(CourseFromRecord(*r)), {})});
  });
}

// ---- tasks ----

namespace {
Result<domain::Task> OpenTask(const security::FieldCipher& cipher, const storage::TaskRecord& r) {
  domain::Task t;
  t.id = r.id;
  t.kind = r.kind;
  t.status = domain::ParseTaskStatus(r.status).value_or(domain::TaskStatus::kOpen);
  t.application_id = r.application_id;
  t.department_id = r.department_id;
  t.title = r.title;
  t.origin = r.origin;
  ZM_ASSIGN_OR_RETURN(t.detail, cipher.Decrypt(r.detail_enc, "task:" + r.id + ":detail"));
  t.resolution = r.resolution;
  t.resolved_by = r.resolved_by;
  t.resolved_at = r.resolved_at;
  t.created_at = r.created_at;
  t.updated_at = r.updated_at;
  return t;
}
}  // namespace

Result<storage::Page<domain::Task>> InterviewService::ListTasks(const Context& ctx,
                                                                const TaskFilter& f,
                                                                const storage::PageRequest& page) {
  ZM_RETURN_IF_ERROR(domain::ValidateTaskFilter(f.status, f.kind));
  return db_.ReadValue<storage::Page<domain::Task>>(
      [&](Tx& tx) -> Result<storage::Page<domain::Task>> {
        ZM_ASSIGN_OR_RETURN(
            auto records,
            storage::ListTasks(
                tx, {f.status, f.kind, f.application_id, ctx.principal.department_scope}, page));
        storage::Page<domain::Task> out;
        out.next_cursor = records.next_cursor;
        for (const auto& r : records.items) {
          ZM_ASSIGN_OR_RETURN(auto t, OpenTask(cipher_, r));
          out.items.push_back(std::move(t));
        }
        return out;
      });
}

Result<domain::Task> InterviewService::ResolveTask(const Context& ctx, const std::string& id,
                                                   const std::string& resolution) {
  domain::FieldErrors errors;
  domain::CheckText(errors, "resolution", resolution, 1, domain::kTaskResolutionMax);
  ZM_RETURN_IF_ERROR(errors.ToStatus("invalid task update"));
  return db_.WriteValue<domain::Task>([&](Tx& tx) -> Result<domain::Task> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetTask(tx, id));
    if (!r || !ctx.principal.InScope(r->department_id)) return NotFound("task");
    if (r->status == "done") return Conflict("task_done", "the task is already resolved");
    int64_t now = NowMillis();
    r->status = "done";
    r->resolution = resolution;
    r->resolved_by = ctx.principal.id;
    r->resolved_at = now;
    r->updated_at = now;
    ZM_RETURN_IF_ERROR(storage::UpdateTask(tx, *r));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"task.resolve", "task", id, Changes(json{{"status", "open"}}, json{{"status", "done"}})}));
    return OpenTask(cipher_, *r);
  });
}

}  // namespace zm::services
