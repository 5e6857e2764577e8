// Supervised scoring routes: HR ratings of answers per question, their CSV/TSV upload, and the
// model registry (train, list, progress, activate/roll back, deactivate). docs/api-resources.md
// "Supervised scoring".
#include <charconv>

#include "common/strings.h"
#include "http/route_util.h"
#include "http/routes/routes.h"
#include "services/model_service.h"

namespace zm::http {
namespace {

using nlohmann::json;
using security::Permission;

std::unexpected<Error> BadBody(std::string field, std::string message) {
  return InvalidArgument("invalid request body", {{std::move(field), std::move(message)}});
}

// Members of `body` outside `allowed` are refused (a typo must not be ignored).
Status OnlyMembers(const json& body, std::initializer_list<std::string_view> allowed) {
  for (auto it = body.begin(); it != body.end(); ++it)
    if (std::ranges::find(allowed, std::string_view(it.key())) == allowed.end())
      return BadBody(it.key(), "unknown member");
  return Ok();
}

// "" for absent or null; otherwise a string.
Result<std::string> OptionalString(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::string();
  if (!body[name].is_string()) return BadBody(name, "must be a string or null");
  return body[name].get<std::string>();
}

Result<services::RatingCreate> ParseRating(const json& body) {
  ZM_RETURN_IF_ERROR(OnlyMembers(body, {"label", "dimension_key", "answer_id", "text"}));
  services::RatingCreate c;
  if (!body.contains("label") || !body["label"].is_number_integer())
    return BadBody("label", "is required: an integer on the question's rating scale");
  auto label = body["label"].get<int64_t>();
  if (label < 0 || label > 1000) return BadBody("label", "must be on the question's scale");
  c.label = static_cast<int>(label);
  ZM_ASSIGN_OR_RETURN(c.dimension_key, OptionalString(body, "dimension_key"));
  ZM_ASSIGN_OR_RETURN(auto answer_id, OptionalString(body, "answer_id"));
  if (!answer_id.empty()) c.answer_id = answer_id;
  if (body.contains("text") && !body["text"].is_null()) {
    if (!body["text"].is_string()) return BadBody("text", "must be a string");
    c.text = body["text"].get<std::string>();
  }
  return c;
}

Result<services::TrainRequest> ParseTrain(const Request& req) {
  services::TrainRequest t;
  if (Trim(req.body).empty()) return t;  // all defaults
  ZM_ASSIGN_OR_RETURN(auto body, JsonBody(req));
  if (!body.is_object()) return BadBody("", "must be a JSON object");
  ZM_RETURN_IF_ERROR(OnlyMembers(body, {"dimension_key", "folds", "seed"}));
  ZM_ASSIGN_OR_RETURN(t.dimension_key, OptionalString(body, "dimension_key"));
  if (body.contains("folds")) {
    if (!body["folds"].is_number_integer()) return BadBody("folds", "must be an integer 2..20");
    auto f = body["folds"].get<int64_t>();
    if (f < 2 || f > 20) return BadBody("folds", "must be an integer 2..20");
    t.folds = static_cast<int>(f);
  }
  if (body.contains("seed")) {
    if (!body["seed"].is_number_unsigned()) return BadBody("seed", "must be an integer >= 0");
    t.seed = body["seed"].get<uint64_t>();
  }
  return t;
}

// The {version} path parameter: a positive integer; anything else answers 404 like an unknown
// version.
Result<int64_t> VersionParam(const Request& req) {
  const std::string& v = req.Param("version");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 1) return NotFound("model version");
  return n;
}

Result<bool> BoolQuery(const Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return InvalidArgument("invalid query parameter", {{std::string(name), "must be true or false"}});
}

// TSV unless the upload says CSV; JSON and other types are refused.
Result<bool> IsCsvUpload(const Request& req) {
  std::string ct = req.Header("content-type").value_or("");
  std::string media = AsciiLower(Trim(std::string_view(ct).substr(0, ct.find(';'))));
  if (media == "text/csv") return true;
  if (media == "text/tab-separated-values" || media == "text/plain") return false;
  return Fail(MakeError(ErrorCode::kInvalidArgument, "unsupported_media_type",
                        "Content-Type must be text/tab-separated-values, text/csv or text/plain"));
}

}  // namespace

