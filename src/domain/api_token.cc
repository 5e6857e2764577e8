#include "domain/api_token.h"

#include <algorithm>
#include <set>

#include "domain/validation.h"

namespace zm::domain {

bool ApiToken::HasScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

void NormalizeScopes(std::vector<std::string>& scopes) {
  auto rank = [](const std::string& s) { return s == kScopeRead ? 0 : s == kScopeWrite ? 1 : 2; };
  std::stable_sort(scopes.begin(), scopes.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
}

Status ValidateApiToken(const ApiToken& t) {
  FieldErrors e;
  CheckText(e, "name", t.name, 1, kApiTokenNameMax);
  if (t.scopes.empty()) e.Add("scopes", "must not be empty");
  std::set<std::string_view> seen;
  bool known = true;
  for (size_t i = 0; i < t.scopes.size(); ++i) {
    if (t.scopes[i] != kScopeRead && t.scopes[i] != kScopeWrite) {
      e.Add(Item("scopes", i), "must be one of: read, write");
      known = false;
    } else if (!seen.insert(t.scopes[i]).second) {
      e.Add(Item("scopes", i), "duplicate value");
    }
  }
  if (known && !t.scopes.empty() && !t.HasScope(kScopeRead)) e.Add("scopes", "write requires read");
  return e.ToStatus("invalid api token");
}

}  // namespace zm::domain
