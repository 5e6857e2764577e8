#include "http/route_util.h"

#include <charconv>

#include "common/ids.h"
#include "common/strings.h"

namespace zm::http {

Response JsonResponse(int status, const nlohmann::json& body) {
  return Response{status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

Response NoContent() { return Response{204, "", ""}; }

Result<nlohmann::json> JsonBody(const Request& req) {
  // The media type without parameters, case-insensitively (RFC 9110 §8.3.1).
  std::string ct = req.Header("content-type").value_or("");
  std::string media = AsciiLower(Trim(std::string_view(ct).substr(0, ct.find(';'))));
  if (media != "application/json")
    return Fail(MakeError(ErrorCode::kInvalidArgument, "unsupported_media_type",
                          "Content-Type must be application/json"));
  return json::ParseJsonBody(req.body);
}

Result<int> LimitFrom(const Request& req) {
  auto limit = req.Query("limit");
  if (!limit) return 50;
  int v = 0;
  auto [p, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), v);
  if (ec != std::errc() || p != limit->data() + limit->size() || v < 1 || v > 200)
    return InvalidArgument("invalid limit", {{"limit", "must be an integer 1..200"}});
  return v;
}

Result<storage::PageRequest> PageFrom(const Request& req) {
  storage::PageRequest page;
  ZM_ASSIGN_OR_RETURN(page.limit, LimitFrom(req));
  if (auto cursor = req.Query("cursor")) {
    if (!IsValidId(*cursor)) return InvalidArgument("invalid cursor", {{"cursor", "malformed"}});
    page.cursor = *cursor;
  }
  return page;
}

Result<std::string> IdParam(const Request& req, const std::string& name) {
  const std::string& id = req.Param(name);
  if (!IsValidId(id)) return NotFound("resource");
  return id;
}

std::optional<std::string> QueryParam(const Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

}  // namespace zm::http
