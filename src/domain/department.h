// Department: the unit managers are scoped to. Value type, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace zm::domain {

inline constexpr size_t kDepartmentNameMax = 100;
inline constexpr size_t kDepartmentDescriptionMax = 2000;

struct Department {
  std::string id;
  std::string name;         // 1..100 chars; uniqueness is enforced by storage
  std::string description;  // <= 2000 chars
  int64_t created_at = 0;   // Unix ms
  int64_t updated_at = 0;
};

// PATCH body: each present field replaces the stored one.
struct DepartmentPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;

  bool empty() const { return !name && !description; }
  void Apply(Department& d) const;
};

// Checks the client-settable fields (not id or times). kInvalidArgument "validation_failed"
// with one FieldError per problem.
Status ValidateDepartment(const Department& d);
// Checks the present fields of a patch with the same rules.
Status ValidateDepartmentPatch(const DepartmentPatch& p);

}  // namespace zm::domain
