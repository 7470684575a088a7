// Where each assertion of a case's script is written in the case file, so
// that reports (GitHub annotations, TAP, JSON Lines, HTML) can point at the
// line to fix. The script a case runs is the evaluated string; its source
// is a Nix string in the case file whose interpolations (`${...}`) were
// replaced by values. A source line matches a script line when its literal
// pieces appear in the script line in order, anchored at both ends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "assertions/result.h"

namespace hmt {

class ScriptSourceLocator {
 public:
  // source: the case file's text; first_line: where the search starts
  // (an inline case's definition line, or 1).
  ScriptSourceLocator(std::string_view source, int first_line);

  // The 1-based line of source that wrote script_line, or 0. Searches
  // forward from the last match first, so repeated lines map in order.
  int line_of(std::string_view script_line);

 private:
  struct SourceLine {
    int number;
    std::vector<std::string> pieces;  // literal text between interpolations
    bool starts_literal;              // false when the line begins with ${...}
    bool ends_literal;
  };
  bool matches(const SourceLine& line, std::string_view script_line) const;

  std::vector<SourceLine> lines_;
  std::size_t cursor_ = 0;
};

// Sets case_line on each assertion of result from result.file (when it is a
// readable file of reasonable size) and the script the assertions ran from,
// when one of them failed; all are located, so that repeated lines keep
// their order.
void locate_assertions_in_case_file(CaseResult& result, std::string_view script);

}  // namespace hmt
