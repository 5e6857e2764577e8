#include "storage/page.h"

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

}  // namespace zm::storage
