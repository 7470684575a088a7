#include "harness/report/github_reporter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "harness/report/display_text.h"
#include "harness/report/report_common.h"
#include "harness/report/report_text.h"

namespace hmt {

namespace {

std::string escape(std::string_view text, bool property) {
  std::string out;
  for (char c : display_text(text)) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// What an annotation says about one failed assertion: the command, why,
// and the diff or both values.
std::string assertion_message(const AssertionResult& a) {
  std::string message = report_text::assertion_title(a) + ": " + a.message;
  if (a.diff) return message + "\n" + *a.diff;
  if (a.expected) message += "\nexpected:\n" + *a.expected;
  if (a.actual) message += "\nactual:\n" + *a.actual;
  return message;
}

// A fence longer than any run of backticks in text, so text cannot end it.
std::string fence_for(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

}  // namespace

std::string github_escape_data(std::string_view text) { return escape(text, false); }
std::string github_escape_property(std::string_view text) { return escape(text, true); }

std::string markdown_text(std::string_view text) {
  std::string out;
  for (char c : display_text(text)) {
    if (c == '\n' || c == '\r' || c == '\t')
      out += ' ';
    else if (std::ispunct(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80)
      out += {'\\', c};
    else
      out += c;
  }
  return out;
}

bool in_github_actions(const char* github_actions_env) {
  return github_actions_env != nullptr && std::string_view(github_actions_env) == "true";
}

GithubReporter::GithubReporter(std::ostream& annotations, std::filesystem::path workspace,
                               std::optional<std::filesystem::path> summary, std::size_t slowest)
    : out_(annotations), workspace_(std::move(workspace)), summary_path_(std::move(summary)), slowest_(slowest) {}

std::string GithubReporter::annotation_file(const std::string& file) const {
  if (workspace_.empty() || file.empty()) return file;
  const auto relative = std::filesystem::path(file).lexically_relative(workspace_);
  if (relative.empty() || *relative.begin() == "..") return file;
  return relative.string();
}

void GithubReporter::annotate(const std::string& properties, const std::string& message, std::string_view command) {
  out_ << "::" << command << ' ' << properties << "::" << github_escape_data(message) << '\n';
}

void GithubReporter::run_started(const RunInfo&) {}

void GithubReporter::case_finished(const CaseResult& result) {
  results_.push_back(result);
  auto properties = [&](int line) {
    std::string p;
    if (const std::string file = annotation_file(result.file); !file.empty())
      p += "file=" + github_escape_property(file) + ",";
    if (line > 0) p += fmt::format("line={},", line);
    return p + "title=" + github_escape_property("hmt: " + result.name);
  };
  for (const auto& warning : result.warnings) annotate(properties(result.line), warning, "warning");
  if (!is_failure(result.status)) {
    out_.flush();
    stream_check_.after_write(out_);
    return;
  }
  bool any = false;
  for (const auto& a : result.assertions) {
    if (!is_failure(a.status)) continue;
    any = true;
    annotate(properties(a.case_line > 0 ? a.case_line : result.line), assertion_message(a));
  }
  if (!any || !result.nix_error.empty()) {
    std::string message = case_message(result);
    if (!result.nix_error.empty()) message += "\n" + result.nix_error;
    annotate(properties(result.line), message);
  }
  out_.flush();
  stream_check_.after_write(out_);
}

void GithubReporter::bail_out(const std::string& reason) {
  bail_reason_ = reason;
  annotate("title=" + github_escape_property("hmt bailed out"), reason);
  out_.flush();
  stream_check_.after_write(out_);
}

std::string GithubReporter::summary_markdown(const RunSummary& summary) const {
  std::string md = fmt::format("## hmt: {} passed, {} failed, {} skipped{} in {}\n\n", summary.passed,
                               summary.failed, summary.skipped,
                               summary.cached > 0 ? fmt::format(" ({} cached)", summary.cached) : "",
                               human_duration(summary.duration));
  if (bail_reason_) md += fmt::format("**Bail out!** {}\n\n", markdown_text(*bail_reason_));
  std::vector<const CaseResult*> failed;
  for (const auto& r : results_)
    if (is_failure(r.status)) failed.push_back(&r);
  if (!failed.empty()) {
    md += "### Failed cases\n\n| case | status | why | where |\n|---|---|---|---|\n";
    std::string reruns;
    for (const auto* r : failed) {
      md += fmt::format("| {} | {} | {} | {} |\n", markdown_text(r->name), to_string(r->status),
                        markdown_text(case_message(*r)), markdown_text(file_and_line(r->file, r->line)));
      if (!r->rerun.empty()) reruns += display_text(r->rerun) + "\n";
    }
    if (!reruns.empty()) {
      const std::string fence = fence_for(reruns);
      md += fmt::format("\nTo rerun a failed case alone:\n\n{}sh\n{}{}\n", fence, reruns, fence);
    }
    md += "\n";
  }
  std::vector<const CaseResult*> by_time;
  for (const auto& r : results_)
    if (r.status != Status::Skip && !r.cached) by_time.push_back(&r);
  std::stable_sort(by_time.begin(), by_time.end(),
                   [](const CaseResult* a, const CaseResult* b) { return a->duration > b->duration; });
  if (by_time.size() > slowest_) by_time.resize(slowest_);
  if (!by_time.empty()) {
    md += "### Slowest cases\n\n| case | status | time |\n|---|---|---|\n";
    for (const auto* r : by_time)
      md += fmt::format("| {} | {} | {} |\n", markdown_text(r->name), to_string(r->status),
                        human_duration(r->duration));
    md += "\n";
  }
  return md;
}

void GithubReporter::run_finished(const RunSummary& summary) {
  if (!summary_path_) return;
  errno = 0;
  std::ofstream file(*summary_path_, std::ios::binary | std::ios::app);
  if (file) {
    file << summary_markdown(summary);
    file.close();
  }
  if (!file)
    summary_failure_ = fmt::format("cannot append to $GITHUB_STEP_SUMMARY {}: {}", summary_path_->string(),
                                   errno != 0 ? std::strerror(errno) : "write failed");
}

std::optional<std::string> GithubReporter::write_failure() const {
  if (stream_check_.failure()) return stream_check_.failure();
  return summary_failure_;
}

}  // namespace hmt
