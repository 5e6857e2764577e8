// Helpers shared by the route files (included only by routes/*.cc: heavy JSON header).
// A handler parses, calls one service function and maps the result; errors become the
// DESIGN §5 error shape through ErrorResponse.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/json/mapping.h"
#include "http/errors.h"
#include "http/server.h"
#include "storage/page.h"

namespace zm::http {

Response JsonResponse(int status, const nlohmann::json& body);
Response NoContent();
// The JSON object of the body; 415 for a non-JSON content type, 400 invalid_json.
Result<nlohmann::json> JsonBody(const Request& req);
// limit (1..200, default 50) from the query string.
Result<int> LimitFrom(const Request& req);
// limit and cursor (an id) from the query string.
Result<storage::PageRequest> PageFrom(const Request& req);
// The {id} path parameter; malformed ids answer 404 like unknown ones.
Result<std::string> IdParam(const Request& req, const std::string& name = "id");
std::optional<std::string> QueryParam(const Request& req, std::string_view name);

template <class T>
Response PageResponse(const storage::Page<T>& page) {
  if constexpr (requires(JsonWriter & w, const T& t) { json::WriteJson(w, t); }) {
    // Streaming path for resources listed in bulk.
    Response res;
    res.body.reserve(256 + page.items.size() * 400);
    JsonWriter w(res.body);
    w.BeginObject().Key("items").BeginArray();
    for (const auto& item : page.items) json::WriteJson(w, item);
    w.EndArray().Key("next_cursor").OptString(page.next_cursor).EndObject();
    return res;
  }
  std::vector<nlohmann::json> items;
  items.reserve(page.items.size());
  for (const auto& item : page.items) items.push_back(json::ToJson(item));
  return JsonResponse(200, json::Page(items, page.next_cursor));
}

}  // namespace zm::http

// Inside a handler: evaluates a Result; on error returns its HTTP error response.
#define ZM_HTTP_ASSIGN(lhs, expr) ZM_HTTP_ASSIGN_IMPL_(ZM_CONCAT_(zm_http_, __LINE__), lhs, expr)
#define ZM_HTTP_ASSIGN_IMPL_(tmp, lhs, expr)               \
  auto tmp = (expr);                                       \
  if (!tmp) return ::zm::http::ErrorResponse(tmp.error()); \
  lhs = std::move(*tmp)
#define ZM_HTTP_CHECK(expr)                                                  \
  do {                                                                       \
    auto zm_http_st_ = (expr);                                               \
    if (!zm_http_st_) return ::zm::http::ErrorResponse(zm_http_st_.error()); \
  } while (0)
