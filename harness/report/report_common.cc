#include "harness/report/report_common.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

namespace hmt {

bool is_failure(Status status) {
  return status == Status::Fail || status == Status::Error || status == Status::Timeout;
}

std::size_t failed_assertion_count(const CaseResult& result) {
  return static_cast<std::size_t>(std::count_if(result.assertions.begin(), result.assertions.end(),
                                                [](const AssertionResult& a) { return is_failure(a.status); }));
}

std::string assertions_failed_text(std::size_t failed, std::size_t total) {
  return fmt::format("{} of {} assertions failed", failed, total);
}

std::string case_message(const CaseResult& result) {
  if (!result.reason.empty()) return result.reason;
  const std::size_t failed = failed_assertion_count(result);
  if (result.status == Status::Fail && failed > 0) return assertions_failed_text(failed, result.assertions.size());
  switch (result.status) {
    case Status::Timeout:
      return "timed out";
    case Status::Error:
      return "error";
    default:
      return "failed";
  }
}

std::string human_duration(std::chrono::milliseconds duration) {
  if (duration < std::chrono::seconds(1)) return fmt::format("{}ms", duration.count());
  return fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  while (true) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

DiffLine diff_line_kind(std::string_view line) {
  if (line.starts_with("+++") || line.starts_with("---")) return DiffLine::FileHeader;
  if (line.starts_with("@@")) return DiffLine::Hunk;
  if (line.starts_with("+")) return DiffLine::Added;
  if (line.starts_with("-")) return DiffLine::Removed;
  return DiffLine::Context;
}

std::vector<const CaseResult*> in_plan_order(const std::vector<CaseResult>& results,
                                             const std::vector<std::string>& case_names) {
  std::unordered_map<std::string, std::size_t> plan_index;
  for (std::size_t i = 0; i < case_names.size(); ++i) plan_index.emplace(case_names[i], i);
  auto position = [&](const CaseResult& r) {
    const auto it = plan_index.find(r.name);
    return it == plan_index.end() ? case_names.size() : it->second;
  };
  std::vector<const CaseResult*> ordered;
  for (const auto& r : results) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const CaseResult* a, const CaseResult* b) { return position(*a) < position(*b); });
  return ordered;
}

std::string file_and_line(const std::string& file, int line) {
  if (file.empty()) return "";
  return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

std::string assertion_location(const AssertionResult& assertion, const std::string& case_file) {
  if (assertion.case_line > 0 && !case_file.empty())
    return fmt::format("{}:{}: ", std::filesystem::path(case_file).filename().string(), assertion.case_line);
  return assertion.line > 0 ? fmt::format("line {}: ", assertion.line) : "";
}

std::string case_notes(const CaseResult& result) {
  std::string notes;
  for (const auto& warning : result.warnings) notes += "warning: " + warning + "\n";
  for (const auto& note : result.golden) notes += "--update-golden: " + note.message + "\n";
  return notes;
}

}  // namespace hmt
