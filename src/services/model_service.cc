#include "services/model_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/time.h"
#include "jobs/queue.h"
#include "jobs/worker.h"
#include "scoring/supervised/supervised.h"
#include "security/audit_log.h"
#include "security/crypto.h"
#include "services/audit_changes.h"
#include "services/documents.h"
#include "storage/hiring_repository.h"
#include "storage/model_repository.h"

namespace zm::services {
namespace {

using nlohmann::json;
using storage::Tx;
namespace sv = scoring::supervised;

constexpr size_t kRatingTextMax = 20000;  // like a reference answer
constexpr size_t kImportProblemsMax = 100;

std::string RatingAad(const std::string& rating_id) { return "answer_rating:" + rating_id; }
std::string AnswerAad(const std::string& answer_id) { return "interview_answer:" + answer_id; }

json Time(int64_t ms) { return FormatIso8601(ms); }
json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? json(FormatIso8601(*ms)) : json(nullptr);
}
json DimensionOrNull(const std::string& key) { return key.empty() ? json(nullptr) : json(key); }
double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::unexpected<Error> Invalid(std::string field, std::string message) {
  return InvalidArgument("invalid rating", {{std::move(field), std::move(message)}});
}

bool ValidDimensionKeyFormat(std::string_view k) {
  if (k.empty() || k.size() > 40 || k[0] < 'a' || k[0] > 'z') return false;
  return std::ranges::all_of(
      k, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// "" (the whole answer) or one of the question's dimensions (any well-formed key when the
// question names none: it then covers every dimension of the job's model).
Status CheckDimension(const domain::Question& q, const std::string& key) {
  if (key.empty()) return Ok();
  bool ok = q.dimension_keys.empty()
                ? ValidDimensionKeyFormat(key)
                : std::ranges::find(q.dimension_keys, key) != q.dimension_keys.end();
  if (!ok)
    return InvalidArgument("unknown dimension",
                           {{"dimension_key", "must be one of the question's dimension_keys"}});
  return Ok();
}

Result<domain::Question> LoadQuestion(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto r, storage::GetQuestion(tx, id));
  if (!r) return NotFound("question");
  return FromRecord(*r);
}

// What the reference features of a model compare answers with: the question's first reference
// answer, else its text. Stored inside the model (TrainingSet::prompt).
std::string PromptOf(const domain::Question& q) {
  if (!q.reference_answers.empty()) return q.reference_answers.front().text;
  return q.text.zh.empty() ? q.text.en : q.text.zh;
}

json ModelView(const storage::ModelRecord& m) {
  json metrics = nullptr;
  if (m.metrics) metrics = json::parse(*m.metrics, nullptr, false);
  if (metrics.is_discarded()) metrics = nullptr;
  json options = json::parse(m.options, nullptr, false);
  if (options.is_discarded()) options = json::object();
  return {{"id", m.id},
          {"question_id", m.question_id},
          {"dimension_key", DimensionOrNull(m.dimension_key)},
          {"version", m.version},
          {"status", m.status},
          {"progress", Round3(m.progress)},
          {"error", m.error ? json(*m.error) : json(nullptr)},
          {"max_label", m.max_label},
          {"examples", m.examples},
          {"data_hash", m.data_hash ? json(*m.data_hash) : json(nullptr)},
          {"options", std::move(options)},
          {"cv_qwk", m.cv_qwk ? json(Round3(*m.cv_qwk)) : json(nullptr)},
          {"cv_pearson", m.cv_pearson ? json(Round3(*m.cv_pearson)) : json(nullptr)},
          {"metrics", std::move(metrics)},
          {"active", m.active},
          {"activated_at", TimeOrNull(m.activated_at)},
          {"created_by", m.created_by},
          {"created_at", Time(m.created_at)},
          {"started_at", TimeOrNull(m.started_at)},
          {"finished_at", TimeOrNull(m.finished_at)}};
}

json MetricsJson(const sv::TrainReport& r, const std::vector<int64_t>& label_counts) {
  json learners = json::array();
  for (const auto& l : r.learners)
    learners.push_back({{"name", l.name},
                        {"weight", Round3(l.weight)},
                        {"cv_pearson", Round3(l.cv_pearson)},
                        {"cv_qwk", Round3(l.cv_qwk)}});
  json thresholds = json::array();
  for (double t : r.thresholds) thresholds.push_back(Round3(t));
  return {{"examples", r.examples},
          {"max_label", r.max_label},
          {"label_counts", label_counts},
          {"cv_qwk", Round3(r.cv_qwk)},
          {"cv_qwk_rounded", Round3(r.cv_qwk_rounded)},
          {"cv_pearson", Round3(r.cv_pearson)},
          {"thresholds", std::move(thresholds)},
          {"learners", std::move(learners)},
          {"vocabulary", r.vocabulary},
          {"train_seconds", std::round(r.train_seconds * 100.0) / 100.0}};
}

std::string ActorOf(const Context& ctx) {
  return std::string(ctx.principal.ActorType()) + ":" + ctx.principal.id;
}

Context SystemContext() {
  Context c;
  c.principal = security::Principal::System();
  return c;
}

std::unexpected<Error> NotEnoughRatings(int64_t have, int need, const std::string& dimension) {
  std::string dim_zh = dimension.empty() ? "整体回答" : "维度 " + dimension;
  std::string dim_en = dimension.empty() ? "the whole answer" : "dimension " + dimension;
  return Conflict("not_enough_ratings",
                  "该题目（" + dim_zh + "）只有 " + std::to_string(have) + " 条评分，至少需要 " +
                      std::to_string(need) + " 条才能训练模型；在此之前继续使用规则评分器。 / " +
                      "This question has " + std::to_string(have) + " rated answers for " + dim_en +
                      "; training needs at least " + std::to_string(need) +
                      ". Until then the rubric scorer scores it.",
                  {{"ratings", std::to_string(have) + " of " + std::to_string(need) + " needed"}});
}

}  // namespace

// ---- ModelCache ----

Result<std::vector<ModelCache::Active>> ModelCache::ForQuestion(Tx& tx,
                                                                const std::string& question_id) {
  ZM_ASSIGN_OR_RETURN(auto records, storage::ActiveModels(tx, question_id));
  std::vector<Active> out;
  for (const auto& r : records) {
    std::shared_ptr<const sv::Model> model;
    {
      std::lock_guard lock(mu_);
      auto it = by_id_.find(r.id);
      if (it != by_id_.end()) model = it->second.model;
    }
    if (!model) {
      ZM_ASSIGN_OR_RETURN(auto bytes, storage::GetModelBytes(tx, r.id));
      if (!bytes) continue;
      auto loaded = sv::Model::Load(*bytes);
      if (!loaded) {
        Log(LogLevel::kError, "model_load_failed",
            {{"model_id", r.id}, {"error", loaded.error().message}});
        continue;
      }
      model = std::make_shared<const sv::Model>(std::move(*loaded));
      std::lock_guard lock(mu_);
      by_id_.emplace(r.id, Entry{question_id, model});
    }
    out.push_back({r.id, r.dimension_key, r.version, static_cast<int>(r.max_label), model});
  }
  std::lock_guard lock(mu_);
  std::erase_if(by_id_, [&](const auto& kv) {
    return kv.second.question_id == question_id &&
           std::ranges::none_of(records, [&](const auto& r) { return r.id == kv.first; });
  });
  return out;
}

// ---- ModelService ----

ModelService::ModelService(storage::Database& db, const security::FieldCipher& cipher,
                           ModelSettings settings)
    : db_(db), cipher_(cipher), settings_(settings) {}

namespace {

jobs::NewJob TrainJob(const std::string& model_id) {
  // At most 3 attempts: a run that kills its worker three times (out of memory, say) is not
  // retried forever; Start() then marks it failed.
  return {.kind = kModelTrainJob,
          .payload_json = json{{"model_id", model_id}}.dump(),
          .idempotency_key = std::string(kModelTrainJob) + ":" + model_id,
          .max_attempts = 3};
}

}  // namespace

void ModelService::RegisterJobHandlers(jobs::Registry& registry) {
  registry.Register(kModelTrainJob, [this](jobs::JobContext& job) { return RunJob(job); });
}

Status ModelService::Start() {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto runs, storage::TrainingModels(tx));
    for (auto& r : runs) {
      ZM_ASSIGN_OR_RETURN(auto enq, jobs::Enqueue(tx, TrainJob(r.id)));
      if (enq.created) {
        Log(LogLevel::kInfo, "model_train_job_enqueued", {{"model_id", r.id}});
        continue;
      }
      ZM_ASSIGN_OR_RETURN(auto job, jobs::GetJob(tx, enq.id));
      if (!job || job->state != jobs::JobState::kDead) continue;
      r.status = "failed";
      r.error =
          "训练多次中断（工作进程退出），请重新训练。 / Training was interrupted on every attempt "
          "(the worker process exited); start it again.";
      r.finished_at = NowMillis();
      ZM_RETURN_IF_ERROR(storage::FinishModel(tx, r, std::nullopt));
      ZM_RETURN_IF_ERROR(security::AppendAudit(
          tx, SystemContext(),
          {"model.failed", "scoring_model", r.id, Changes({}, json{{"reason", "interrupted"}})}));
    }
    return Ok();
  });
}

