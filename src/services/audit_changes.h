// Builds the {"before": ..., "after": ...} JSON of an audit entry from the resources' JSON.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace zm::services {

std::string Changes(const std::optional<nlohmann::json>& before,
                    const std::optional<nlohmann::json>& after);

}  // namespace zm::services
