#include "storage/model_repository.h"

namespace zm::storage {
namespace {

constexpr char kRatingSelect[] =
    "SELECT id, question_id, dimension_key, label, source, answer_id, text_enc, text_chars, "
    "created_by, created_at FROM answer_ratings WHERE ";

RatingRecord RatingFromRow(const Row& r) {
  RatingRecord x;
  x.id = r.Text(0);
  x.question_id = r.Text(1);
  x.dimension_key = r.Text(2);
  x.label = r.Int(3);
  x.source = r.Text(4);
  x.answer_id = r.OptText(5);
  x.text_enc = r.Text(6);
  x.text_chars = r.Int(7);
  x.created_by = r.Text(8);
  x.created_at = r.Int(9);
  return x;
}

Result<std::vector<RatingRecord>> QueryRatings(Tx& tx, const std::string& sql,
                                               const std::vector<Value>& params) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<RatingRecord> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) out.push_back(RatingFromRow(r));
  return out;
}

// Every column but the model bytes (large; read by GetModelBytes only).
constexpr char kModelSelect[] =
    "SELECT id, question_id, dimension_key, version, status, progress, error, max_label, "
    "examples, data_hash, options, metrics, cv_qwk, cv_pearson, active, activated_at, "
    "created_by, created_at, started_at, finished_at FROM scoring_models WHERE ";

ModelRecord ModelFromRow(const Row& r) {
  ModelRecord m;
  m.id = r.Text(0);
  m.question_id = r.Text(1);
  m.dimension_key = r.Text(2);
  m.version = r.Int(3);
  m.status = r.Text(4);
  m.progress = r.Double(5);
  m.error = r.OptText(6);
  m.max_label = r.Int(7);
  m.examples = r.Int(8);
  m.data_hash = r.OptText(9);
  m.options = r.Text(10);
  m.metrics = r.OptText(11);
  m.cv_qwk = r.OptDouble(12);
  m.cv_pearson = r.OptDouble(13);
  m.active = r.Bool(14);
  m.activated_at = r.OptInt(15);
  m.created_by = r.Text(16);
  m.created_at = r.Int(17);
  m.started_at = r.OptInt(18);
  m.finished_at = r.OptInt(19);
  return m;
}

Result<std::vector<ModelRecord>> QueryModels(Tx& tx, const std::string& sql,
                                             const std::vector<Value>& params) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<ModelRecord> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) out.push_back(ModelFromRow(r));
  return out;
}

template <class T>
Result<std::optional<T>> First(Result<std::vector<T>> rows) {
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>{std::move(rows->front())};
}

}  // namespace

// ---- ratings ----

Status InsertRating(Tx& tx, const RatingRecord& r) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO answer_ratings (id, question_id, dimension_key, label, source, answer_id, "
      "text_enc, text_chars, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.question_id, r.dimension_key, r.label, r.source, OptText(r.answer_id), r.text_enc,
       r.text_chars, r.created_by, r.created_at}));
  return Ok();
}

Result<std::optional<RatingRecord>> GetRating(Tx& tx, const std::string& id) {
  return First(QueryRatings(tx, std::string(kRatingSelect) + "id = ?", {id}));
}

Result<bool> DeleteRating(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("DELETE FROM answer_ratings WHERE id = ?", {id}));
  return n > 0;
}

Result<Page<RatingRecord>> ListRatings(Tx& tx, const std::string& question_id,
                                       const std::optional<std::string>& dimension_key,
                                       const PageRequest& page) {
  std::string sql = std::string(kRatingSelect) + "question_id = ?";
  std::vector<Value> params{question_id};
  if (dimension_key) {
    sql += " AND dimension_key = ?";
    params.emplace_back(*dimension_key);
  }
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rows, QueryRatings(tx, sql, params));
  return MakePage(std::move(rows), page, [](const RatingRecord& r) { return r.id; });
}

Result<std::vector<RatingRecord>> AllRatings(Tx& tx, const std::string& question_id,
                                             const std::string& dimension_key) {
  return QueryRatings(
      tx, std::string(kRatingSelect) + "question_id = ? AND dimension_key = ? ORDER BY id",
      {question_id, dimension_key});
}

Result<int64_t> CountRatings(Tx& tx, const std::string& question_id,
                             const std::string& dimension_key) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM answer_ratings WHERE "
                                            "question_id = ? AND dimension_key = ?",
                                            {question_id, dimension_key}));
  return row ? row->Int(0) : 0;
}

Result<std::optional<int64_t>> MaxRatingLabel(Tx& tx, const std::string& question_id) {
  ZM_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT MAX(label) FROM answer_ratings WHERE question_id = ?", {question_id}));
  if (!row || row->IsNull(0)) return std::optional<int64_t>{};
  return std::optional<int64_t>{row->Int(0)};
}

Result<std::optional<RatableAnswer>> GetRatableAnswer(Tx& tx, const std::string& answer_id) {
  ZM_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT a.id, a.interview_id, i.department_id, it.question_id, a.kind, "
                            "a.text_enc FROM interview_answers a "
                            "JOIN interviews i ON i.id = a.interview_id "
                            "JOIN interview_items it ON it.interview_id = a.interview_id "
                            "AND it.position = a.position WHERE a.id = ?",
                            {answer_id}));
  if (!row) return std::optional<RatableAnswer>{};
  return std::optional<RatableAnswer>{RatableAnswer{row->Text(0), row->Text(1), row->Text(2),
                                                    row->Text(3), row->Text(4), row->Text(5)}};
}