Status ModelService::RunJob(jobs::JobContext& job) {
  json payload = json::parse(job.job().payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("model_id") || !payload["model_id"].is_string())
    return InvalidArgument("model.train payload needs model_id");
  const std::string model_id = payload["model_id"].get<std::string>();
  const bool last_attempt = job.job().attempts >= job.job().max_attempts;
  // This attempt owns the run (the job's lease); an earlier attempt's progress starts over.
  ZM_ASSIGN_OR_RETURN(bool training, db_.WriteValue<bool>([&](Tx& tx) -> Result<bool> {
    return storage::StartModelAttempt(tx, model_id, NowMillis());
  }));
  if (!training) return Ok();  // finished already (or deleted): nothing to do
  if (job.job().attempts > 1)
    Log(LogLevel::kInfo, "model_training_retried",
        {{"model_id", model_id}, {"attempt", int64_t{job.job().attempts}}});

  // Everything the run needs, read in one snapshot.
  storage::ModelRecord rec;
  sv::TrainingSet set;
  std::vector<int64_t> label_counts;
  auto loaded = db_.Read([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetModelById(tx, model_id));
    if (!r) return NotFound("model");
    rec = *r;
    ZM_ASSIGN_OR_RETURN(auto q, LoadQuestion(tx, rec.question_id));
    set.max_label = static_cast<int>(rec.max_label);
    set.prompt = PromptOf(q);
    label_counts.assign(static_cast<size_t>(rec.max_label) + 1, 0);
    ZM_ASSIGN_OR_RETURN(auto ratings, storage::AllRatings(tx, rec.question_id, rec.dimension_key));
    for (const auto& rt : ratings) {
      ZM_ASSIGN_OR_RETURN(auto text, cipher_.Decrypt(rt.text_enc, RatingAad(rt.id)));
      sv::Example e;
      e.text = std::move(text);
      e.label = static_cast<int>(rt.label);
      set.examples.push_back(std::move(e));
      if (rt.label >= 0 && rt.label <= rec.max_label) ++label_counts[static_cast<size_t>(rt.label)];
    }
    return Ok();
  });
  // A storage hiccup is retried by the queue; the last attempt fails the run instead, so it
  // never stays "training".
  if (!loaded && loaded.error().code != ErrorCode::kNotFound && !last_attempt)
    return std::unexpected(loaded.error());

  std::optional<sv::Model> model;
  std::string error;
  if (!loaded) {
    error = loaded.error().code == ErrorCode::kInternal ? "internal error reading the ratings"
                                                        : loaded.error().message;
  } else {
    json opts = json::parse(rec.options, nullptr, false);
    sv::TrainOptions options;
    options.threads = std::max(1, settings_.train_threads);
    if (opts.is_object()) {
      options.folds = opts.value("folds", options.folds);
      options.seed = opts.value("seed", options.seed);
    }
    options.min_examples = 2 * static_cast<size_t>(options.folds);
    auto progress = std::make_shared<std::atomic<double>>(0.0);
    options.progress = [progress](double p) { progress->store(p, std::memory_order_relaxed); };
    // Train runs on its own thread so this one can record the progress as it moves. A stop
    // request of the worker pool waits for the run (training has no cancellation point).
    auto future =
        std::async(std::launch::async, [&set, options] { return sv::Train(set, options); });
    double written = 0;
    while (future.wait_for(std::chrono::milliseconds(250)) != std::future_status::ready) {
      double p = std::min(0.99, progress->load(std::memory_order_relaxed));
      if (p - written >= 0.01) {
        written = p;
        (void)db_.Write([&](Tx& tx) { return storage::UpdateModelProgress(tx, model_id, p); });
      }
    }
    auto trained = future.get();
    if (trained) {
      model.emplace(std::move(*trained));
    } else {
      error = trained.error().message;
    }
  }

  // The run ends ready or failed, together with the job's completion (a worker that lost its
  // lease rolls back); a failure never touches the active model of the pair.
  rec.finished_at = NowMillis();
  std::optional<std::string> bytes;
  if (model) {
    const auto& report = model->report();
    rec.status = "ready";
    rec.progress = 1;
    rec.error.reset();
    rec.examples = static_cast<int64_t>(report.examples);
    rec.data_hash = report.data_hash;
    rec.metrics = MetricsJson(report, label_counts).dump();
    rec.cv_qwk = report.cv_qwk;
    rec.cv_pearson = report.cv_pearson;
    bytes = model->Save();
  } else {
    rec.status = "failed";
    rec.examples = static_cast<int64_t>(set.examples.size());
    rec.error = "训练失败 / Training failed: " + error;
  }
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(storage::FinishModel(tx, rec, bytes));
    json after = {{"status", rec.status}, {"version", rec.version}, {"examples", rec.examples}};
    if (rec.cv_qwk) after["cv_qwk"] = Round3(*rec.cv_qwk);
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, SystemContext(),
                              {rec.status == "ready" ? "model.trained" : "model.failed",
                               "scoring_model", rec.id, Changes({}, after)}));
    return job.CompleteIn(tx);
  }));
  Log(LogLevel::kInfo, "model_training_done",
      {{"model_id", model_id}, {"status", rec.status}, {"examples", rec.examples}});
  return Ok();
}

