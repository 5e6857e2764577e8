#include "domain/department.h"

#include "domain/validation.h"

namespace zm::domain {

void DepartmentPatch::Apply(Department& d) const {
  if (name) d.name = *name;
  if (description) d.description = *description;
}

Status ValidateDepartment(const Department& d) {
  FieldErrors errors;
  CheckText(errors, "name", d.name, 1, kDepartmentNameMax);
  CheckText(errors, "description", d.description, 0, kDepartmentDescriptionMax);
  return errors.ToStatus("invalid department");
}

Status ValidateDepartmentPatch(const DepartmentPatch& p) {
  FieldErrors errors;
  if (p.name) CheckText(errors, "name", *p.name, 1, kDepartmentNameMax);
  if (p.description) CheckText(errors, "description", *p.description, 0, kDepartmentDescriptionMax);
  return errors.ToStatus("invalid department");
}

}  // namespace zm::domain
