// Small pieces every reporter needs: what counts as a failure, the one-line
// message of a failed case, durations, diff lines, plan order, where a case is.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "assertions/result.h"

namespace hmt {

// Fail, Error and Timeout fail a run; Pass and Skip do not.
bool is_failure(Status status);

std::size_t failed_assertion_count(const CaseResult& result);

// "2 of 3 assertions failed"
std::string assertions_failed_text(std::size_t failed, std::size_t total);

// Why a failed case failed, in one line: its reason, else the count of
// failed assertions, else the status ("timed out", "error", "failed").
std::string case_message(const CaseResult& result);

// What a case's evaluation warned about and what --update-golden did, a
// line (or more, for a warning of several lines) each: "warning: ...",
// "--update-golden: ...". Empty when there is neither.
std::string case_notes(const CaseResult& result);

// "340ms", "2.5s"
std::string human_duration(std::chrono::milliseconds duration);

// The lines of text, without their line breaks; a final break ends the
// last line rather than starting an empty one.
std::vector<std::string_view> lines_of(std::string_view text);

// What a line of a unified diff is, for colouring it.
enum class DiffLine { FileHeader, Hunk, Added, Removed, Context };
DiffLine diff_line_kind(std::string_view line);

// The results sorted by their case's place in the plan (case_names), so
// reports of parallel runs diff cleanly; unplanned ones last, as they came.
std::vector<const CaseResult*> in_plan_order(const std::vector<CaseResult>& results,
                                             const std::vector<std::string>& case_names);

// "file:line", or "file" when the line is unknown, or "" without a file.
std::string file_and_line(const std::string& file, int line);

// What a failed assertion's heading starts with: "<case file name>:<line>: "
// where its line in the case file is known, else "line <n>: " (its line in
// the script), else "".
std::string assertion_location(const AssertionResult& assertion, const std::string& case_file);

}  // namespace hmt