// ---- ratings ----

namespace {

json RatingView(const storage::RatingRecord& r, const std::string& text) {
  return {{"id", r.id},
          {"question_id", r.question_id},
          {"dimension_key", DimensionOrNull(r.dimension_key)},
          {"label", r.label},
          {"source", r.source},
          {"answer_id", r.answer_id ? json(*r.answer_id) : json(nullptr)},
          {"text", text},
          {"text_chars", r.text_chars},
          {"created_by", r.created_by},
          {"created_at", Time(r.created_at)}};
}

Status CheckLabel(const domain::Question& q, int64_t label) {
  if (label < 0 || label > q.rating_max)
    return Invalid("label", "must be an integer 0.." + std::to_string(q.rating_max) +
                                " (the question's rating scale)");
  return Ok();
}

}  // namespace

Result<json> ModelService::ListRatings(const Context& ctx, const std::string& question_id,
                                       const std::optional<std::string>& dimension_key,
                                       const storage::PageRequest& page) {
  // A write transaction: showing candidates' answers is a view of personal data, audited.
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto q, LoadQuestion(tx, question_id));
    ZM_ASSIGN_OR_RETURN(auto rows, storage::ListRatings(tx, question_id, dimension_key, page));
    json items = json::array();
    for (const auto& r : rows.items) {
      ZM_ASSIGN_OR_RETURN(auto text, cipher_.Decrypt(r.text_enc, RatingAad(r.id)));
      items.push_back(RatingView(r, text));
    }
    if (!rows.items.empty())
      ZM_RETURN_IF_ERROR(security::AppendAudit(
          tx, ctx,
          {"rating.view", "question", question_id,
           Changes({}, json{{"ratings", rows.items.size()},
                            {"dimension_key",
                             dimension_key ? json(*dimension_key) : json(nullptr)}})}));
    return json{{"items", std::move(items)},
                {"next_cursor", rows.next_cursor ? json(*rows.next_cursor) : json(nullptr)},
                {"rating_max", q.rating_max}};
  });
}

