#include "harness/report_common.h"

#include <algorithm>

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

}  // namespace hmt
