// Keyset pagination shared by every list: newest first by id (ULIDs sort by creation time).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace zm::storage {

struct PageRequest {
  std::optional<std::string> cursor;  // the id of the last item of the previous page
  int limit = 50;                     // 1..200, checked by the http layer
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

// Builds " AND <id_column> < ? ORDER BY <id_column> DESC LIMIT ?" (fetching one extra row to
// know whether there is a next page) and appends the parameters.
std::string PageClause(const PageRequest& page, std::string_view id_column,
                       std::vector<Value>& params);

// Trims the extra row and sets next_cursor from the id of the last kept item.
template <class T, class IdOf>
Page<T> MakePage(std::vector<T> items, const PageRequest& page, IdOf id_of) {
  Page<T> out;
  if (static_cast<int>(items.size()) > page.limit) {
    items.resize(static_cast<size_t>(page.limit));
    out.next_cursor = id_of(items.back());
  }
  out.items = std::move(items);
  return out;
}

// " AND <column> IN (?, ...)" for a manager's department scope (" AND 1 = 0" for an empty
// scope, "" when unscoped); appends the parameters.
std::string ScopeClause(const std::optional<std::vector<std::string>>& scope,
                        std::string_view column, std::vector<Value>& params);

// String lists stored as JSON array text. FromJsonArray skips non-string items and returns an
// empty list for malformed text.
std::string ToJsonArray(const std::vector<std::string>& v);
std::vector<std::string> FromJsonArray(const std::string& text);

}  // namespace zm::storage