Result<json> ModelService::CreateRating(const Context& ctx, const std::string& question_id,
                                        const RatingCreate& create) {
  if (create.answer_id.has_value() == create.text.has_value())
    return Invalid("answer_id",
                   "give exactly one of answer_id (rate an interview answer) or "
                   "text (an example answer)");
  if (create.text) {
    size_t n = Utf8Length(*create.text);
    if (Trim(*create.text).empty() || n > kRatingTextMax)
      return Invalid("text", "must be 1.." + std::to_string(kRatingTextMax) + " characters");
  }
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto q, LoadQuestion(tx, question_id));
    ZM_RETURN_IF_ERROR(CheckLabel(q, create.label));
    ZM_RETURN_IF_ERROR(CheckDimension(q, create.dimension_key));
    storage::RatingRecord r;
    r.id = NewId();
    r.question_id = question_id;
    r.dimension_key = create.dimension_key;
    r.label = create.label;
    r.created_by = ActorOf(ctx);
    r.created_at = NowMillis();
    std::string text;
    if (create.answer_id) {
      ZM_ASSIGN_OR_RETURN(auto a, storage::GetRatableAnswer(tx, *create.answer_id));
      // Out of the caller's departments reads as absent (ids must not be probeable).
      if (!a || !ctx.principal.InScope(a->department_id)) return NotFound("answer");
      if (a->question_id != question_id || a->kind != "answer")
        return Invalid("answer_id", "is not an answer to this question");
      ZM_ASSIGN_OR_RETURN(text, cipher_.Decrypt(a->text_enc, AnswerAad(a->answer_id)));
      if (Trim(text).empty()) return Invalid("answer_id", "the answer is empty");
      r.source = "answer";
      r.answer_id = a->answer_id;
    } else {
      text = *create.text;
      r.source = "example";
    }
    r.text_chars = static_cast<int64_t>(Utf8Length(text));
    ZM_ASSIGN_OR_RETURN(r.text_enc, cipher_.Encrypt(text, RatingAad(r.id)));
    auto inserted = storage::InsertRating(tx, r);
    if (!inserted) {
      if (inserted.error().reason == "unique_violation")
        return Conflict("duplicate_rating",
                        "该回答在此维度已有评分；请先删除原评分。 / This answer is already rated "
                        "for this dimension; delete that rating first.");
      return std::unexpected(inserted.error());
    }
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"rating.create", "answer_rating", r.id,
         Changes({}, json{{"question_id", question_id},
                          {"dimension_key", DimensionOrNull(r.dimension_key)},
                          {"label", r.label},
                          {"source", r.source},
                          {"answer_id", r.answer_id ? json(*r.answer_id) : json(nullptr)}})}));
    return RatingView(r, text);
  });
}