void RegisterModelRoutes(Server& server, const RouteDeps& d) {
  // ---- ratings ----
  server.Add({"GET", "/api/v1/questions/{id}/ratings", Access::Need(Permission::kPiiRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto out,
                               d.models.ListRatings(req.MakeContext(), id,
                                                    QueryParam(req, "dimension_key"), page));
                return JsonResponse(200, out);
              }});
  server.Add({"POST", "/api/v1/questions/{id}/ratings", Access::Need(Permission::kQuestionsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto body, JsonBody(req));
                if (!body.is_object())
                  return ErrorResponse(BadBody("", "must be a JSON object").error());
                ZM_HTTP_ASSIGN(auto create, ParseRating(body));
                ZM_HTTP_ASSIGN(auto out, d.models.CreateRating(req.MakeContext(), id, create));
                return JsonResponse(201, out);
              }});
  server.Add({"POST", "/api/v1/questions/{id}/ratings/import",
              Access::Need(Permission::kQuestionsWrite), [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                services::RatingImport upload;
                ZM_HTTP_ASSIGN(upload.csv, IsCsvUpload(req));
                ZM_HTTP_ASSIGN(upload.strict, BoolQuery(req, "strict"));
                upload.dimension_key = QueryParam(req, "dimension_key").value_or("");
                upload.body = req.body;
                ZM_HTTP_ASSIGN(auto out, d.models.ImportRatings(req.MakeContext(), id, upload));
                return JsonResponse(200, out);
              }});
  server.Add({"DELETE", "/api/v1/questions/{id}/ratings/{rating_id}",
              Access::Need(Permission::kQuestionsWrite), [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto rating_id, IdParam(req, "rating_id"));
                ZM_HTTP_CHECK(d.models.DeleteRating(req.MakeContext(), id, rating_id));
                return NoContent();
              }});

  // ---- model registry ----
  server.Add({"GET", "/api/v1/questions/{id}/models", Access::Need(Permission::kQuestionsRead),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto page, PageFrom(req));
                ZM_HTTP_ASSIGN(auto out,
                               d.models.ListModels(req.MakeContext(), id,
                                                   QueryParam(req, "dimension_key"), page));
                return JsonResponse(200, out);
              }});
  server.Add({"POST", "/api/v1/questions/{id}/models", Access::Need(Permission::kQuestionsWrite),
              [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto train, ParseTrain(req));
                ZM_HTTP_ASSIGN(auto out, d.models.StartTraining(req.MakeContext(), id, train));
                return JsonResponse(202, out);
              }});
  server.Add({"GET", "/api/v1/questions/{id}/models/{version}",
              Access::Need(Permission::kQuestionsRead), [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto version, VersionParam(req));
                ZM_HTTP_ASSIGN(auto out, d.models.GetModel(req.MakeContext(), id, version));
                return JsonResponse(200, out);
              }});
  server.Add({"POST", "/api/v1/questions/{id}/models/{version}/activate",
              Access::Need(Permission::kQuestionsWrite), [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto version, VersionParam(req));
                ZM_HTTP_ASSIGN(auto out, d.models.Activate(req.MakeContext(), id, version));
                return JsonResponse(200, out);
              }});
  server.Add({"POST", "/api/v1/questions/{id}/models/{version}/deactivate",
              Access::Need(Permission::kQuestionsWrite), [&d](const Request& req) {
                ZM_HTTP_ASSIGN(auto id, IdParam(req));
                ZM_HTTP_ASSIGN(auto version, VersionParam(req));
                ZM_HTTP_ASSIGN(auto out, d.models.Deactivate(req.MakeContext(), id, version));
                return JsonResponse(200, out);
              }});
}

}  // namespace zm::http
