// Versioned schema migrations, applied in order at start (and by `zhimian migrate`).
// Each migration runs in its own write transaction together with its schema_migrations row,
// so a crash leaves the schema at a whole version. Migrations are append-only: never edit one
// that has shipped; add a new one.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "storage/database.h"

namespace zm::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;  // portable SQL; see database.h conventions
};

const std::vector<Migration>& AllMigrations();
// Applies every migration newer than the database's version; returns the number applied.
Result<int> Migrate(Database& db);
// The highest applied version (0 for an empty database).
Result<int> SchemaVersion(Database& db);

}  // namespace zm::storage