Status ModelService::DeleteRating(const Context& ctx, const std::string& question_id,
                                  const std::string& rating_id) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetRating(tx, rating_id));
    if (!r || r->question_id != question_id) return NotFound("rating");
    ZM_RETURN_IF_ERROR(storage::DeleteRating(tx, rating_id));
    return security::AppendAudit(tx, ctx,
                                 {"rating.delete", "answer_rating", rating_id,
                                  Changes(json{{"question_id", question_id},
                                               {"dimension_key", DimensionOrNull(r->dimension_key)},
                                               {"label", r->label},
                                               {"source", r->source}},
                                          {})});
  });
}

Result<json> ModelService::ImportRatings(const Context& ctx, const std::string& question_id,
                                         const RatingImport& upload) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto q, LoadQuestion(tx, question_id));
    ZM_RETURN_IF_ERROR(CheckDimension(q, upload.dimension_key));
    sv::ReadOptions ro;
    ro.max_label = q.rating_max;
    ro.strict = upload.strict;
    ro.max_reported = kImportProblemsMax;
    ro.delimiter = upload.csv ? ',' : '\t';
    sv::ReadReport report;
    auto set = sv::ReadTrainingTsv(upload.body, ro, &report);
    if (!set) {
      // The reader's messages start with "line N: ..." and name no answer text.
      return InvalidArgument("import refused: nothing was stored", {{"body", set.error().message}});
    }
    std::vector<sv::RowProblem> problems = report.problems;
    size_t skipped = report.skipped;
    int64_t now = NowMillis();
    std::string actor = ActorOf(ctx);
    size_t imported = 0;
    for (const auto& e : set->examples) {
      size_t n = Utf8Length(e.text);
      if (Trim(e.text).empty() || n > kRatingTextMax) {
        std::string msg = Trim(e.text).empty() ? "empty answer text"
                                               : "answer text longer than " +
                                                     std::to_string(kRatingTextMax) + " characters";
        if (upload.strict)
          return InvalidArgument("import refused: nothing was stored",
                                 {{"body", "line " + std::to_string(e.line) + ": " + msg}});
        ++skipped;
        if (problems.size() < kImportProblemsMax) problems.push_back({e.line, msg});
        continue;
      }
      storage::RatingRecord r;
      r.id = NewId();
      r.question_id = question_id;
      r.dimension_key = upload.dimension_key;
      r.label = e.label;
      r.source = "import";
      r.text_chars = static_cast<int64_t>(n);
      ZM_ASSIGN_OR_RETURN(r.text_enc, cipher_.Encrypt(e.text, RatingAad(r.id)));
      r.created_by = actor;
      r.created_at = now;
      ZM_RETURN_IF_ERROR(storage::InsertRating(tx, r));
      ++imported;
    }
    // Problems sorted by line (the reader's and ours interleave).
    std::ranges::stable_sort(problems, {}, &sv::RowProblem::line);
    json problem_docs = json::array();
    for (const auto& p : problems)
      problem_docs.push_back({{"line", p.line}, {"message", p.message}});
    json result = {{"rows", report.rows},
                   {"imported", imported},
                   {"skipped", skipped},
                   {"problems", std::move(problem_docs)},
                   {"dimension_key", DimensionOrNull(upload.dimension_key)}};
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"rating.import", "question", question_id,
         Changes({}, json{{"imported", imported},
                          {"skipped", skipped},
                          {"format", upload.csv ? "csv" : "tsv"},
                          {"dimension_key", DimensionOrNull(upload.dimension_key)}})}));
    return result;
  });
}

