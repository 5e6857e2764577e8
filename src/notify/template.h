// Message templates: "{{variable}}" placeholders in zh and en texts, checked when a template is
// saved (unknown variables, unbalanced braces) so that a send never fails on a typo.
// Pure functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace zm::notify {

// The variables a template may use, in documentation order.
const std::vector<std::string_view>& KnownVariables();
bool IsKnownVariable(std::string_view name);

// Checks one template text. Syntax: "{{name}}" with optional spaces inside the braces; any other
// "{{" or "}}" is an error. Appends one FieldError per problem under `field` ("body_zh"), with
// the 1-based character position, e.g. "unknown variable {{score}} at character 12 (known:
// candidate_name, ...)" or "unclosed {{ at character 3". Returns the variables used.
std::vector<std::string> CheckTemplate(std::string_view text, std::string_view field,
                                       std::vector<FieldError>& errors);

using Variables = std::map<std::string, std::string, std::less<>>;

// Replaces every placeholder by its value. A template that fails CheckTemplate, or that uses a
// variable absent from `values`, is kInvalidArgument "template_variable_missing" naming it
// (a send of such a message can never succeed: callers treat it as permanent).
Result<std::string> RenderTemplate(std::string_view text, const Variables& values);

// Example values for previews (zh or en flavour).
Variables SampleVariables(std::string_view language);

}  // namespace zm::notify
