#include "text/phrase_matcher.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>

#include "text/internal_utf8.h"

namespace zm::text {

namespace {

using internal::CodePointAt;
using internal::CodePointBefore;
using internal::IsWordChar;

bool EndsWithAsciiLetter(const std::string& s) {
  return !s.empty() && s.back() >= 'a' && s.back() <= 'z';
}

// Length of an inflection suffix at `pos` followed by a word boundary, or 0.
size_t InflectionAt(std::string_view text, size_t pos) {
  static constexpr std::string_view kSuffixes[] = {"ing", "'s", "es", "ed", "s", "d"};
  for (std::string_view suffix : kSuffixes) {
    if (text.substr(pos, suffix.size()) == suffix &&
        !IsWordChar(CodePointAt(text, pos + suffix.size()))) {
      return suffix.size();
    }
  }
  return 0;
}

}  // namespace

Result<PhraseMatcher> PhraseMatcher::Build(const Analyzer& analyzer,
                                           std::vector<PhraseSpec> phrases,
                                           const PhraseMatcherOptions& options) {
  std::vector<FieldError> errors;
  std::set<std::string, std::less<>> ids;
  PhraseMatcher matcher;
  matcher.normalized_.resize(phrases.size());
  for (size_t i = 0; i < phrases.size(); ++i) {
    const PhraseSpec& spec = phrases[i];
    std::string field = "phrases[" + std::to_string(i) + "]";
    if (spec.id.empty()) errors.push_back({field + ".id", "must not be empty"});
    if (!spec.id.empty() && !ids.insert(spec.id).second) {
      errors.push_back({field + ".id", "duplicate id"});
    }
    auto& variants = matcher.normalized_[i];
    variants.push_back(analyzer.Normalize(spec.phrase).text);
    if (variants[0].empty()) errors.push_back({field + ".phrase", "empty after normalization"});
    for (const std::string& synonym : spec.synonyms) {
      variants.push_back(analyzer.Normalize(synonym).text);
    }
  }
  if (!errors.empty()) return InvalidArgument("invalid phrase list", std::move(errors));
  matcher.phrases_ = std::move(phrases);
  matcher.Compile(options);
  return matcher;
}

PhraseMatcher PhraseMatcher::FromNormalized(std::vector<PhraseSpec> phrases,
                                            const PhraseMatcherOptions& options) {
  PhraseMatcher matcher;
  matcher.normalized_.resize(phrases.size());
  for (size_t i = 0; i < phrases.size(); ++i) {
    matcher.normalized_[i].push_back(phrases[i].phrase);
    for (const std::string& s : phrases[i].synonyms) matcher.normalized_[i].push_back(s);
  }
  matcher.phrases_ = std::move(phrases);
  matcher.Compile(options);
  return matcher;
}

void PhraseMatcher::Compile(const PhraseMatcherOptions& options) {
  // Unique terms and who owns them.
  std::unordered_map<std::string, uint32_t> term_index;
  for (size_t p = 0; p < normalized_.size(); ++p) {
    auto& variants = normalized_[p];
    for (size_t v = 0; v < variants.size(); ++v) {
      if (variants[v].empty()) continue;
      // A variant equal to an earlier one of the same phrase adds nothing: skip it.
      if (std::find(variants.begin(), variants.begin() + v, variants[v]) != variants.begin() + v) {
        variants[v].clear();
        continue;
      }
      auto [it, inserted] = term_index.try_emplace(variants[v], terms_.size());
      if (inserted) {
        Term term;
        term.text = variants[v];
        term.word_start = IsWordChar(CodePointAt(term.text, 0));
        term.word_end = IsWordChar(CodePointBefore(term.text, term.text.size()));
        term.inflectable =
            options.english_inflections && term.text.size() >= 3 && EndsWithAsciiLetter(term.text);
        terms_.push_back(std::move(term));
      }
      terms_[it->second].owners.emplace_back(static_cast<uint32_t>(p), static_cast<uint32_t>(v));
    }
  }

  // Trie with ordered children, then flattened into nodes_/edges_.
  std::vector<std::map<unsigned char, int32_t>> children(1);
  std::vector<int32_t> node_term(1, -1);
  for (size_t t = 0; t < terms_.size(); ++t) {
    int32_t node = 0;
    for (char c : terms_[t].text) {
      auto byte = static_cast<unsigned char>(c);
      auto found = children[node].find(byte);
      if (found == children[node].end()) {
        int32_t next = static_cast<int32_t>(children.size());
        children[node][byte] = next;
        children.emplace_back();
        node_term.push_back(-1);
        node = next;
      } else {
        node = found->second;
      }
    }
    node_term[node] = static_cast<int32_t>(t);
  }
  nodes_.assign(children.size(), Node{});
  edges_.clear();
  for (size_t n = 0; n < children.size(); ++n) {
    nodes_[n].edge_begin = static_cast<uint32_t>(edges_.size());
    nodes_[n].edge_count = static_cast<uint32_t>(children[n].size());
    nodes_[n].term = node_term[n];
    for (auto [byte, target] : children[n]) edges_.push_back({byte, target});
  }
  root_next_.assign(256, 0);
  for (auto [byte, target] : children[0]) root_next_[byte] = target;

  // Breadth-first failure and dictionary links.
  std::queue<int32_t> queue;
  for (auto [byte, target] : children[0]) {
    nodes_[target].fail = 0;
    queue.push(target);
  }
  while (!queue.empty()) {
    int32_t node = queue.front();
    queue.pop();
    for (auto [byte, target] : children[node]) {
      int32_t f = nodes_[node].fail;
      int32_t next = Next(f, byte);
      while (f != 0 && next == 0) {
        f = nodes_[f].fail;
        next = Next(f, byte);
      }
      nodes_[target].fail = next;
      nodes_[target].dict_link = nodes_[next].term >= 0 ? next : nodes_[next].dict_link;
      queue.push(target);
    }
  }
}

// Goto function without failure: the child of `node` on `byte`, or 0 (root) when none.
int32_t PhraseMatcher::Next(int32_t node, unsigned char byte) const {
  if (node == 0) return root_next_[byte];
  const Node& n = nodes_[node];
  for (uint32_t e = n.edge_begin; e < n.edge_begin + n.edge_count; ++e) {
    if (edges_[e].byte == byte) return edges_[e].target;
  }
  return 0;
}

std::vector<PhraseMatch> PhraseMatcher::Find(const NormalizedText& text) const {
  std::vector<PhraseMatch> matches;
  if (nodes_.empty()) return matches;
  std::string_view s = text.text;
  int32_t state = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto byte = static_cast<unsigned char>(s[i]);
    int32_t next = Next(state, byte);
    while (state != 0 && next == 0) {
      state = nodes_[state].fail;
      next = Next(state, byte);
    }
    state = next;
    for (int32_t o = nodes_[state].term >= 0 ? state : nodes_[state].dict_link; o >= 0;
         o = nodes_[o].dict_link) {
      const Term& term = terms_[nodes_[o].term];
      size_t end = i + 1;
      size_t begin = end - term.text.size();
      if (term.word_start && IsWordChar(CodePointBefore(s, begin))) continue;
      if (term.word_end && IsWordChar(CodePointAt(s, end))) {
        size_t suffix = term.inflectable ? InflectionAt(s, end) : 0;
        if (suffix == 0) continue;
        end += suffix;
      }
      Span span = text.OriginalSpan(begin, end);
      for (auto [phrase, variant] : term.owners) {
        matches.push_back({phrases_[phrase].id, phrase, variant, begin, end, span});
      }
    }
  }
  std::stable_sort(matches.begin(), matches.end(), [](const PhraseMatch& a, const PhraseMatch& b) {
    if (a.norm_begin != b.norm_begin) return a.norm_begin < b.norm_begin;
    return a.norm_end > b.norm_end;
  });
  return matches;
}

std::vector<PhraseMatch> PhraseMatcher::LeftmostLongest(std::vector<PhraseMatch> matches) {
  std::vector<PhraseMatch> kept;
  size_t covered_to = 0;
  for (PhraseMatch& m : matches) {
    if (!kept.empty() && m.norm_begin < covered_to) continue;
    covered_to = m.norm_end;
    kept.push_back(std::move(m));
  }
  return kept;
}

}  // namespace zm::text