// ---- registry ----

Result<std::string> ModelService::Register(const Context& ctx, const std::string& question_id,
                                           const TrainRequest& request) {
  if (request.folds && (*request.folds < 2 || *request.folds > 20))
    return InvalidArgument("invalid training options", {{"folds", "must be 2..20"}});
  return db_.WriteValue<std::string>([&](Tx& tx) -> Result<std::string> {
    ZM_ASSIGN_OR_RETURN(auto q, LoadQuestion(tx, question_id));
    ZM_RETURN_IF_ERROR(CheckDimension(q, request.dimension_key));
    ZM_ASSIGN_OR_RETURN(auto n, storage::CountRatings(tx, question_id, request.dimension_key));
    if (n < settings_.min_ratings)
      return NotEnoughRatings(n, settings_.min_ratings, request.dimension_key);
    storage::ModelRecord m;
    m.id = NewId();
    m.question_id = question_id;
    m.dimension_key = request.dimension_key;
    ZM_ASSIGN_OR_RETURN(m.version, storage::NextModelVersion(tx, question_id));
    m.status = "training";
    m.max_label = q.rating_max;
    m.examples = n;
    m.options = json{{"folds", request.folds.value_or(5)},
                     {"seed", request.seed.value_or(42)},
                     {"threads", std::max(1, settings_.train_threads)}}
                    .dump();
    m.created_by = ActorOf(ctx);
    m.created_at = NowMillis();
    auto inserted = storage::InsertModel(tx, m);
    if (!inserted) {
      if (inserted.error().reason == "unique_violation")
        return Conflict("training_conflict",
                        "another training request for this question was registered at the same "
                        "time; try again");
      return std::unexpected(inserted.error());
    }
    ZM_RETURN_IF_ERROR(jobs::Enqueue(tx, TrainJob(m.id)));
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, ctx,
                              {"model.train", "scoring_model", m.id,
                               Changes({}, json{{"question_id", question_id},
                                                {"dimension_key", DimensionOrNull(m.dimension_key)},
                                                {"version", m.version},
                                                {"ratings", n}})}));
    return m.id;
  });
}

