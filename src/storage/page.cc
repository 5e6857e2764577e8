#include "storage/page.h"

#include <nlohmann/json.hpp>

namespace zm::storage {

std::string PageClause(const PageRequest& page, std::string_view id_column,
                       std::vector<Value>& params) {
  std::string sql;
  if (page.cursor) {
    sql += " AND " + std::string(id_column) + " < ?";
    params.push_back(*page.cursor);
  }
  sql += " ORDER BY " + std::string(id_column) + " DESC LIMIT ?";
  params.push_back(int64_t{page.limit + 1});
  return sql;
}

std::string ScopeClause(const std::optional<std::vector<std::string>>& scope,
                        std::string_view column, std::vector<Value>& params) {
  if (!scope) return "";
  if (scope->empty()) return " AND 1 = 0";
  std::string sql = " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < scope->size(); ++i) {
    sql += i ? ", ?" : "?";
    params.push_back((*scope)[i]);
  }
  return sql + ")";
}

std::string ToJsonArray(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }

std::vector<std::string> FromJsonArray(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

}  // namespace zm::storage
