// Running an nmt.script: parsed as shell words and interpreted natively
// (native_script.h) when it only uses the common subset (assertions,
// assignments, variables, $(normalizeStorePaths ...)); anything else runs
// under real bash (bash_script.h) with the assertion commands bound to hmt's
// own implementation (assert_command.h), so the verdicts are the same either
// way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "assertions/script_support.h"

namespace hmt {

ScriptOutcome run_script(std::string_view script, const ScriptContext& context);

// Why run_script would hand this script to bash (e.g. "line 3: the keyword
// 'if'"), or nullopt when hmt interprets it itself.
std::optional<std::string> why_script_needs_bash(std::string_view script);

}  // namespace hmt