Result<json> ModelService::StartTraining(const Context& ctx, const std::string& question_id,
                                         const TrainRequest& request) {
  ZM_ASSIGN_OR_RETURN(auto id, Register(ctx, question_id, request));
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto m, storage::GetModelById(tx, id));
    if (!m) return NotFound("model");
    return ModelView(*m);
  });
}

Result<json> ModelService::TrainNow(const Context& ctx, const std::string& question_id,
                                    const TrainRequest& request) {
  ZM_ASSIGN_OR_RETURN(auto id, Register(ctx, question_id, request));
  // One worker of this kind only: the CLI trains, it does not run other subsystems' jobs.
  jobs::Queue queue(db_);
  jobs::Registry registry;
  RegisterJobHandlers(registry);
  jobs::WorkerPool pool(queue, registry,
                        {.threads = 1,
                         .lease_ms = settings_.job_lease_ms,
                         .poll_ms = std::min<int64_t>(settings_.job_poll_ms, 200),
                         .name = "train"});
  pool.Start();
  for (;;) {
    auto view = db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
      ZM_ASSIGN_OR_RETURN(auto m, storage::GetModelById(tx, id));
      if (!m) return NotFound("model");
      return ModelView(*m);
    });
    if (!view || (*view)["status"] != "training") {
      pool.Stop();
      return view;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Result<json> ModelService::ListModels(const Context&, const std::string& question_id,
                                      const std::optional<std::string>& dimension_key,
                                      const storage::PageRequest& page) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto q, LoadQuestion(tx, question_id));
    ZM_ASSIGN_OR_RETURN(auto rows, storage::ListModels(tx, question_id, dimension_key, page));
    json items = json::array();
    for (const auto& m : rows.items) items.push_back(ModelView(m));
    ZM_ASSIGN_OR_RETURN(auto active, storage::ActiveModels(tx, question_id));
    // Which scorer each target uses and why: the whole answer and each named dimension.
    std::vector<std::string> targets{""};
    for (const auto& k : q.dimension_keys) targets.push_back(k);
    for (const auto& a : active)
      if (std::ranges::find(targets, a.dimension_key) == targets.end())
        targets.push_back(a.dimension_key);
    json scoring = json::array();
    for (const auto& t : targets) {
      ZM_ASSIGN_OR_RETURN(auto n, storage::CountRatings(tx, question_id, t));
      auto it = std::ranges::find(active, t, &storage::ModelRecord::dimension_key);
      json entry = {{"dimension_key", DimensionOrNull(t)},
                    {"ratings", n},
                    {"min_ratings", settings_.min_ratings}};
      if (it != active.end()) {
        entry["scorer"] = "supervised";
        entry["active_version"] = it->version;
        entry["reason"] = "模型版本 " + std::to_string(it->version) + " 已启用 / model version " +
                          std::to_string(it->version) + " is active";
      } else {
        entry["scorer"] = "rubric";
        entry["active_version"] = nullptr;
        entry["reason"] =
            n < settings_.min_ratings
                ? "评分不足：" + std::to_string(n) + "/" + std::to_string(settings_.min_ratings) +
                      " 条，使用规则评分器 / " + std::to_string(n) + " of the " +
                      std::to_string(settings_.min_ratings) +
                      " rated answers needed to train; the rubric scorer is used"
                : "没有启用的模型，使用规则评分器 / no active model; the rubric scorer is used";
      }
      scoring.push_back(std::move(entry));
    }
    return json{{"items", std::move(items)},
                {"next_cursor", rows.next_cursor ? json(*rows.next_cursor) : json(nullptr)},
                {"rating_max", q.rating_max},
                {"scoring", std::move(scoring)}};
  });
}

