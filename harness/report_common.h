// Small pieces every reporter needs: what counts as a failure, the one-line
// message of a failed case.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

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

}  // namespace hmt
