#include "harness/pipeline/assertion_lines.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "harness/report/report_common.h"

namespace hmt {

namespace {

// Case files are small Nix modules; a larger file is not searched.
constexpr std::uintmax_t kMaxCaseFileBytes = 4 << 20;

std::string_view trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// The index just past the `}` closing the interpolation opened at i (at
// "${"), or text.size() when it does not close on this line.
std::size_t interpolation_end(std::string_view text, std::size_t i) {
  int depth = 0;
  for (; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i + 1;
  }
  return text.size();
}

}  // namespace

ScriptSourceLocator::ScriptSourceLocator(std::string_view source, int first_line) {
  int number = 0;
  while (!source.empty()) {
    const auto end = source.find('\n');
    const std::string_view text = trimmed(source.substr(0, end));
    source.remove_prefix(end == std::string_view::npos ? source.size() : end + 1);
    if (++number < first_line || text.empty()) continue;
    SourceLine line{number, {""}, true, true};
    for (std::size_t i = 0; i < text.size();) {
      // Nix's indented strings write a literal "${" as "''${".
      if (text.compare(i, 4, "''${") == 0) {
        line.pieces.back() += "${";
        i += 4;
      } else if (text.compare(i, 2, "${") == 0) {
        if (i == 0) line.starts_literal = false;
        i = interpolation_end(text, i);
        if (i == text.size()) line.ends_literal = false;
        line.pieces.emplace_back();
      } else {
        line.pieces.back() += text[i++];
      }
    }
    if (line.starts_literal) lines_.push_back(std::move(line));
  }
}

bool ScriptSourceLocator::matches(const SourceLine& line, std::string_view script_line) const {
  const auto& pieces = line.pieces;
  if (!script_line.starts_with(pieces.front())) return false;
  if (pieces.size() == 1) return script_line == pieces.front();
  std::size_t pos = pieces.front().size();
  const std::size_t middle_end = line.ends_literal ? pieces.size() - 1 : pieces.size();
  for (std::size_t i = 1; i < middle_end; ++i) {
    const auto at = script_line.find(pieces[i], pos);
    if (at == std::string_view::npos) return false;
    pos = at + pieces[i].size();
  }
  if (!line.ends_literal) return true;
  const std::string& last = pieces.back();
  return script_line.size() >= pos + last.size() && script_line.ends_with(last);
}

int ScriptSourceLocator::line_of(std::string_view script_line) {
  script_line = trimmed(script_line);
  if (script_line.empty()) return 0;
  for (std::size_t n = 0; n < lines_.size(); ++n) {
    const std::size_t i = (cursor_ + n) % lines_.size();
    if (matches(lines_[i], script_line)) {
      cursor_ = i + 1;
      return lines_[i].number;
    }
  }
  return 0;
}

void locate_assertions_in_case_file(CaseResult& result, std::string_view script) {
  // Reports show the line of failed assertions only: a case without one
  // costs no read of its file.
  if (result.file.empty() || failed_assertion_count(result) == 0) return;
  std::error_code error;
  const auto size = std::filesystem::file_size(result.file, error);
  if (error || size > kMaxCaseFileBytes) return;
  std::ifstream in(result.file, std::ios::binary);
  const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return;

  std::vector<std::string_view> script_lines;
  while (true) {
    const auto end = script.find('\n');
    script_lines.push_back(script.substr(0, end));
    if (end == std::string_view::npos) break;
    script.remove_prefix(end + 1);
  }
  ScriptSourceLocator locator(source, result.line > 0 ? result.line : 1);
  for (auto& assertion : result.assertions)
    if (assertion.line > 0 && static_cast<std::size_t>(assertion.line) <= script_lines.size())
      assertion.case_line = locator.line_of(script_lines[assertion.line - 1]);
}

}  // namespace hmt
