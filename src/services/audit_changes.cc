#include "services/audit_changes.h"

namespace zm::services {

std::string Changes(const std::optional<nlohmann::json>& before,
                    const std::optional<nlohmann::json>& after) {
  nlohmann::json j = nlohmann::json::object();
  j["before"] = before ? *before : nlohmann::json(nullptr);
  j["after"] = after ? *after : nlohmann::json(nullptr);
  return j.dump();
}

}  // namespace zm::services