// ---- model registry ----

Result<int64_t> NextModelVersion(Tx& tx, const std::string& question_id) {
  ZM_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("SELECT MAX(version) FROM scoring_models WHERE question_id = ?", {question_id}));
  return (row && !row->IsNull(0)) ? row->Int(0) + 1 : 1;
}

Status InsertModel(Tx& tx, const ModelRecord& r) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO scoring_models (id, question_id, dimension_key, version, status, progress, "
      "error, max_label, examples, data_hash, options, metrics, cv_qwk, cv_pearson, active, "
      "activated_at, created_by, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id,
       r.question_id,
       r.dimension_key,
       r.version,
       r.status,
       r.progress,
       OptText(r.error),
       r.max_label,
       r.examples,
       OptText(r.data_hash),
       r.options,
       OptText(r.metrics),
       OptReal(r.cv_qwk),
       OptReal(r.cv_pearson),
       int64_t{r.active ? 1 : 0},
       OptInt(r.activated_at),
       r.created_by,
       r.created_at,
       OptInt(r.started_at),
       OptInt(r.finished_at)}));
  return Ok();
}

Result<std::optional<ModelRecord>> GetModelById(Tx& tx, const std::string& id) {
  return First(QueryModels(tx, std::string(kModelSelect) + "id = ?", {id}));
}

Result<std::optional<ModelRecord>> GetModelVersion(Tx& tx, const std::string& question_id,
                                                   int64_t version) {
  return First(QueryModels(tx, std::string(kModelSelect) + "question_id = ? AND version = ?",
                           {question_id, version}));
}

Result<Page<ModelRecord>> ListModels(Tx& tx, const std::string& question_id,
                                     const std::optional<std::string>& dimension_key,
                                     const PageRequest& page) {
  std::string sql = std::string(kModelSelect) + "question_id = ?";
  std::vector<Value> params{question_id};
  if (dimension_key) {
    sql += " AND dimension_key = ?";
    params.emplace_back(*dimension_key);
  }
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rows, QueryModels(tx, sql, params));
  return MakePage(std::move(rows), page, [](const ModelRecord& m) { return m.id; });
}

Result<bool> ClaimModel(Tx& tx, const std::string& id, int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE scoring_models SET started_at = ? WHERE id = ? AND "
                                      "status = 'training' AND started_at IS NULL",
                                      {now, id}));
  return n > 0;
}

Result<bool> StartModelAttempt(Tx& tx, const std::string& id, int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE scoring_models SET started_at = ?, progress = 0 "
                                      "WHERE id = ? AND status = 'training'",
                                      {now, id}));
  return n > 0;
}

Status UpdateModelProgress(Tx& tx, const std::string& id, double progress) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("UPDATE scoring_models SET progress = ? WHERE id = ? AND status = 'training'",
              {progress, id}));
  return Ok();
}

Status FinishModel(Tx& tx, const ModelRecord& r, const std::optional<std::string>& model_bytes) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "UPDATE scoring_models SET status = ?, progress = ?, error = ?, examples = ?, data_hash = "
      "?, metrics = ?, cv_qwk = ?, cv_pearson = ?, finished_at = ?, model = ? WHERE id = ?",
      {r.status, r.progress, OptText(r.error), r.examples, OptText(r.data_hash), OptText(r.metrics),
       OptReal(r.cv_qwk), OptReal(r.cv_pearson), OptInt(r.finished_at), OptText(model_bytes),
       r.id}));
  return Ok();
}

Result<std::optional<std::string>> GetModelBytes(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT model FROM scoring_models WHERE id = ?", {id}));
  if (!row) return std::optional<std::string>{};
  return row->OptText(0);
}

Status SetActiveModel(Tx& tx, const std::string& question_id, const std::string& dimension_key,
                      const std::optional<std::string>& model_id, int64_t now) {
  // Two steps in one transaction: the partial unique index allows one active row per pair.
  ZM_RETURN_IF_ERROR(tx.Exec(
      "UPDATE scoring_models SET active = 0 WHERE question_id = ? AND dimension_key = ? AND "
      "active = 1",
      {question_id, dimension_key}));
  if (model_id) {
    ZM_RETURN_IF_ERROR(tx.Exec(
        "UPDATE scoring_models SET active = 1, activated_at = ? WHERE id = ?", {now, *model_id}));
  }
  return Ok();
}

Result<std::vector<ModelRecord>> ActiveModels(Tx& tx, const std::string& question_id) {
  return QueryModels(
      tx, std::string(kModelSelect) + "question_id = ? AND active = 1 ORDER BY dimension_key",
      {question_id});
}

Result<std::vector<ModelRecord>> TrainingModels(Tx& tx) {
  return QueryModels(tx, std::string(kModelSelect) + "status = 'training' ORDER BY id", {});
}

}  // namespace zm::storage