Result<json> ModelService::GetModel(const Context&, const std::string& question_id,
                                    int64_t version) {
  return db_.ReadValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto m, storage::GetModelVersion(tx, question_id, version));
    if (!m) return NotFound("model version");
    return ModelView(*m);
  });
}

Result<json> ModelService::Activate(const Context& ctx, const std::string& question_id,
                                    int64_t version) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto m, storage::GetModelVersion(tx, question_id, version));
    if (!m) return NotFound("model version");
    if (m->status != "ready")
      return Conflict("model_not_ready",
                      "只能启用训练完成的模型（当前状态: " + m->status +
                          "） / only a ready model can be activated (status: " + m->status + ")");
    ZM_ASSIGN_OR_RETURN(auto active, storage::ActiveModels(tx, question_id));
    json before = nullptr;
    for (const auto& a : active)
      if (a.dimension_key == m->dimension_key) before = a.version;
    int64_t now = NowMillis();
    ZM_RETURN_IF_ERROR(storage::SetActiveModel(tx, question_id, m->dimension_key, m->id, now));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"model.activate", "scoring_model", m->id,
         Changes(json{{"active_version", before}},
                 json{{"active_version", m->version},
                      {"question_id", question_id},
                      {"dimension_key", DimensionOrNull(m->dimension_key)}})}));
    m->active = true;
    m->activated_at = now;
    return ModelView(*m);
  });
}

Result<json> ModelService::Deactivate(const Context& ctx, const std::string& question_id,
                                      int64_t version) {
  return db_.WriteValue<json>([&](Tx& tx) -> Result<json> {
    ZM_ASSIGN_OR_RETURN(auto m, storage::GetModelVersion(tx, question_id, version));
    if (!m) return NotFound("model version");
    if (m->active) {
      ZM_RETURN_IF_ERROR(
          storage::SetActiveModel(tx, question_id, m->dimension_key, std::nullopt, NowMillis()));
      ZM_RETURN_IF_ERROR(security::AppendAudit(
          tx, ctx,
          {"model.deactivate", "scoring_model", m->id,
           Changes(json{{"active_version", m->version}}, json{{"active_version", nullptr}})}));
      m->active = false;
    }
    return ModelView(*m);
  });
}

}  // namespace zm::services
