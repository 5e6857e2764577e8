// ReadTrainingTsv: rated answers from tab-separated text.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised {
namespace {

struct Row {
  size_t line = 0;  // line where the row starts
  std::vector<std::string> fields;
  bool unterminated_quote = false;
};

// Splits `data` into rows of delimiter-separated fields with Excel-style quoting, tracking lines.
std::vector<Row> SplitRows(std::string_view data, char delimiter) {
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  std::vector<Row> rows;
  size_t line = 1;
  size_t i = 0;
  while (i < data.size()) {
    Row row;
    row.line = line;
    std::string field;
    bool at_field_start = true;
    bool row_done = false;
    while (i < data.size() && !row_done) {
      const char c = data[i];
      if (at_field_start && c == '"') {
        ++i;
        bool closed = false;
        while (i < data.size()) {
          if (data[i] == '"') {
            if (i + 1 < data.size() && data[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (data[i] == '\n') ++line;
          field.push_back(data[i++]);
        }
        if (!closed) row.unterminated_quote = true;
        at_field_start = false;
        continue;
      }
      at_field_start = false;
      if (c == delimiter) {
        row.fields.push_back(std::move(field));
        field.clear();
        at_field_start = true;
        ++i;
      } else if (c == '\n' || c == '\r') {
        i += (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ? 2 : 1;
        ++line;
        row_done = true;
      } else {
        field.push_back(c);
        ++i;
      }
    }
    row.fields.push_back(std::move(field));
    const bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
  }
  return rows;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<TrainingSet> ReadTrainingTsv(std::string_view data, const ReadOptions& options,
                                    ReadReport* report) {
  ReadReport local;
  ReadReport& rep = report ? *report : local;
  rep = ReadReport{};
  if (options.max_label < 1) return InvalidArgument("max_label must be >= 1");
  std::vector<Row> rows = SplitRows(data, options.delimiter);
  if (rows.empty()) return InvalidArgument("empty file: expected a header row");
  int col_label = -1;
  int col_text = -1;
  int col_ref = -1;
  const Row& header = rows[0];
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string name = Lower(Trim(header.fields[c]));
    if ((name == "label" || name == "score") && col_label < 0) col_label = static_cast<int>(c);
    if ((name == "text" || name == "answer") && col_text < 0) col_text = static_cast<int>(c);
    if (name == "reference" && col_ref < 0) col_ref = static_cast<int>(c);
  }
  if (col_label < 0 || col_text < 0)
    return InvalidArgument("line " + std::to_string(header.line) +
                           ": header must name a 'label' (or 'score') and a 'text' (or "
                           "'answer') column");
  const size_t width = header.fields.size();
  TrainingSet set;
  set.max_label = options.max_label;
  for (size_t r = 1; r < rows.size(); ++r) {
    Row& row = rows[r];
    ++rep.rows;
    std::string problem;
    int label = 0;
    if (row.unterminated_quote) {
      problem = "unterminated quoted field";
    } else if (row.fields.size() != width) {
      problem = "expected " + std::to_string(width) + " fields, found " +
                std::to_string(row.fields.size());
    } else {
      const std::string_view v = Trim(row.fields[col_label]);
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), label);
      if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
        problem = "label '" + std::string(v.substr(0, 20)) + "' is not an integer";
      } else if (label < 0 || label > options.max_label) {
        // Refused even when not strict: the scale belongs to the question.
        return InvalidArgument("line " + std::to_string(row.line) + ": label " +
                               std::to_string(label) + " is outside the scale 0.." +
                               std::to_string(options.max_label));
      }
    }
    if (!problem.empty()) {
      if (options.strict)
        return InvalidArgument("line " + std::to_string(row.line) + ": " + problem);
      ++rep.skipped;
      if (rep.problems.size() < options.max_reported) rep.problems.push_back({row.line, problem});
      continue;
    }
    Example e;
    e.label = label;
    e.text = std::move(row.fields[col_text]);
    if (col_ref >= 0) e.reference = std::move(row.fields[col_ref]);
    e.line = row.line;
    set.examples.push_back(std::move(e));
  }
  return set;
}

}  // namespace zm::scoring::supervised
