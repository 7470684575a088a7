// GitHub Actions: with GITHUB_ACTIONS=true, an `::error` workflow command
// per failed assertion (or per failed case without one), which GitHub shows
// on the run and on the case file's line in the pull request, and a
// Markdown summary (counts, failed cases, slowest cases) appended to
// $GITHUB_STEP_SUMMARY. The commands go to stderr, so that stdout stays a
// clean TAP, JSON Lines or console report; GitHub reads both streams.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/reporter.h"

namespace hmt {

// Escapes for a workflow command's message, and for its properties (which
// also may not hold ':' or ',').
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

// Text for a Markdown table cell: every ASCII punctuation mark
// backslash-escaped (CommonMark allows it for all of them), line breaks as
// spaces, so no value can add markup or break the table.
std::string markdown_text(std::string_view text);

// True when env says hmt runs in GitHub Actions.
bool in_github_actions(const char* github_actions_env);

class GithubReporter : public Reporter {
 public:
  // workspace: $GITHUB_WORKSPACE, to make case files relative to the
  // repository as annotations need; summary: $GITHUB_STEP_SUMMARY, if set.
  GithubReporter(std::ostream& annotations, std::filesystem::path workspace,
                 std::optional<std::filesystem::path> summary, std::size_t slowest = 5);

  void run_started(const RunInfo& info) override;
  void case_finished(const CaseResult& result) override;
  void bail_out(const std::string& reason) override;
  void run_finished(const RunSummary& summary) override;
  std::optional<std::string> write_failure() const override;

  // The Markdown summary of the run so far.
  std::string summary_markdown(const RunSummary& summary) const;

 private:
  std::string annotation_file(const std::string& file) const;
  // `command`: error or warning.
  void annotate(const std::string& properties, const std::string& message, std::string_view command = "error");

  std::ostream& out_;
  std::filesystem::path workspace_;
  std::optional<std::filesystem::path> summary_path_;
  std::size_t slowest_;
  std::vector<CaseResult> results_;
  std::optional<std::string> bail_reason_;
  std::optional<std::string> summary_failure_;
  StreamCheck stream_check_{"the GitHub annotations"};
};

}  // namespace hmt
