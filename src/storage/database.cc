// Row accessors, Tx::QueryOne and the URL dispatch of Database::Open.
#include "storage/database.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace zm::storage {
namespace {

// Parses the whole of `s` as a base-10 integer.
std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return v;
}

// Parses the whole of `s` as a floating-point number ("1.5", "1e+20", "Infinity", "NaN").
std::optional<double> ParseDouble(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

const std::string& Row::Text(size_t i) const {
  static const std::string kEmpty;
  const auto& cell = cells_.at(i);
  return cell ? *cell : kEmpty;
}

int64_t Row::Int(size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) return 0;
  if (auto v = ParseInt(*cell)) return *v;
  // Numeric text that is not an integer ("3.0" from a SQLite REAL, "2.5000" from a PostgreSQL
  // NUMERIC aggregate): truncated toward zero, clamped to the int64 range.
  if (auto d = ParseDouble(*cell); d && !std::isnan(*d)) {
    if (*d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
    if (*d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(*d);
  }
  return 0;
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

double Row::Double(size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) return 0.0;
  return ParseDouble(*cell).value_or(0.0);
}

std::optional<double> Row::OptDouble(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Double(i);
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, const std::vector<Value>& params) {
  ZM_ASSIGN_OR_RETURN(QueryResult result, Query(sql, params));
  if (result.rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(result.rows.front()));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, DatabaseOptions options) {
  if (options.pool_size < 1) return InvalidArgument("database pool_size must be at least 1");
  if (options.busy_timeout_ms < 0) return InvalidArgument("database busy_timeout_ms must be >= 0");
  std::string_view u = url;
  if (u.starts_with("sqlite:")) {
    std::string_view path = u.substr(7);
    // "sqlite:///abs/path.db" and "sqlite://rel.db" are accepted as well as "sqlite:path.db".
    if (path.starts_with("//")) path.remove_prefix(2);
    ZM_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(std::string(path), options));
    return std::unique_ptr<Database>(std::move(db));
  }
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    ZM_ASSIGN_OR_RETURN(auto db, PostgresDatabase::Open(url, options));
    return std::unique_ptr<Database>(std::move(db));
  }
  return InvalidArgument(
      "unsupported database url: expected sqlite:PATH or postgresql://user@host/db");
}

Status Database::Ping() {
  return Read([](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1"));
    if (!row || row->Int(0) != 1) return Internal("SELECT 1 returned no row");
    return Ok();
  });
}

}  // namespace zm::storage
